package io.ringfence.target.openconfig;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationState;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.enforcement.internal.RuleSetConverter;
import io.ringfence.enforcement.internal.VnicDirectory;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Realization through the framework's feed and reconciler with the real OpenConfig target and its
 * device simulator on loopback: the compiler compiles the model, the feed sends each change to the
 * target, the target pushes the whole ACL document to the device. The device fails (500), then is
 * down (connection refused): realization shows FAILED with the device's reason, the reconciler
 * realizes the state once the device is back without any new change, and nothing is lost.
 *
 * <p>The data center: web-01 (app:web) and app-01 (app:app) on esx-01, which the device fronts;
 * policy shop: web-to-app (web → app, TCP 8080, ALLOW).
 */
class OpenConfigRealizationTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Map<String, String> PORTS = Map.of("web-01-nic0", "Ethernet1/1", "app-01-nic0", "Ethernet1/2",
            "web-02-nic0", "Ethernet1/3");
    private static final ObjectMapper JSON = new ObjectMapper();

    final ModelManager models = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final ScheduledExecutorService feeds = Executors.newSingleThreadScheduledExecutor();
    final VnicDirectory directory = (vm, vnic) -> models.snapshot().find(Kind.VM, vm)
            .flatMap(v -> v.vnics().stream().filter(n -> n.id().equals(vnic)).findFirst());
    PolicyCompiler compiler;
    DeviceSimulator device;
    OpenConfigConfiguration config;
    OpenConfigTarget target;
    EnforcementManager enforcement;

    @BeforeEach
    void start() throws Exception {
        models.create(Kind.HOST, host("esx-01"), "t");
        vm("web-01", "app:web", 1);
        vm("app-01", "app:app", 2);
        models.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "t");
        models.create(Kind.GROUP, group("app").criteria(tagEquals("app:app")).build(), "t");
        models.create(Kind.SERVICE, service("app-api", tcp("8080")), "t");
        models.create(Kind.POLICY, policy("shop", Category.APPLICATION, 10,
                rule("web-to-app").sequence(10).sources("web").destinations("app").services("app-api").build()), "t");
        compiler = new PolicyCompiler(models.snapshot());
        models.addListener(compiler);

        device = new DeviceSimulator(Fixtures.USER, Fixtures.PASSWORD, Set.of("Ethernet1/1", "Ethernet1/2",
                "Ethernet1/3"));
        config = Fixtures.config(device.baseUrl(), PORTS, 1000);
        target = new OpenConfigTarget(config);
        enforcement = new EnforcementManager(compiler, directory, new ReconcilerSettings(Duration.ofSeconds(10),
                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ZERO), feeds,
                Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
        enforcement.addTarget(target);
    }

    @AfterEach
    void stop() {
        enforcement.close();
        feeds.shutdownNow();
        target.close();
        device.close();
    }

    @Test
    void failuresShowWithTheDevicesReasonAndTheReconcilerRealizesEveryChangeOnceTheDeviceIsBack() throws Exception {
        awaitInSync();
        assertDeviceHoldsTheModel();

        // the device fails: the change is FAILED with the device's words, and the one after it waits for the retry
        device.failWith(500);
        models.createRule("shop", rule("no-ssh").sequence(20).sources("web").destinations("app").services("app-api")
                .action(Action.REJECT).build(), "t");
        TargetRealization failing = awaitFailing("device-error");
        assertThat(failing.lastError().message()).isEqualTo("the device answered 500: simulated failure");
        assertThat(failing.lastError().retryable()).isTrue();
        assertThat(failing.failed()).isEqualTo(2);
        vm("web-02", "app:web", 3);
        assertThat(enforcement.vnics(config.targetId()).orElseThrow()).allSatisfy(v -> {
            assertThat(v.state()).isEqualTo(RealizationState.FAILED);
            assertThat(v.lastError().code()).isEqualTo("device-error");
        });
        Realization rule = enforcement.ofRule("no-ssh"); // web-02 is in web: the rule lands on it too
        assertThat(rule.summary()).startsWith("realized on 0 of 3 vNICs; 3 failed on host esx-01 since ")
                .endsWith(" (device-error)");
        assertThat(device.state()).as("the device keeps what it had (fail static)").isNotNull();

        // the device is back: the reconciler retries, nothing else changes
        device.recover();
        awaitInSync();
        assertDeviceHoldsTheModel();
        assertThat(enforcement.ofPolicy("shop").summary()).isEqualTo("realized on 3 of 3 vNICs");

        // the device is down: connection refused, then up again
        int accepted = device.accepted();
        device.stop();
        Rule noSsh = models.findRule("shop", "no-ssh").orElseThrow();
        models.replaceRule("shop", "no-ssh", rule("no-ssh").sequence(20).sources("web").destinations("app")
                .services("app-api").action(Action.DROP).logged(true).build(), noSsh.revision(), "t");
        TargetRealization unreachable = awaitFailing("unreachable");
        assertThat(unreachable.lastError().message()).contains("cannot connect to the device at "
                + device.baseUrl() + DeviceSimulator.RESOURCE);
        assertThat(enforcement.ofVm("web-01").notRealized()).singleElement()
                .satisfies(v -> assertThat(v.state()).isEqualTo(RealizationState.FAILED));
        device.start();
        awaitInSync();
        assertThat(device.accepted()).isGreaterThan(accepted);
        assertDeviceHoldsTheModel();
    }

    /** Waits until the target realized every vNIC's current rule set, nothing in flight. */
    private void awaitInSync() {
        await().atMost(PATIENCE).until(() -> {
            TargetFeedStatus s = enforcement.target(config.targetId()).orElseThrow();
            return s.inSync() && !s.desired().isEmpty();
        });
        TargetRealization t = enforcement.realization(config.targetId()).orElseThrow();
        assertThat(t.failing()).isFalse();
        assertThat(t.realized()).isEqualTo(t.vnics());
        Map<String, Long> compiled = new TreeMap<>();
        for (Vm vm : models.snapshot().vms()) {
            compiler.ruleSetsOfVm(vm.id()).forEach(s -> compiled.put(s.vnicId(), s.generation()));
        }
        Map<String, Long> realized = new TreeMap<>();
        enforcement.vnics(config.targetId()).orElseThrow()
                .forEach(v -> realized.put(v.vnicId(), v.realizedGeneration()));
        assertThat(realized).as("realized generation == desired generation, per vNIC").isEqualTo(compiled);
    }

    private TargetRealization awaitFailing(String code) {
        TargetRealization[] last = new TargetRealization[1];
        await().atMost(PATIENCE).until(() -> {
            last[0] = enforcement.realization(config.targetId()).orElseThrow();
            return last[0].failing() && last[0].lastError().code().equals(code);
        });
        return last[0];
    }

    /** The device holds exactly what the target renders from the model as compiled now. */
    private void assertDeviceHoldsTheModel() throws Exception {
        List<TargetRuleSet> sets = new ArrayList<>();
        Map<String, AddressGroupSet> groups = new HashMap<>();
        for (Vm vm : models.snapshot().vms()) {
            for (VnicRuleSet s : compiler.ruleSetsOfVm(vm.id())) {
                sets.add(RuleSetConverter.ruleSet(s, directory.vnic(s.vmId(), s.vnicId()).orElseThrow()));
                for (List<CompiledRule> side : List.of(s.in(), s.out())) {
                    for (CompiledRule e : side) {
                        if (e.remote() != null) {
                            groups.put(e.remote(), RuleSetConverter.addressGroup(compiler.addressGroup(e.remote())
                                    .orElseThrow()));
                        }
                    }
                }
            }
        }
        DesiredState model = DesiredState.EMPTY.with(new RuleSetUpdate(1, true, sets, List.of(),
                List.copyOf(groups.values()), List.of()));
        JsonNode expected = JSON.readTree(AclJson.bytes(new AclRenderer(config).render(model)));
        assertThat(device.state()).isEqualTo(expected);
    }

    private void vm(String id, String tag, int mac) {
        models.create(Kind.VM, new Vm(id, id, "esx-01", null, List.of(tag), List.of(new Vnic(id + "-nic0",
                new MacAddress(0x020000000000L + mac), prefixes("10.0.1." + mac), "seg")), 0), "t");
    }
}
