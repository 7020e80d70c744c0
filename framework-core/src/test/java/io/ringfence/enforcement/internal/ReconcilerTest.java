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

import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.enforcement.RealizationState;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Category;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler of a feed, between the real compiler and a recording target, on a manual
 * scheduler whose clock the feed reads: backoff and retries, refusals, timeouts, resyncs,
 * anti-entropy, and the realization each vNIC shows meanwhile.
 *
 * <p>The data center: h1 runs web1 (app:web), h2 runs db1 (app:db); the target covers both.
 * Policy p1: web-to-db (web → db, https, ALLOW).
 */
class ReconcilerTest {

    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final ReconcilerSettings SETTINGS = new ReconcilerSettings(TIMEOUT, Duration.ofMillis(100),
            Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10));
    static final TargetError DEVICE_ERROR = new TargetError("device-error", "the device answered 500", true);
    static final TargetError REFUSED = new TargetError("rejected-by-device", "no room for 3 entries", false);

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final ManualScheduler scheduler = new ManualScheduler();
    final Clock clock = scheduler.clock(T0);
    PolicyCompiler compiler;
    RecordingTarget target;
    TargetFeed feed;

    @BeforeEach
    void dataCenter() {
        for (String h : List.of("h1", "h2")) {
            manager.create(Kind.HOST, host(h), "t");
        }
        vm("web1", "h1", "app:web", 1);
        vm("db1", "h2", "app:db", 2);
        for (String tier : List.of("web", "db")) {
            manager.create(Kind.GROUP, group("g-" + tier).criteria(tagEquals("app:" + tier)).build(), "t");
        }
        manager.create(Kind.SERVICE, service("https", tcp("443")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("web-to-db").sequence(10).sources("g-web").destinations("g-db").services("https").build()), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
    }

    void start(ReconcilerSettings settings) {
        target = new RecordingTarget(new TargetDescriptor("oc:test", TargetKind.HARDWARE, "test", List.of("h1", "h2"),
                true));
        feed = new TargetFeed(target, VnicDirectory.of(manager), settings, scheduler, clock, () -> 1.0);
        compiler.attach("h1", feed);
        compiler.attach("h2", feed);
        scheduler.runPending();
    }

    @Test
    void aRetryableFailureIsRetriedWithTheFullStateAfterADoublingBackoff() {
        start(SETTINGS);
        target.fail(DEVICE_ERROR);
        scheduler.runPending();

        TargetRealization failing = feed.realization();
        assertThat(failing.failing()).isTrue();
        assertThat(failing.failedAttempts()).isEqualTo(1);
        assertThat(failing.failed()).isEqualTo(2);
        assertThat(failing.pending()).isZero();
        assertThat(failing.lastError().code()).isEqualTo("device-error");
        assertThat(failing.lastError().at()).isEqualTo(T0);
        assertThat(failing.nextRetryAt()).isEqualTo(T0.plusMillis(100));
        assertThat(feed.vnics()).allSatisfy(v -> {
            assertThat(v.state()).isEqualTo(RealizationState.FAILED);
            assertThat(v.pendingSince()).isEqualTo(T0);
            assertThat(v.realizedGeneration()).isZero();
            assertThat(v.lastError().message()).isEqualTo("the device answered 500");
        });

        scheduler.advance(Duration.ofMillis(99));
        assertThat(target.updates).as("not before the backoff").hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(target.updates).hasSize(2);
        assertThat(target.last().full()).isTrue();
        assertThat(target.last().ruleSets()).extracting(TargetRuleSet::vnicId).containsExactly("db1-0", "web1-0");

        target.fail(DEVICE_ERROR);
        scheduler.runPending();
        assertThat(feed.realization().failedAttempts()).isEqualTo(2);
        assertThat(feed.realization().nextRetryAt()).as("doubled").isEqualTo(T0.plusMillis(100 + 200));
        scheduler.advance(Duration.ofMillis(199));
        assertThat(target.updates).hasSize(2);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(target.updates).hasSize(3);

        target.acknowledgeLast();
        scheduler.runPending();
        TargetRealization realized = feed.realization();
        assertThat(realized.failing()).isFalse();
        assertThat(realized.failedAttempts()).isZero();
        assertThat(realized.nextRetryAt()).isNull();
        assertThat(realized.realized()).isEqualTo(2);
        assertThat(realized.lastError().code()).as("the last error stays visible").isEqualTo("device-error");
        assertThat(realized.lastAcknowledgedAt()).isEqualTo(T0.plusMillis(300));
        assertThat(feed.vnics()).allSatisfy(v -> {
            assertThat(v.state()).isEqualTo(RealizationState.REALIZED);
            assertThat(v.pendingSince()).isNull();
            assertThat(v.realizedGeneration()).isEqualTo(v.desiredGeneration());
        });
    }

    @Test
    void theBackoffDoublesUpToItsCapAndItsJitterKeepsBetweenHalfAndAllOfIt() {
        assertThat(List.of(1, 2, 3, 9, 10, 11, 50, Integer.MAX_VALUE)).extracting(n -> SETTINGS.backoff(n, 1.0))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(25_600), Duration.ofSeconds(30), Duration.ofSeconds(30),
                        Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(SETTINGS.backoff(3, 0.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(SETTINGS.backoff(3, 0.5)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void changesDuringTheBackoffWaitForTheRetryAndGoWithIt() {
        start(SETTINGS);
        acknowledge();
        scheduler.advance(Duration.ofSeconds(5));
        manager.createRule("p1", rule("r3").sequence(30).sources("g-web").destinations("g-db").services("https")
                .build(), "t");
        scheduler.runPending();
        assertThat(target.last().full()).isFalse();
        target.fail(DEVICE_ERROR);
        scheduler.runPending();

        scheduler.advance(Duration.ofMillis(50));
        vm("web2", "h1", "app:web", 3);
        scheduler.runPending();
        assertThat(target.updates).as("the new VM waits for the retry").hasSize(2);
        VnicRealization web2 = feed.vnic("web2-0");
        assertThat(web2.state()).isEqualTo(RealizationState.FAILED);
        assertThat(web2.pendingSince()).isEqualTo(T0.plusMillis(5_050));
        assertThat(web2.lastError().code()).as("the failure keeps it back").isEqualTo("device-error");
        assertThat(feed.vnic("web1-0").pendingSince()).as("since the rule change").isEqualTo(T0.plusSeconds(5));

        scheduler.advance(Duration.ofMillis(50));
        assertThat(target.updates).hasSize(3);
        assertThat(target.last().full()).isTrue();
        assertThat(target.last().ruleSets()).extracting(TargetRuleSet::vnicId)
                .containsExactly("db1-0", "web1-0", "web2-0");
        acknowledge();
        assertReplicaMatchesCompiler();
        assertThat(feed.realization().realized()).isEqualTo(3);
    }

    @Test
    void aTimedOutUpdateIsRetriedAndItsLateAnswerIsIgnored() {
        start(SETTINGS);
        scheduler.advance(TIMEOUT);
        assertThat(feed.realization().lastError().code()).isEqualTo("timeout");
        assertThat(feed.vnic("web1-0").state()).isEqualTo(RealizationState.FAILED);
        scheduler.advance(Duration.ofMillis(100));
        assertThat(target.updates).hasSize(2);

        RuleSetUpdate first = target.updates.get(0);
        target.answers.get(0).complete(Acknowledgement.applied(first.sequence(), Map.of("web1-0", 1L)));
        scheduler.runPending();
        assertThat(feed.realization().realized()).as("a late answer realizes nothing").isZero();

        acknowledge();
        assertReplicaMatchesCompiler();
    }

    @Test
    void aRefusedUpdateIsRetriedOnTheNextChangeOrAfterTheSlowPeriod() {
        start(SETTINGS);
        target.fail(REFUSED);
        scheduler.runPending();
        assertThat(feed.realization().nextRetryAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(target.updates).as("the same state would be refused again").hasSize(1);
        scheduler.advance(Duration.ofSeconds(240));
        assertThat(target.updates).as("the slow retry").hasSize(2);
        assertThat(target.last().full()).isTrue();

        target.fail(REFUSED);
        scheduler.runPending();
        vm("web2", "h1", "app:web", 3);
        scheduler.runPending();
        assertThat(target.updates).as("a change may be what it takes").hasSize(3);
        assertThat(target.last().full()).isTrue();
        assertThat(feed.realization().nextRetryAt()).isNull();
        acknowledge();
        assertReplicaMatchesCompiler();
    }

    @Test
    void aRefusalWaitsForAChangeOrAResyncWhenTheSlowRetryIsOff() {
        start(new ReconcilerSettings(TIMEOUT, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ZERO,
                Duration.ZERO));
        target.fail(REFUSED);
        scheduler.runPending();
        scheduler.advance(Duration.ofDays(1));
        assertThat(target.updates).hasSize(1);
        assertThat(feed.realization().nextRetryAt()).isNull();
        assertThat(scheduler.timers()).isZero();

        feed.resync();
        scheduler.runPending();
        assertThat(target.updates).hasSize(2);
        acknowledge();
        assertReplicaMatchesCompiler();
    }

    @Test
    void aResyncSendsTheFullStateAtOnceEvenDuringTheBackoff() {
        start(new ReconcilerSettings(TIMEOUT, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ZERO,
                Duration.ZERO));
        target.fail(DEVICE_ERROR);
        scheduler.runPending();

        feed.resync();
        scheduler.runPending();
        assertThat(target.updates).hasSize(2);
        assertThat(target.last().full()).isTrue();
        assertThat(feed.realization().nextRetryAt()).as("the retry is off").isNull();
        acknowledge();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(target.updates).as("nothing left to retry").hasSize(2);
        assertReplicaMatchesCompiler();
    }

    @Test
    void antiEntropySendsTheFullStateAtLeastEveryResyncInterval() {
        start(SETTINGS);
        acknowledge();
        assertThat(feed.realization().lastFullAt()).isEqualTo(T0);

        scheduler.advance(Duration.ofMinutes(3));
        vm("web2", "h1", "app:web", 3);
        acknowledge();
        assertThat(target.last().full()).as("a change is a delta").isFalse();
        scheduler.advance(Duration.ofMinutes(7).minusMillis(1));
        assertThat(target.updates).hasSize(2);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(target.updates).as("ten minutes after the last full state").hasSize(3);
        assertThat(target.last().full()).isTrue();
        Map<String, Long> held = new HashMap<>();
        target.ruleSets.forEach((v, set) -> held.put(v, set.generation()));
        Map<String, Long> resent = new HashMap<>();
        target.last().ruleSets().forEach(set -> resent.put(set.vnicId(), set.generation()));
        assertThat(resent).as("what the target holds, again").isEqualTo(held);
        acknowledge();
        assertThat(feed.realization().lastFullAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertReplicaMatchesCompiler();

        scheduler.advance(Duration.ofMinutes(1));
        feed.resync();
        acknowledge();
        scheduler.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(target.updates).as("the resync's full state restarted the interval").hasSize(4);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(target.updates).hasSize(5);
    }

    @Test
    void noAntiEntropyWhenTheIntervalIsZero() {
        start(new ReconcilerSettings(TIMEOUT, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ZERO));
        acknowledge();
        scheduler.advance(Duration.ofDays(1));
        assertThat(target.updates).hasSize(1);
        assertThat(scheduler.timers()).isZero();
    }

    @Test
    void eachVnicSaysSinceWhenItIsPending() {
        start(SETTINGS);
        assertThat(feed.realization()).extracting(TargetRealization::vnics, TargetRealization::pending,
                TargetRealization::inFlight).containsExactly(2, 2, true);
        acknowledge();
        scheduler.advance(Duration.ofSeconds(5));

        vm("web2", "h1", "app:web", 3);
        scheduler.runPending();
        assertThat(feed.vnics()).extracting(VnicRealization::vnicId, VnicRealization::state,
                        VnicRealization::pendingSince, VnicRealization::hostId)
                .containsExactly(tuple("db1-0", RealizationState.REALIZED, null, "h2"),
                        tuple("web1-0", RealizationState.REALIZED, null, "h1"),
                        tuple("web2-0", RealizationState.PENDING, T0.plusSeconds(5), "h1"));
        assertThat(feed.realization()).extracting(TargetRealization::realized, TargetRealization::pending,
                TargetRealization::failed).containsExactly(2, 1, 0);
        acknowledge();
        assertThat(feed.realization().realized()).isEqualTo(3);
        manager.delete(Kind.VM, "web2", null, "t");
        assertThat(feed.vnic("web2-0")).as("no longer enforced here").isNull();
    }

    /**
     * Random changes, answers, failures, refusals and timeouts; once the target behaves, the
     * reconciler alone (no new change, no resync) brings it to the compiler's state.
     */
    @Test
    void nothingIsLostWhateverTheTargetDoes() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        start(SETTINGS);
        int vms = 10;
        for (int step = 0; step < 300; step++) {
            switch (random.nextInt(7)) {
                case 0 -> vm("vm" + vms, random.nextBoolean() ? "h1" : "h2", random.nextBoolean() ? "app:web"
                        : "app:db", vms++);
                case 1 -> {
                    List<Vm> all = List.copyOf(manager.snapshot().vms());
                    if (!all.isEmpty()) {
                        manager.delete(Kind.VM, all.get(random.nextInt(all.size())).id(), null, "t");
                    }
                }
                case 2 -> answerLast(random.nextInt(3));
                case 3 -> scheduler.advance(Duration.ofMillis(random.nextInt(2_000)));
                case 4 -> scheduler.advance(TIMEOUT);
                default -> answerLast(0);
            }
            scheduler.runPending();
        }
        for (int i = 0; i < 100 && !feed.status().inSync(); i++) {
            answerLast(0);
            scheduler.runPending();
            scheduler.advance(Duration.ofMinutes(6));
        }
        assertThat(feed.status().inSync()).as("seed %d: %s", seed, feed.status()).isTrue();
        Map<String, Long> expected = new HashMap<>();
        manager.snapshot().vms().forEach(v -> compiler.ruleSetsOfVm(v.id())
                .forEach(s -> expected.put(s.vnicId(), s.generation())));
        Map<String, Long> actual = new HashMap<>();
        target.ruleSets.forEach((v, s) -> actual.put(v, s.generation()));
        assertThat(actual).as("seed %d", seed).isEqualTo(expected);
    }

    /** Answers the last update if it is unanswered: 0 applied, 1 failed, 2 refused. */
    private void answerLast(int how) {
        if (target.answers.isEmpty() || target.answers.get(target.answers.size() - 1).isDone()) {
            return;
        }
        switch (how) {
            case 0 -> target.acknowledgeLast();
            case 1 -> target.fail(DEVICE_ERROR);
            default -> target.fail(REFUSED);
        }
    }

    /** Acknowledges every update as it comes, until nothing is pending. */
    private void acknowledge() {
        scheduler.runPending();
        while (feed.status().inFlight()) {
            target.acknowledgeLast();
            scheduler.runPending();
        }
    }

    private void assertReplicaMatchesCompiler() {
        Map<String, Long> expected = new HashMap<>();
        for (Vm vm : manager.snapshot().vms()) {
            for (VnicRuleSet set : compiler.ruleSetsOfVm(vm.id())) {
                expected.put(set.vnicId(), set.generation());
            }
        }
        Map<String, Long> actual = new HashMap<>();
        target.ruleSets.forEach((v, s) -> actual.put(v, s.generation()));
        assertThat(actual).isEqualTo(expected);
        assertThat(feed.status().inSync()).isTrue();
    }

    private void vm(String id, String host, String tag, int mac) {
        manager.create(Kind.VM, new Vm(id, id, host, null, List.of(tag), List.of(new Vnic(id + "-0",
                new MacAddress(0x020000000000L + mac), prefixes("10.0.0." + mac), "seg")), 0), "t");
    }
}
