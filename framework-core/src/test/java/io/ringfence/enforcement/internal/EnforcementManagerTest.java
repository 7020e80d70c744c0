package io.ringfence.enforcement.internal;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationOverview;
import io.ringfence.enforcement.RealizationState;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Category;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Realization seen from policies, rules and VMs over several targets, and targets that come and
 * go. The data center: h1 runs web1 (app:web), h2 runs db1 (app:db), h3 runs mon1 (app:mon).
 * Target nft covers h1 and h2; target leaf (a device in front of h2) covers h2; no target covers
 * h3. Policy p1: web-to-db (web → db), mon-to-web (mon → web); policy p2: db-to-mon (db → mon).
 */
class EnforcementManagerTest {

    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    final ModelManager models = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final ManualScheduler scheduler = new ManualScheduler();
    PolicyCompiler compiler;
    EnforcementManager manager;
    RecordingTarget nft;
    RecordingTarget leaf;

    @BeforeEach
    void dataCenter() {
        for (String h : List.of("h1", "h2", "h3")) {
            models.create(Kind.HOST, host(h), "t");
        }
        vm("web1", "h1", "app:web", 1);
        vm("db1", "h2", "app:db", 2);
        vm("mon1", "h3", "app:mon", 3);
        for (String tier : List.of("web", "db", "mon")) {
            models.create(Kind.GROUP, group("g-" + tier).criteria(tagEquals("app:" + tier)).build(), "t");
        }
        models.create(Kind.SERVICE, service("https", tcp("443")), "t");
        models.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("web-to-db").sequence(10).sources("g-web").destinations("g-db").services("https").build(),
                rule("mon-to-web").sequence(20).sources("g-mon").destinations("g-web").services("https").build()),
                "t");
        models.create(Kind.POLICY, policy("p2", Category.APPLICATION, 20,
                rule("db-to-mon").sequence(10).sources("g-db").destinations("g-mon").services("https").build()), "t");
        compiler = new PolicyCompiler(models.snapshot());
        models.addListener(compiler);
        manager = new EnforcementManager(compiler, (vm, vnic) -> Optional.empty(), new ReconcilerSettings(
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(10)), scheduler, scheduler.clock(T0), () -> 1.0);
        nft = new RecordingTarget(new TargetDescriptor("nft", TargetKind.HYPERVISOR, "", List.of("h1", "h2"), true));
        leaf = new RecordingTarget(new TargetDescriptor("leaf", TargetKind.HARDWARE, "", List.of("h2"), false));
        manager.addTarget(nft);
        manager.addTarget(leaf);
        scheduler.runPending();
    }

    @Test
    void aVnicIsRealizedWhenEveryTargetThatEnforcesItRealizedIt() {
        nft.acknowledgeLast();
        scheduler.advance(Duration.ofSeconds(2));
        leaf.fail(new TargetError("device-error", "the device answered 500: busy", true));
        scheduler.runPending();

        Realization p1 = manager.ofPolicy("p1");
        assertThat(p1).extracting(Realization::vnics, Realization::realized, Realization::pending, Realization::failed,
                Realization::unenforced).containsExactly(3, 1, 0, 1, 1);
        assertThat(p1.notRealized()).extracting(VnicRealization::targetId, VnicRealization::vnicId,
                VnicRealization::hostId, VnicRealization::state, VnicRealization::pendingSince)
                .containsExactly(tuple("leaf", "db1-0", "h2", RealizationState.FAILED, T0));
        assertThat(p1.notRealized().get(0).lastError().message()).isEqualTo("the device answered 500: busy");
        assertThat(p1.summary()).isEqualTo("realized on 1 of 3 vNICs; 1 failed on host h2 since 2024-05-01T12:00:00Z"
                + " (device-error); 1 enforced by no target");

        assertThat(manager.ofRule("web-to-db")).extracting(Realization::vnics, Realization::realized,
                Realization::failed).containsExactly(2, 1, 1);
        assertThat(manager.ofRule("mon-to-web").summary()).isEqualTo("realized on 1 of 2 vNICs; 1 enforced by no target");
        assertThat(manager.ofVm("web1").summary()).isEqualTo("realized on 1 of 1 vNIC");
        assertThat(manager.ofPolicy("p2").vnics()).as("db1 and mon1").isEqualTo(2);
        assertThat(manager.ofRule("no-such-rule").summary()).isEqualTo("lands on no vNIC");
        assertThat(manager.ofVm("no-such-vm").vnics()).isZero();

        scheduler.advance(Duration.ofSeconds(1));
        leaf.acknowledgeLast();
        scheduler.runPending();
        assertThat(manager.ofPolicy("p1").summary()).isEqualTo("realized on 2 of 3 vNICs; 1 enforced by no target");
    }

    @Test
    void pendingVnicsAreNamedByHostWithTheOldestSince() {
        nft.acknowledgeLast();
        leaf.acknowledgeLast();
        scheduler.runPending();
        scheduler.advance(Duration.ofSeconds(61));
        models.replaceRule("p1", "web-to-db", rule("web-to-db").sequence(10).sources("g-web").destinations("g-db")
                .services("https").logged(true).build(), null, "t");
        scheduler.runPending();

        assertThat(manager.ofRule("web-to-db").summary()).isEqualTo("realized on 0 of 2 vNICs; 1 pending on host h1"
                + " since 2024-05-01T12:01:01Z; 1 pending on host h2 since 2024-05-01T12:01:01Z");
        assertThat(manager.ofRule("web-to-db").notRealized()).extracting(VnicRealization::targetId,
                VnicRealization::vnicId).containsExactly(tuple("leaf", "db1-0"), tuple("nft", "db1-0"),
                tuple("nft", "web1-0"));
    }

    @Test
    void theOverviewSumsTheTargets() {
        nft.acknowledgeLast();
        leaf.fail(new TargetError("unreachable", "connection refused", true));
        scheduler.runPending();

        RealizationOverview overview = manager.overview();
        assertThat(overview.targets()).extracting(TargetRealization::targetId, TargetRealization::vnics,
                        TargetRealization::realized, TargetRealization::failed, TargetRealization::failing)
                .containsExactly(tuple("leaf", 1, 0, 1, true), tuple("nft", 2, 2, 0, false));
        assertThat(overview).extracting(RealizationOverview::vnics, RealizationOverview::realized,
                        RealizationOverview::pending, RealizationOverview::failed, RealizationOverview::failingTargets)
                .containsExactly(3, 2, 0, 1, 1);
        assertThat(manager.realization("leaf").orElseThrow().nextRetryAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(manager.vnics("leaf").orElseThrow()).extracting(VnicRealization::vnicId).containsExactly("db1-0");
        assertThat(manager.realization("nope")).isEmpty();
        assertThat(manager.vnics("nope")).isEmpty();
    }

    @Test
    void aTargetThatRegistersAgainGetsANewFeedAndItsFullState() {
        nft.acknowledgeLast();
        scheduler.runPending();
        manager.removeTarget(nft);
        vm("web2", "h1", "app:web", 4);
        scheduler.runPending();
        assertThat(nft.updates).as("nothing while it is gone").hasSize(1);
        assertThat(manager.realization("nft")).isEmpty();
        assertThat(manager.ofVm("web2").unenforced()).isEqualTo(1);

        manager.addTarget(nft);
        scheduler.runPending();
        assertThat(nft.updates).hasSize(2);
        assertThat(nft.last().sequence()).as("a new feed numbers from 1").isEqualTo(1);
        assertThat(nft.last().full()).isTrue();
        assertThat(nft.last().ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("db1-0", "web1-0", "web2-0");
        nft.acknowledgeLast();
        scheduler.runPending();
        assertThat(manager.realization("nft").orElseThrow().realized()).isEqualTo(3);
        assertThat(manager.resync("nft")).isTrue();
        assertThat(manager.resync("nope")).isFalse();
    }

    private void vm(String id, String host, String tag, int mac) {
        models.create(Kind.VM, new Vm(id, id, host, null, List.of(tag), List.of(new Vnic(id + "-0",
                new MacAddress(0x020000000000L + mac), prefixes("10.0.0." + mac), "seg")), 0), "t");
    }
}
