package io.ringfence.samples.appid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.samples.appid.protocol.ClientHelloBuilder;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppIdServiceTest {

    @Test
    void theDescriptorReportsTheMavenVersionTheBundleWasBuiltAs() {
        String mavenVersion = System.getProperty("appid.mavenVersion");
        assertThat(mavenVersion).as("set by the build (surefire)").isNotBlank();
        InspectionDescriptor descriptor = new AppIdService().descriptor();
        assertThat(descriptor.definitionId()).isEqualTo("ringfence-samples/l7-appid");
        assertThat(descriptor.version()).isEqualTo(mavenVersion.replaceFirst("-", "."));
        assertThat(descriptor.profileSchema()).isEqualTo(AppPolicy.SCHEMA);
        assertThat(descriptor.exportsState()).isTrue();
        assertThat(descriptor.importsState()).isTrue();
    }

    @Test
    void mavenVersionsBecomeDescriptorVersions() {
        assertThat(AppIdService.descriptorVersion("1.2.0")).isEqualTo("1.2.0");
        assertThat(AppIdService.descriptorVersion("0.1.0-SNAPSHOT")).isEqualTo("0.1.0.SNAPSHOT");
        assertThat(new AppIdService("2.0.0.rc-1").descriptor().version()).isEqualTo("2.0.0.rc-1");
        assertThatThrownBy(() -> new AppIdService(AppIdService.descriptorVersion("2.0"))).hasMessageContaining("version");
    }

    @Test
    void openRefusesAProfileWithABadPatternNamingIt() {
        InspectionService service = new AppIdService("1.0.0");
        assertThatThrownBy(() -> service.open(Flows.tcp(), Flows.profile("allowHosts", List.of("*.ok.example", "no way")),
                new Flows.Alerts())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowHosts: 'no way' is not a host name pattern");
    }

    @Test
    void blocksATlsFlowBySniWhileAllowingAnother() {
        InspectionService service = new AppIdService("1.0.0");
        Flows.Alerts alerts = new Flows.Alerts();
        var profile = Flows.profile("denyHosts", List.of("*.blocked.example"), "action", "reject");
        Flows.Tcp blocked = new Flows.Tcp(service.open(Flows.tcp(), profile, alerts)).handshake();
        Flows.Tcp allowed = new Flows.Tcp(service.open(Flows.tcp(), profile, alerts)).handshake();
        assertThat(blocked.client(new ClientHelloBuilder().serverName("www.blocked.example").record())).isEqualTo(Verdict.REJECT);
        assertThat(allowed.client(new ClientHelloBuilder().serverName("www.allowed.example").record()))
                .isEqualTo(Verdict.PASS_AND_BYPASS);
        assertThat(alerts.received).singleElement().satisfies(alert -> {
            assertThat(alert.signature()).isEqualTo("host:www.blocked.example");
            assertThat(alert.blocked()).isTrue();
        });
    }
}
