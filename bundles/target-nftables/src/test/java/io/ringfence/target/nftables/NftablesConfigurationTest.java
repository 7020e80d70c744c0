package io.ringfence.target.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NftablesConfigurationTest {

    @Test
    void listsComeAsArraysOrCommaSeparatedAndTheCommandAsWords() {
        NftablesConfiguration c = NftablesConfiguration.parse("nft:hv1", new String[] {"hv1, hv2"},
                new String[] {"web-nic0=vnet0,app-nic0 = vnet1", "db-nic0=tap-db.1"}, "  ip netns exec hv1  nft ",
                "ringfence", 3600, 5000);

        assertThat(c.hosts()).containsExactly("hv1", "hv2");
        assertThat(c.interfaces()).isEqualTo(Map.of("web-nic0", "vnet0", "app-nic0", "vnet1", "db-nic0", "tap-db.1"));
        assertThat(c.command()).containsExactly("ip", "netns", "exec", "hv1", "nft");
        assertThat(c.tokenQuarantine()).isEqualTo(Duration.ofHours(1));
        assertThat(c.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void namesThatWouldReachTheScriptUncheckedAreRefused() {
        for (String name : List.of("vnet0\"", "a b", "veth-much-too-long", "-x", "tap;drop", "", "é")) {
            assertThatThrownBy(() -> config(Map.of("v", name), "ringfence")).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String table : List.of("ring fence", "1table", "t-1", "t\"")) {
            assertThatThrownBy(() -> config(Map.of(), table)).as(table).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void twoVnicsCannotShareAnInterfaceNorOneBeListedTwice() {
        assertThatThrownBy(() -> config(Map.of("a", "vnet0", "b", "vnet0"), "ringfence"))
                .hasMessageContaining("two vNICs on one interface");
        assertThatThrownBy(() -> NftablesConfiguration.parse("nft:hv1", new String[] {"hv1"},
                new String[] {"a=vnet0,a=vnet1"}, "nft", "ringfence", 1, 1)).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> NftablesConfiguration.parse("nft:hv1", new String[] {"hv1"},
                new String[] {"a:vnet0"}, "nft", "ringfence", 1, 1)).hasMessageContaining("vnic=interface");
    }

    private static NftablesConfiguration config(Map<String, String> interfaces, String table) {
        return new NftablesConfiguration("nft:hv1", List.of("hv1"), interfaces, List.of("nft"), table,
                Duration.ofDays(1), Duration.ofSeconds(1));
    }
}
