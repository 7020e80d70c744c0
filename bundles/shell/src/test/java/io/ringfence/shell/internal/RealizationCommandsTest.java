package io.ringfence.shell.internal;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Category;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ringfence:targets and ringfence:realization over the real enforcement feeds: h1 runs web1 and is
 * enforced by target "agent-h1", which applies everything; h2 runs db1 and is enforced by target
 * "leaf", a device that refuses every update. Policy p1 allows web → db tcp/443.
 */
class RealizationCommandsTest {

    final ModelManager models = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    final EnforcementManager enforcement;
    final Console console = new Console();

    RealizationCommandsTest() {
        models.create(Kind.HOST, host("h1"), "t");
        models.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", "app:web", 1);
        vm("db1", "h2", "app:db", 2);
        models.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        models.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        models.create(Kind.SERVICE, service("https", tcp("443")), "t");
        models.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("web-to-db").sequence(10).sources("g-web").destinations("g-db").services("https").build()), "t");
        PolicyCompiler compiler = new PolicyCompiler(models.snapshot());
        models.addListener(compiler);
        enforcement = new EnforcementManager(compiler, (vm, vnic) -> Optional.empty(), ReconcilerSettings.DEFAULT,
                executor, Clock.systemUTC(), () -> 1.0);
        enforcement.addTarget(target("agent-h1", "h1", update -> CompletableFuture.completedFuture(
                Acknowledgement.applied(update.sequence(), update.ruleSets().stream()
                        .collect(Collectors.toMap(TargetRuleSet::vnicId, TargetRuleSet::generation))))));
        enforcement.addTarget(target("leaf", "h2", update -> CompletableFuture.completedFuture(
                Acknowledgement.failed(update.sequence(),
                        new TargetError("rejected-by-device", "the device refused the ACL", false)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> enforcement.overview().realized() == 1
                && enforcement.overview().failed() == 1);
    }

    @AfterEach
    void close() {
        enforcement.close();
        executor.shutdownNow();
    }

    @Test
    void targetsShowWhatEachRealizedAndTheLastError() throws Exception {
        TargetsCommand c = console.attach(new TargetsCommand());
        c.realization = enforcement;
        c.execute();
        assertThat(console.text()).contains("agent-h1", "leaf", "rejected-by-device", "the device refused the ACL");

        console.clear();
        TargetsCommand json = console.attach(new TargetsCommand());
        json.realization = enforcement;
        json.json = true;
        json.execute();
        JsonNode targets = console.json().get("targets");
        assertThat(targets).hasSize(2);
        JsonNode leaf = targets.get(0).get("targetId").asText().equals("leaf") ? targets.get(0) : targets.get(1);
        assertThat(leaf.get("failed").asInt()).isEqualTo(1);
        assertThat(leaf.get("lastError").get("code").asText()).isEqualTo("rejected-by-device");

        TargetsCommand unknown = console.attach(new TargetsCommand());
        unknown.realization = enforcement;
        unknown.resync = "nope";
        assertThatThrownBy(unknown::execute).hasMessage("no enforcement target nope");
    }

    @Test
    void realizationOfAPolicyNamesTheVnicThatFailed() throws Exception {
        RealizationCommand c = console.attach(new RealizationCommand());
        c.models = models;
        c.realization = enforcement;
        c.policyId = "p1";
        c.execute();

        String text = console.text();
        assertThat(text).startsWith("realized on 1 of 2 vNICs");
        assertThat(text).contains("leaf", "h2", "db1", "FAILED", "rejected-by-device");
        assertThat(text).doesNotContain("web1");
    }

    @Test
    void realizationOfAVmAndOfARule() throws Exception {
        RealizationCommand vm = console.attach(new RealizationCommand());
        vm.models = models;
        vm.realization = enforcement;
        vm.vmId = "web1";
        vm.json = true;
        vm.execute();
        JsonNode r = console.json();
        assertThat(r.get("vnics").asInt()).isEqualTo(1);
        assertThat(r.get("realized").asInt()).isEqualTo(1);
        assertThat(r.get("notRealized")).isEmpty();

        console.clear();
        RealizationCommand rule = console.attach(new RealizationCommand());
        rule.models = models;
        rule.realization = enforcement;
        rule.ruleId = "web-to-db";
        rule.json = true;
        rule.execute();
        assertThat(console.json().get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void realizationNeedsExactlyOneKnownSubject() {
        RealizationCommand none = console.attach(new RealizationCommand());
        none.models = models;
        none.realization = enforcement;
        assertThatThrownBy(none::execute).hasMessage("give one of --policy, --rule or --vm");

        RealizationCommand two = console.attach(new RealizationCommand());
        two.models = models;
        two.realization = enforcement;
        two.vmId = "web1";
        two.policyId = "p1";
        assertThatThrownBy(two::execute).hasMessage("give one of --policy, --rule or --vm");

        for (String[] unknown : List.of(new String[] {"policy", "no policy nope"}, new String[] {"vm", "no VM nope"},
                new String[] {"rule", "no rule nope"})) {
            RealizationCommand c = console.attach(new RealizationCommand());
            c.models = models;
            c.realization = enforcement;
            switch (unknown[0]) {
                case "policy" -> c.policyId = "nope";
                case "vm" -> c.vmId = "nope";
                default -> c.ruleId = "nope";
            }
            assertThatThrownBy(c::execute).hasMessage(unknown[1]);
        }
    }

    // ---- fixtures

    private static EnforcementTarget target(String id, String hostId,
                                            java.util.function.Function<RuleSetUpdate, CompletionStage<Acknowledgement>> answer) {
        TargetDescriptor descriptor = new TargetDescriptor(id, id.equals("leaf") ? TargetKind.HARDWARE
                : TargetKind.HYPERVISOR, "", List.of(hostId), true);
        return new EnforcementTarget() {
            @Override
            public TargetDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
                return answer.apply(update);
            }
        };
    }


    private void vm(String id, String hostId, String tag, int mac) {
        Vnic nic = new Vnic(id + "-0", new MacAddress(0x005056000000L + mac), prefixes("10.0.0." + mac), "seg");
        models.create(Kind.VM, new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0), "t");
    }
}
