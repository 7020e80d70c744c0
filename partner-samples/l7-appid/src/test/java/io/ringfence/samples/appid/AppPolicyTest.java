package io.ringfence.samples.appid;

import static io.ringfence.samples.appid.Flows.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.samples.appid.protocol.App;
import io.ringfence.samples.appid.protocol.Identification;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppPolicyTest {

    private static final Identification TLS_BANK = new Identification(App.TLS, "www.bank.example", null);
    private static final Identification TLS_NO_SNI = new Identification(App.TLS, null, null);
    private static final Identification SSH = new Identification(App.SSH, null, "SSH-2.0 OpenSSH_9.6");

    @Test
    void anEmptyProfileTakesTheSchemasDefaults() {
        AppPolicy policy = AppPolicy.of(profile());
        assertThat(policy.decide(TLS_BANK).allowed()).isTrue();
        assertThat(policy.decide(Identification.UNKNOWN).allowed()).isTrue();
        assertThat(policy.denyVerdict()).isEqualTo(Verdict.DROP);
        assertThat(policy.maxBytes()).isEqualTo(4096);
    }

    @Test
    void denyListsComeBeforeAllowLists() {
        AppPolicy policy = AppPolicy.of(profile("allowApps", List.of("tls", "ssh"), "denyHosts", List.of("*.bank.example"),
                "denyApps", List.of("ssh"), "defaultAction", "deny"));
        AppPolicy.Decision bank = policy.decide(TLS_BANK);
        assertThat(bank).isEqualTo(new AppPolicy.Decision(false, "host:www.bank.example", "denyHosts *.bank.example",
                Alert.Severity.MEDIUM));
        assertThat(policy.decide(SSH)).isEqualTo(new AppPolicy.Decision(false, "app:ssh", "denyApps", Alert.Severity.MEDIUM));
        assertThat(policy.decide(TLS_NO_SNI).allowed()).isTrue(); // allowApps: a host list cannot apply without a host
    }

    @Test
    void allowListsComeBeforeTheDefault() {
        AppPolicy policy = AppPolicy.of(profile("allowApps", List.of("dns"), "allowHosts", List.of("*.corp.example"),
                "defaultAction", "deny"));
        assertThat(policy.decide(new Identification(App.DNS, "anything.example", null)).reason()).isEqualTo("allowApps");
        assertThat(policy.decide(new Identification(App.HTTP, "wiki.corp.example", "GET")).reason())
                .isEqualTo("allowHosts *.corp.example");
        AppPolicy.Decision other = policy.decide(new Identification(App.HTTP, "corp.example", "GET"));
        assertThat(other).isEqualTo(new AppPolicy.Decision(false, "app:http", "defaultAction", Alert.Severity.LOW));
        assertThat(policy.decide(TLS_NO_SNI).allowed()).isFalse();
    }

    @Test
    void unknownFlowsAreDecidedByUnknownActionAlone() {
        AppPolicy policy = AppPolicy.of(profile("unknownAction", "deny", "defaultAction", "allow", "action", "reject"));
        assertThat(policy.decide(Identification.UNKNOWN))
                .isEqualTo(new AppPolicy.Decision(false, "app:unknown", "unknownAction", Alert.Severity.LOW));
        assertThat(policy.denyVerdict()).isEqualTo(Verdict.REJECT);
        assertThat(AppPolicy.of(profile("unknownAction", "allow", "defaultAction", "deny"))
                .decide(Identification.UNKNOWN).allowed()).isTrue();
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> AppPolicy.of(profile("denyHosts", List.of("ok.example", "*.bad..example"))))
                .hasMessageStartingWith("denyHosts: '*.bad..example' is not a host name pattern");
        assertThatThrownBy(() -> AppPolicy.of(profile("allowHosts", List.of("*"))))
                .hasMessageStartingWith("allowHosts: '*' is not a host name pattern");
        assertThatThrownBy(() -> AppPolicy.of(profile("denyApps", List.of("ftp"))))
                .hasMessage("denyApps: 'ftp' is not one of http, tls, ssh, dns");
        assertThatThrownBy(() -> AppPolicy.of(profile("allowApps", List.of("unknown"))))
                .hasMessage("allowApps: 'unknown' is not one of http, tls, ssh, dns (unknown flows get unknownAction)");
        assertThatThrownBy(() -> AppPolicy.of(profile("action", "block"))).hasMessage("action must be one of drop, reject: 'block'");
        assertThatThrownBy(() -> AppPolicy.of(profile("maxBytes", 100_000L))).hasMessageContaining("maxBytes");
    }

    @Test
    void theSchemaPublishesEveryParameterWithItsAllowedValues() {
        assertThat(AppPolicy.SCHEMA.parameters()).extracting(p -> p.name()).containsExactly("allowApps", "denyApps",
                "allowHosts", "denyHosts", "defaultAction", "unknownAction", "action", "maxBytes");
        assertThat(AppPolicy.SCHEMA.parameter("denyApps").allowedValues()).containsExactly("http", "tls", "ssh", "dns");
        assertThat(AppPolicy.SCHEMA.parameter("action").allowedValues()).containsExactly("drop", "reject");
        assertThat(AppPolicy.SCHEMA.parameter("maxBytes").maximum()).isEqualTo(AppPolicy.MAX_MAX_BYTES);
    }
}
