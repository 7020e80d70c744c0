package io.ringfence.target.openconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenConfigConfigurationTest {

    @Test
    void theOsgiValuesMakeAConfiguration() {
        OpenConfigConfiguration c = parse("https://leaf-01.example:8443/", new String[] {"esx-01, esx-02"},
                new String[] {"web-01-nic0=Ethernet1/1", "app-01-nic0 = Ethernet1/2.100"}, "Port-{vnic}");

        assertThat(c.hosts()).containsExactly("esx-01", "esx-02");
        assertThat(c.aclResource()).hasToString("https://leaf-01.example:8443/restconf/data/openconfig-acl:acl");
        assertThat(c.interfaceOf(vnic("web-01"))).isEqualTo("Ethernet1/1");
        assertThat(c.interfaceOf(vnic("app-01"))).isEqualTo("Ethernet1/2.100");
        assertThat(c.interfaceOf(vnic("db-01"))).isEqualTo("Port-db-01-nic0");
        assertThat(c.maxEntries()).isEqualTo(4096);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutATemplateAnUnlistedVnicHasNoInterface() {
        OpenConfigConfiguration c = parse("http://10.0.0.1", new String[] {"esx-01"},
                new String[] {"web-01-nic0=Ethernet1/1"}, "");

        assertThat(c.interfaceOf(vnic("db-01"))).isNull();
    }

    @Test
    void theCredentialsAreNeverPrinted() {
        OpenConfigConfiguration c = parse("http://10.0.0.1", new String[] {"esx-01"}, new String[0], "");

        assertThat(c.toString()).doesNotContain(Fixtures.PASSWORD).doesNotContain(Fixtures.USER).contains("(hidden)");
    }

    @Test
    void malformedValuesAreRefusedByName() {
        String[] hosts = {"esx-01"};
        String[] none = new String[0];
        assertThatThrownBy(() -> parse("ftp://10.0.0.1", hosts, none, "")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> parse("https://admin:" + Fixtures.PASSWORD + "@10.0.0.1", hosts, none, ""))
                .hasMessage("the base URL must not hold credentials: use username and password");
        assertThatThrownBy(() -> parse("http://10.0.0.1", new String[0], none, "")).hasMessageContaining("covers no host");
        assertThatThrownBy(() -> parse("http://10.0.0.1", hosts, new String[] {"a=Eth1", "b=Eth1"}, ""))
                .hasMessageContaining("two vNICs on one interface");
        assertThatThrownBy(() -> parse("http://10.0.0.1", hosts, new String[] {"a=Ethernet 1"}, ""))
                .hasMessageContaining("malformed interface id for vNIC a");
        assertThatThrownBy(() -> parse("http://10.0.0.1", hosts, new String[] {"a"}, ""))
                .hasMessageContaining("is not vnic=interface");
        assertThatThrownBy(() -> parse("http://10.0.0.1", hosts, none, "Ethernet1/1"))
                .hasMessageContaining("names no vNIC");
        assertThatThrownBy(() -> OpenConfigConfiguration.parse("oc:x", "http://10.0.0.1", "", "p", hosts, none, "",
                10, 1, 1)).hasMessageContaining("a username");
    }

    private static OpenConfigConfiguration parse(String url, String[] hosts, String[] interfaces, String template) {
        return OpenConfigConfiguration.parse("oc:leaf-01", url, Fixtures.USER, Fixtures.PASSWORD, hosts, interfaces,
                template, 4096, 5_000, 30_000);
    }

    private static TargetRuleSet vnic(String vm) {
        return new TargetRuleSet(vm + "-nic0", vm, "esx-01", "02:00:00:00:00:01", List.of(), 1, List.of(), List.of(),
                RuleAction.DROP, false);
    }
}
