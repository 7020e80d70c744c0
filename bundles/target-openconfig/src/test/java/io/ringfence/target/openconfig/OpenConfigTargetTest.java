package io.ringfence.target.openconfig;

import static io.ringfence.target.openconfig.Fixtures.PASSWORD;
import static io.ringfence.target.openconfig.Fixtures.USER;
import static io.ringfence.target.openconfig.Fixtures.rule;
import static io.ringfence.target.openconfig.Fixtures.ruleSet;
import static io.ringfence.target.openconfig.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The target against the device simulator over real HTTP on loopback. */
class OpenConfigTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PORTS = Map.of("web-01-nic0", "Ethernet1/1", "app-01-nic0", "Ethernet1/2");

    private DeviceSimulator device;
    private final List<OpenConfigTarget> targets = new ArrayList<>();

    @BeforeEach
    void startDevice() throws Exception {
        device = new DeviceSimulator(USER, PASSWORD, Set.of("Ethernet1/1", "Ethernet1/2", "Ethernet1/3"));
    }

    @AfterEach
    void stopAll() {
        targets.forEach(OpenConfigTarget::close);
        device.close();
    }

    @Test
    void anUpdateIsPushedAsTheWholeAclDocumentAndItsGenerationsAreRealized() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));

        Acknowledgement ack = apply(target, Fixtures.webServer(1));

        assertThat(ack.ok()).as("%s", ack.error()).isTrue();
        assertThat(ack.sequence()).isEqualTo(1);
        assertThat(ack.realized()).containsExactly(Map.entry("web-01-nic0", 7L));
        assertThat(device.state()).isEqualTo(JSON.readTree(AclJson.bytes(AclJsonGoldenTest.render())));
        assertThat(device.accepted()).isEqualTo(1);
    }

    @Test
    void wrongCredentialsAreRefusedForGoodWithTheDevicesMessage() throws Exception {
        OpenConfigTarget target = track(new OpenConfigTarget(new OpenConfigConfiguration("oc:leaf-01",
                URI.create(device.baseUrl()), USER, "wrong-" + PASSWORD, List.of("esx-01"), PORTS, "", 1000,
                Duration.ofSeconds(2), Duration.ofSeconds(5))));

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("rejected-by-device");
        assertThat(error.retryable()).isFalse();
        assertThat(error.message()).contains("refused the configured credentials (401)")
                .contains("authentication failed").doesNotContain(PASSWORD);
        assertThat(device.state()).isNull();
    }

    @Test
    void aDocumentTheDeviceRefusesFailsWithTheDevicesErrorMessageAndPath() throws Exception {
        OpenConfigTarget target = target(Map.of("web-01-nic0", "Ethernet9/9"), Duration.ofSeconds(5));

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("rejected-by-device");
        assertThat(error.retryable()).isFalse();
        assertThat(error.message()).startsWith("the device answered 400: ")
                .contains("no interface Ethernet9/9 on this device")
                .contains("(at /openconfig-acl:acl/interfaces/interface[id='Ethernet9/9']/interface-ref/config/interface)");
    }

    @Test
    void aFailingDeviceIsARetryableErrorAndTheNextPushAfterItRecoversRealizesTheState() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        device.failWith(500);

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("device-error");
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).isEqualTo("the device answered 500: simulated failure");
        assertThat(device.state()).isNull();

        device.recover();
        Acknowledgement ack = apply(target, Fixtures.webServer(2));

        assertThat(ack.ok()).isTrue();
        assertThat(ack.realized()).containsEntry("web-01-nic0", 7L);
        assertThat(device.state()).isEqualTo(JSON.readTree(AclJson.bytes(AclJsonGoldenTest.render())));
    }

    @Test
    void aDeviceThatIsDownIsUnreachableUntilItIsBack() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        assertThat(apply(target, Fixtures.webServer(1)).ok()).isTrue();
        device.stop();

        TargetError error = apply(target, Fixtures.webServer(2)).error();

        assertThat(error.code()).isEqualTo("unreachable");
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains(device.baseUrl() + DeviceSimulator.RESOURCE);

        device.start();
        assertThat(apply(target, Fixtures.webServer(3)).ok()).isTrue();
        assertThat(device.accepted()).isEqualTo(2);
    }

    @Test
    void aDeviceThatDoesNotAnswerInTimeIsARetryableTimeout() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofMillis(300));
        device.hang();

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("timeout");
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("did not answer within PT0.3S");

        device.recover();
        assertThat(apply(target, Fixtures.webServer(2)).ok()).isTrue();
    }

    @Test
    void aDeviceThatStallsInTheMiddleOfItsAnswerTimesOutToo() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofMillis(300));
        device.hangMidAnswer();

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("timeout");
        assertThat(error.retryable()).isTrue();

        device.recover();
        assertThat(apply(target, Fixtures.webServer(2)).ok()).isTrue();
    }

    @Test
    void pushingTheSameStateAgainSendsTheSameDocumentAndChangesNothing() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        assertThat(apply(target, Fixtures.webServer(1)).ok()).isTrue();
        byte[] first = device.lastBody();
        JsonNode state = device.state();

        assertThat(apply(target, Fixtures.webServer(2)).ok()).isTrue();

        assertThat(device.accepted()).isEqualTo(2);
        assertThat(device.lastBody()).isEqualTo(first);
        assertThat(device.state()).isEqualTo(state);
    }

    @Test
    void deltasChangeTheKnownStateAndTheWholeOfItIsPushed() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        assertThat(apply(target, Fixtures.webServer(1)).ok()).isTrue();

        TargetRuleSet app = ruleSet("app-01", 4, List.of("10.0.2.2/32"), List.of(), List.of());
        Acknowledgement added = apply(target, new RuleSetUpdate(2, false, List.of(app), List.of(), List.of(),
                List.of()));

        assertThat(added.realized()).containsExactly(Map.entry("app-01-nic0", 4L));
        assertThat(setNames()).contains("ringfence-web-01-nic0-out-ipv4", "ringfence-app-01-nic0-out-ipv4");

        assertThat(apply(target, new RuleSetUpdate(3, false, List.of(), List.of("web-01-nic0"), List.of(),
                List.of("app", "jump"))).ok()).isTrue();

        assertThat(setNames()).containsExactly("ringfence-app-01-nic0-out-ipv4", "ringfence-app-01-nic0-in-ipv4",
                "ringfence-app-01-nic0-out-ipv6", "ringfence-app-01-nic0-in-ipv6");
        assertThat(device.state().at("/openconfig-acl:acl/interfaces/interface").findValuesAsText("id"))
                .containsOnly("Ethernet1/2");
    }

    @Test
    void aFailedDeltaIsNotPartOfWhatTheNextOneBuildsOn() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        assertThat(apply(target, Fixtures.webServer(1)).ok()).isTrue();
        device.failWith(503);
        TargetRuleSet app = ruleSet("app-01", 4, List.of("10.0.2.2/32"), List.of(), List.of());
        assertThat(apply(target, new RuleSetUpdate(2, false, List.of(app), List.of(), List.of(), List.of())).ok())
                .isFalse();
        device.recover();

        TargetRuleSet web = Fixtures.webServer(0).ruleSets().get(0);
        assertThat(apply(target, new RuleSetUpdate(3, false, List.of(web), List.of(), List.of(), List.of())).ok())
                .isTrue();

        assertThat(setNames()).noneMatch(n -> n.contains("app-01"));
    }

    @Test
    void aStateThatCannotBeRenderedNeverReachesTheDevice() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        TargetRuleSet odd = ruleSet("web-01", 1, List.of("10.0.1.2/32"), List.of(),
                List.of(rule("odd", RuleAction.ALLOW, null, new TargetService(1, List.of(), List.of(), 99, null))));

        TargetError error = apply(target, Fixtures.full(1, List.of(odd), List.of())).error();

        assertThat(error.code()).isEqualTo("unsupported-rule");
        assertThat(error.retryable()).isFalse();
        assertThat(device.received()).isZero();
    }

    @Test
    void tooManyEntriesNeverReachTheDevice() throws Exception {
        OpenConfigTarget target = track(new OpenConfigTarget(Fixtures.config(device.baseUrl(), PORTS, 10)));

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("too-many-entries");
        assertThat(error.message()).contains("at least 18 ACL entries, over its limit of 10");
        assertThat(device.received()).isZero();
    }

    @Test
    void aClosedTargetTakesNoMoreUpdates() throws Exception {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));
        target.close();

        TargetError error = apply(target, Fixtures.webServer(1)).error();

        assertThat(error.code()).isEqualTo("closed");
        assertThat(device.received()).isZero();
    }

    @Test
    void theDescriptorSaysHardwareForTheConfiguredHostsWithoutCredentials() {
        OpenConfigTarget target = target(PORTS, Duration.ofSeconds(5));

        assertThat(target.descriptor().kind()).isEqualTo(io.ringfence.spi.enforcement.TargetDescriptor.TargetKind.HARDWARE);
        assertThat(target.descriptor().hosts()).containsExactly("esx-01");
        assertThat(target.descriptor().deltas()).isTrue();
        assertThat(target.descriptor().description()).contains(device.baseUrl()).doesNotContain(PASSWORD)
                .doesNotContain(USER);
    }

    private OpenConfigTarget target(Map<String, String> interfaces, Duration requestTimeout) {
        return track(new OpenConfigTarget(new OpenConfigConfiguration("oc:leaf-01", URI.create(device.baseUrl()),
                USER, PASSWORD, List.of("esx-01"), interfaces, "", 1000, Duration.ofSeconds(2), requestTimeout)));
    }

    private OpenConfigTarget track(OpenConfigTarget target) {
        targets.add(target);
        return target;
    }

    private static Acknowledgement apply(OpenConfigTarget target, RuleSetUpdate update) throws Exception {
        return target.apply(update).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private List<String> setNames() {
        return device.state().at("/openconfig-acl:acl/acl-sets/acl-set").findValuesAsText("name").stream()
                .distinct().toList();
    }
}
