package io.ringfence.enforcement.internal;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.icmp;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A feed between the real compiler and a recording target, over a deterministic executor: what
 * the target receives (full, then deltas, merged while one is in flight), how failures and
 * timeouts are handled, and that the target's picture ends equal to the compiler's.
 *
 * <p>The data center: h1 runs web1 (app:web), h2 runs db1 (app:db), h3 runs mon1 (app:mon); the
 * target covers h1 and h2. Policy p1: web-to-db (web → db, https, ALLOW), ping (web → db, ICMP
 * echo, REJECT).
 */
class TargetFeedTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** No slow retry, no anti-entropy: what this test looks at happens on changes (ReconcilerTest has the rest). */
    static final ReconcilerSettings SETTINGS = new ReconcilerSettings(TIMEOUT, Duration.ofMillis(100),
            Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO);

    final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
    final ManualScheduler scheduler = new ManualScheduler();
    PolicyCompiler compiler;
    RecordingTarget target;
    TargetFeed feed;

    @BeforeEach
    void dataCenter() {
        for (String h : List.of("h1", "h2", "h3")) {
            manager.create(Kind.HOST, host(h), "t");
        }
        vm("web1", "h1", "app:web", 1, "10.0.1.1", "2001:db8::1");
        vm("db1", "h2", "app:db", 2, "10.0.2.1");
        vm("mon1", "h3", "app:mon", 3, "10.0.3.1");
        for (String tier : List.of("web", "db", "mon")) {
            manager.create(Kind.GROUP, group("g-" + tier).criteria(tagEquals("app:" + tier)).build(), "t");
        }
        manager.create(Kind.SERVICE, service("https", tcp("443", "8443-8444")), "t");
        manager.create(Kind.SERVICE, service("echo", icmp(8, null)), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("web-to-db").sequence(10).sources("g-web").destinations("g-db").services("https").build(),
                rule("ping").sequence(20).sources("g-web").destinations("g-db").services("echo")
                        .action(Action.REJECT).build()), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
    }

    void start(boolean deltas) {
        target = new RecordingTarget(new TargetDescriptor("nft:test", TargetKind.HYPERVISOR, "test", List.of("h1", "h2"),
                deltas));
        feed = new TargetFeed(target, VnicDirectory.of(manager), SETTINGS, scheduler, Clock.systemUTC(), () -> 1.0);
        compiler.attach("h1", feed);
        compiler.attach("h2", feed);
        scheduler.runPending();
    }

    @Test
    void theFirstUpdateIsTheFullStateOfAllTheTargetsHosts() {
        start(true);
        assertThat(target.updates).as("both hosts' states arrived before the executor ran: one update").hasSize(1);
        RuleSetUpdate first = target.last();
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.full()).isTrue();
        assertThat(first.ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("db1-0", "web1-0");
        assertThat(first.addressGroups()).extracting(g -> g.id()).containsExactly("g-db", "g-web");
        assertThat(feed.status().inFlight()).isTrue();
        assertThat(scheduler.timers()).as("the update's timeout").isOne();

        target.acknowledgeLast();
        scheduler.runPending();
        assertThat(target.updates).hasSize(1);
        assertThat(scheduler.timers()).as("no timer left behind").isZero();
        TargetFeedStatus status = feed.status();
        assertThat(status.inSync()).isTrue();
        assertThat(status.realized()).containsOnlyKeys("web1-0", "db1-0");
        assertThat(status.sequence()).isEqualTo(1);
        assertThat(status.acknowledgement().sequence()).isEqualTo(1);
        assertThat(status.error()).isNull();
        assertReplicaMatchesCompiler();
    }

    @Test
    void aHostAttachedWhileAnUpdateIsInFlightFollowsAsADelta() {
        target = new RecordingTarget(new TargetDescriptor("nft:test", TargetKind.HYPERVISOR, "test", List.of("h1", "h2"),
                true));
        feed = new TargetFeed(target, (vm, vnic) -> Optional.empty(), SETTINGS, scheduler, Clock.systemUTC(), () -> 1.0);
        compiler.attach("h1", feed);
        scheduler.runPending();
        compiler.attach("h2", feed);
        scheduler.runPending();
        assertThat(target.updates).as("one update at a time").hasSize(1);
        assertThat(target.last().ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("web1-0");

        target.acknowledgeLast();
        scheduler.runPending();
        RuleSetUpdate second = target.last();
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.full()).isFalse();
        assertThat(second.ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("db1-0");
        assertThat(second.ruleSets().get(0).mac()).as("the directory did not know the vNIC").isNull();
        assertThat(second.addressGroups()).extracting(g -> g.id()).containsExactly("g-web");
        acknowledge();
        assertReplicaMatchesCompiler();
    }

    @Test
    void aRuleSetCarriesTheVnicsAddressesAndItsEntriesInSpiTerms() {
        start(true);
        TargetRuleSet web = target.last().ruleSets().stream().filter(r -> r.vnicId().equals("web1-0")).findFirst()
                .orElseThrow();
        assertThat(web.mac()).isEqualTo("02:00:00:00:00:01");
        assertThat(web.addresses()).containsExactly("10.0.1.1/32", "2001:db8::1/128");
        assertThat(web.hostId()).isEqualTo("h1");
        assertThat(web.defaultAction()).isEqualTo(RuleAction.DROP);
        assertThat(web.inbound()).isEmpty();
        assertThat(web.outbound()).extracting(TargetRule::ruleId, TargetRule::action, TargetRule::remoteGroup)
                .containsExactly(tuple("web-to-db", RuleAction.ALLOW, "g-db"),
                        tuple("ping", RuleAction.REJECT, "g-db"));
        TargetService https = web.outbound().get(0).services().get(0);
        assertThat(https.protocol()).isEqualTo(6);
        assertThat(https.destinationPorts()).containsExactly(new int[] {443, 443}, new int[] {8443, 8444});
        TargetService echo = web.outbound().get(1).services().get(0);
        assertThat(echo.protocol()).isEqualTo(1);
        assertThat(echo.icmpType()).isEqualTo(8);
        assertThat(echo.icmpCode()).isNull();
        assertThat(target.last().addressGroups()).filteredOn(g -> g.id().equals("g-db")).singleElement()
                .satisfies(g -> assertThat(g.prefixes()).containsExactly("10.0.2.1/32"));
    }

    @Test
    void changesQueuedBehindAnUpdateInFlightAreMergedIntoTheNextOne() {
        start(true);
        acknowledge();
        manager.createRule("p1", rule("ssh").sequence(30).sources("g-web").destinations("g-db").services("https")
                .action(Action.DROP).build(), "t");
        scheduler.runPending();
        assertThat(target.updates).as("the first change goes out at once").hasSize(2);

        // while it is in flight: the rule edited twice, a VM added to web and deleted again, one added for good
        Rule ssh = manager.findRule("p1", "ssh").orElseThrow();
        manager.replaceRule("p1", "ssh", rule("ssh").sequence(30).sources("g-web").destinations("g-db")
                .services("https").action(Action.REJECT).build(), ssh.revision(), "t");
        vm("web2", "h1", "app:web", 4, "10.0.1.2");
        manager.delete(Kind.VM, "web2", null, "t");
        vm("web3", "h1", "app:web", 5, "10.0.1.3");
        scheduler.runPending();
        assertThat(target.updates).hasSize(2);

        target.acknowledgeLast();
        scheduler.runPending();
        assertThat(target.updates).as("everything that queued up, as one delta").hasSize(3);
        RuleSetUpdate merged = target.last();
        assertThat(merged.full()).isFalse();
        assertThat(merged.ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("db1-0", "web1-0", "web3-0");
        assertThat(merged.ruleSets()).allSatisfy(s -> assertThat(s.generation())
                .isEqualTo(compiler.ruleSet(s.vnicId()).orElseThrow().generation()));
        assertThat(merged.ruleSets().get(1).outbound()).extracting(TargetRule::ruleId, TargetRule::action)
                .contains(tuple("ssh", RuleAction.REJECT));
        assertThat(merged.removedVnics()).containsExactly("web2-0");
        acknowledge();
        assertReplicaMatchesCompiler();
    }

    @Test
    void anAddressGroupIsReleasedOnlyWhenNoHostOfTheTargetRefersToItAnyMore() {
        // mon1 may reach everything: its group lands as the remote of an IN entry on every vNIC
        manager.createRule("p1", rule("monitoring").sequence(5).sources("g-mon").services("https").build(), "t");
        start(true);
        acknowledge();
        assertThat(target.groups).containsKey("g-mon");

        manager.delete(Kind.VM, "web1", null, "t");
        acknowledge();
        assertThat(target.updates.get(target.updates.size() - 1).releasedGroups())
                .as("h1 let go of g-mon, h2 still uses it").doesNotContain("g-mon");
        assertThat(target.groups).containsKey("g-mon");

        manager.deleteRule("p1", "monitoring", null, "t");
        acknowledge();
        assertThat(target.last().releasedGroups()).contains("g-mon");
        assertThat(target.groups).doesNotContainKey("g-mon");
        assertReplicaMatchesCompiler();
    }

    @Test
    void afterAFailureTheNextChangeSendsTheFullStateAndTheErrorIsKept() {
        start(true);
        acknowledge();
        manager.createRule("p1", rule("r3").sequence(30).sources("g-web").destinations("g-db").services("https")
                .build(), "t");
        scheduler.runPending();
        target.fail(new TargetError("rejected-by-device", "no room", false));
        scheduler.runPending();
        TargetFeedStatus failed = feed.status();
        assertThat(failed.error().code()).isEqualTo("rejected-by-device");
        assertThat(failed.failedAt()).isNotNull();
        assertThat(failed.inSync()).as("desired generations are ahead of the realized ones").isFalse();
        assertThat(target.updates).as("a refusal waits for a change").hasSize(2);
        assertThat(scheduler.timers()).as("no slow retry in these settings").isZero();

        manager.create(Kind.SERVICE, service("unused", tcp("1")), "t"); // touches no host: nothing to send
        scheduler.runPending();
        assertThat(target.updates).hasSize(2);
        vm("db2", "h2", "app:db", 6, "10.0.2.2");
        scheduler.runPending();
        assertThat(target.updates).as("one update for the deltas of h1 and h2").hasSize(3);
        assertThat(target.last().full()).isTrue();
        assertThat(target.last().ruleSets()).extracting(TargetRuleSet::vnicId)
                .containsExactly("db1-0", "db2-0", "web1-0");
        acknowledge();
        assertThat(feed.status().inSync()).isTrue();
        assertThat(feed.status().error().code()).as("the last error stays visible").isEqualTo("rejected-by-device");
        assertReplicaMatchesCompiler();
    }

    @Test
    void anUnansweredUpdateTimesOutALateAnswerIsIgnoredAndResyncSendsTheFullState() {
        start(true);
        scheduler.advance(TIMEOUT.plusSeconds(1));
        TargetFeedStatus status = feed.status();
        assertThat(status.error().code()).isEqualTo("timeout");
        assertThat(status.error().retryable()).isTrue();
        assertThat(status.inFlight()).isFalse();
        assertThat(target.updates).hasSize(1);

        target.acknowledgeLast(); // too late
        scheduler.runPending();
        assertThat(feed.status().realized()).as("a late answer realizes nothing").isEmpty();

        feed.resync();
        scheduler.runPending();
        assertThat(target.updates).hasSize(2);
        assertThat(target.last().sequence()).isEqualTo(2);
        assertThat(target.last().full()).isTrue();
        assertThat(target.last().ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("db1-0", "web1-0");
        acknowledge();
        assertThat(feed.status().inSync()).isTrue();
    }

    @Test
    void aTargetThatTakesNoDeltasAlwaysGetsItsFullState() {
        start(false);
        acknowledge();
        manager.createRule("p1", rule("r3").sequence(30).sources("g-web").destinations("g-db").services("https")
                .direction(Direction.OUT).build(), "t");
        scheduler.runPending();
        assertThat(target.last().full()).isTrue();
        assertThat(target.last().ruleSets()).hasSize(2);
        acknowledge();
        assertReplicaMatchesCompiler();
    }

    @Test
    void deltasForHostsTheTargetDoesNotCoverAreIgnored() {
        start(true);
        acknowledge();
        int before = target.updates.size();
        compiler.attach("h3", feed);
        vm("mon2", "h3", "app:mon", 7, "10.0.3.2");
        scheduler.runPending();
        assertThat(target.updates).hasSize(before);
        assertThat(feed.status().desired()).doesNotContainKeys("mon1-0", "mon2-0");
    }

    @Test
    void aClosedFeedSendsNothingMore() {
        start(true);
        acknowledge();
        feed.close();
        vm("db2", "h2", "app:db", 6, "10.0.2.2");
        scheduler.runPending();
        assertThat(target.updates).hasSize(1);
    }

    /** Acknowledges every update as it comes, until nothing is pending. */
    void acknowledge() {
        scheduler.runPending();
        while (feed.status().inFlight()) {
            target.acknowledgeLast();
            scheduler.runPending();
        }
    }

    /** The target's picture of h1 and h2 is the compiler's. */
    void assertReplicaMatchesCompiler() {
        Map<String, Long> expected = new HashMap<>();
        Map<String, List<String>> expectedGroups = new HashMap<>();
        for (Vm vm : manager.snapshot().vms()) {
            if (!vm.hostId().equals("h3")) {
                for (VnicRuleSet set : compiler.ruleSetsOfVm(vm.id())) {
                    expected.put(set.vnicId(), set.generation());
                    for (var entry : set.in()) {
                        addGroup(expectedGroups, entry.remote());
                    }
                    for (var entry : set.out()) {
                        addGroup(expectedGroups, entry.remote());
                    }
                }
            }
        }
        Map<String, Long> actual = new HashMap<>();
        target.ruleSets.forEach((v, s) -> actual.put(v, s.generation()));
        assertThat(actual).isEqualTo(expected);
        assertThat(target.groups).isEqualTo(expectedGroups);
        assertThat(feed.status().realized()).isEqualTo(expected);
    }

    private void addGroup(Map<String, List<String>> groups, String id) {
        if (id != null) {
            AddressGroup g = compiler.addressGroup(id).orElseThrow();
            groups.put(id, RuleSetConverter.addressGroup(g).prefixes());
        }
    }

    private void vm(String id, String host, String tag, int mac, String... addresses) {
        manager.create(Kind.VM, new Vm(id, id, host, null, List.of(tag),
                List.of(new Vnic(id + "-0", new MacAddress(0x020000000000L + mac), prefixes(addresses), "seg")), 0), "t");
    }
}
