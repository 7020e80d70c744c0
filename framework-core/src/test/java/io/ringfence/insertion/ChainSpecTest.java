package io.ringfence.insertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.spi.inspection.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainSpecTest {

    private static ChainHop hop(String profile, String definition) {
        return new ChainHop(profile, definition, new Profile(profile, profile, Map.of()));
    }

    @Test
    void aSymmetricChainRetracesItsForwardPath() {
        ChainSpec c = ChainSpec.symmetric("c", List.of(hop("a", "x/a"), hop("b", "x/b")), FailurePolicy.BLOCK,
                Duration.ofMillis(5));
        assertThat(c.reverse()).extracting(ChainHop::profileId).containsExactly("b", "a");
    }

    @Test
    void malformedChainsAreRefused() {
        Duration d = Duration.ofMillis(5);
        assertThatThrownBy(() -> new ChainSpec(" ", List.of(), List.of(), FailurePolicy.BLOCK, d)).hasMessageContaining("id");
        assertThatThrownBy(() -> new ChainSpec("c", List.of(), List.of(), null, d)).hasMessageContaining("failure policy");
        assertThatThrownBy(() -> new ChainSpec("c", List.of(), List.of(), FailurePolicy.ALLOW, Duration.ZERO))
                .hasMessageContaining("deadline");
        assertThatThrownBy(() -> new ChainSpec("c", List.of(), List.of(), FailurePolicy.ALLOW, Duration.ofDays(1)))
                .hasMessageContaining("deadline");
        assertThatThrownBy(() -> new ChainSpec("c", List.of(hop("a", "x/a"), hop("a", "x/a")), List.of(),
                FailurePolicy.ALLOW, d)).hasMessageContaining("repeats profile a");
        assertThatThrownBy(() -> new ChainSpec("c", List.of(hop("a", "x/a")), List.of(hop("a", "x/other")),
                FailurePolicy.ALLOW, d)).hasMessageContaining("differs");
        assertThatThrownBy(() -> hop("a", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
