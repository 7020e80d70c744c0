package io.ringfence.target.nftables;

import static io.ringfence.target.nftables.Rules.full;
import static io.ringfence.target.nftables.Rules.group;
import static io.ringfence.target.nftables.Rules.rule;
import static io.ringfence.target.nftables.Rules.ruleSet;
import static io.ringfence.target.nftables.Rules.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's answers, with a stand-in for nft (a shell script that keeps what it is given and
 * exits as told): what it acknowledges, how it fails, and that a refused update leaves the target
 * where it was.
 */
class NftablesTargetTest {

    @TempDir
    Path dir;
    NftablesTarget target;

    @AfterEach
    void close() {
        if (target != null) {
            target.close();
        }
    }

    /** A fake nft: listings print an empty ruleset, scripts are kept in {@code dir}, the exit status is in a file. */
    NftablesTarget target(Map<String, String> interfaces) throws IOException {
        Path nft = dir.resolve("nft");
        Files.writeString(nft, """
                #!/bin/sh
                if [ "$1" = "-j" ]; then echo '{"nftables": []}'; exit 0; fi
                n=$(ls %1$s | grep -c '^script')
                cat > %1$s/script$n
                if [ -f %1$s/refuse ]; then echo "Error: Could not process rule: No such file or directory" >&2; exit 1; fi
                exit 0
                """.formatted(dir));
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwx------"));
        target = new NftablesTarget(new NftablesConfiguration("nft:hv1", List.of("hv1"), interfaces,
                List.of(nft.toString()), "ringfence", Duration.ofDays(5), Duration.ofSeconds(10)));
        return target;
    }

    static final RuleSetUpdate FIRST = full(1, List.of(ruleSet("v1", 7, List.of(rule("web", RuleAction.ALLOW, "g",
            tcp(443))), List.of(), RuleAction.DROP)), group("g", "10.0.0.1"));

    @Test
    void anAppliedUpdateIsAcknowledgedWithTheGenerationsOfItsRuleSets() throws Exception {
        Acknowledgement ack = target(Map.of("v1", "vnet1")).apply(FIRST).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(ack.ok()).as("%s", ack).isTrue();
        assertThat(ack.sequence()).isEqualTo(1);
        assertThat(ack.realized()).isEqualTo(Map.of("v1", 7L));
        assertThat(Files.readString(dir.resolve("script0"))).startsWith("add table inet ringfence\n")
                .contains("add chain inet ringfence in_1\n");
    }

    @Test
    void aRefusedUpdateFailsWithNftsWordsAndTheNextIsRenderedFromTheStateBeforeIt() throws Exception {
        target(Map.of("v1", "vnet1", "v2", "vnet2"));
        assertThat(target.apply(FIRST).toCompletableFuture().get(10, TimeUnit.SECONDS).ok()).isTrue();

        Files.createFile(dir.resolve("refuse"));
        RuleSetUpdate addV2 = new RuleSetUpdate(2, false, List.of(ruleSet("v2", 8, List.of(), List.of(),
                RuleAction.DROP)), List.of(), List.of(), List.of());
        Acknowledgement refused = target.apply(addV2).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.error().code()).isEqualTo("rejected-by-device");
        assertThat(refused.error().message()).contains("Could not process rule");
        assertThat(refused.realized()).isEmpty();

        Files.delete(dir.resolve("refuse"));
        RuleSetUpdate dropV1 = new RuleSetUpdate(3, false, List.of(), List.of("v1"), List.of(), List.of("g"));
        assertThat(target.apply(dropV1).toCompletableFuture().get(10, TimeUnit.SECONDS).ok()).isTrue();
        // v2 never made it and v1 is gone: both ports enforce the default rule alone (DROP), still tagged
        assertThat(Files.readString(dir.resolve("script2"))).doesNotContain("proto-dst 443")
                .contains("\"vnet1\"", "\"vnet2\"");
    }

    @Test
    void aVnicWithoutInterfaceFailsTheUpdateAndSaysWhich() throws Exception {
        Acknowledgement ack = target(Map.of()).apply(FIRST).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(ack.error().code()).isEqualTo("unknown-interface");
        assertThat(ack.error().retryable()).isFalse();
        assertThat(ack.error().message()).contains("v1");
    }

    @Test
    void aDeltaNamingAnAddressGroupTheTargetLacksIsRefusedBeforeNftRuns() throws Exception {
        RuleSetUpdate delta = new RuleSetUpdate(1, false, FIRST.ruleSets(), List.of(), List.of(), List.of());

        Acknowledgement ack = target(Map.of("v1", "vnet1")).apply(delta).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(ack.error().code()).isEqualTo("unsupported-rule");
        assertThat(ack.error().message()).contains("address group g");
        assertThat(dir.resolve("script0")).doesNotExist();
    }

    @Test
    void nftThatCannotBeRunIsARetryableError() throws Exception {
        target = new NftablesTarget(new NftablesConfiguration("nft:hv1", List.of("hv1"), Map.of("v1", "vnet1"),
                List.of(dir.resolve("no-such-nft").toString()), "ringfence", Duration.ofDays(5), Duration.ofSeconds(10)));

        Acknowledgement ack = target.apply(FIRST).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(ack.error().code()).isEqualTo("unreachable");
        assertThat(ack.error().retryable()).isTrue();
    }
}
