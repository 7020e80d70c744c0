package io.ringfence.enforcement.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.ringfence.enforcement.TargetCounters;
import io.ringfence.enforcement.TargetRuleHits;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The targets' rule counters are read each with a deadline, off the caller's thread, summed per rule
 * over each target's vNICs, and kept per target as last answered; a target that throws, returns null
 * or hangs keeps its previous counters, shows why, and never holds more than one thread.
 */
class TargetCounterPollerTest {

    private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");
    private static final Duration DEADLINE = Duration.ofMillis(200);

    private final CountDownLatch release = new CountDownLatch(1);
    private final TargetCounterPoller poller = new TargetCounterPoller(Duration.ZERO, DEADLINE,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void tearDown() {
        release.countDown();
        poller.close();
    }

    @Test
    void countersAreSummedPerRuleOverEachTargetsVnicsAndBrokenDownByTarget() {
        Target a = new Target("nft:hv1", () -> List.of(new RuleCounter("web-nic0", "web-to-app", 10, 1000),
                new RuleCounter("app-nic0", "web-to-app", 7, 700), new RuleCounter("web-nic0", "default", 2, 120)));
        Target b = new Target("acl:leaf1", () -> List.of(new RuleCounter("eth1", "web-to-app", 5, 300)));
        poller.add(a);
        poller.add(b);

        assertThat(poller.ruleHits("web-to-app")).as("nothing before the first read").isEmpty();
        poller.readAll();

        assertThat(poller.ruleHits("web-to-app")).containsExactly(new TargetRuleHits("acl:leaf1", 5, 300, NOW),
                new TargetRuleHits("nft:hv1", 17, 1700, NOW));
        assertThat(poller.ruleHits("default")).containsExactly(new TargetRuleHits("nft:hv1", 2, 120, NOW));
        assertThat(poller.ruleHits("other")).isEmpty();
        assertThat(poller.ruleHits()).containsOnlyKeys("web-to-app", "default")
                .containsEntry("web-to-app", poller.ruleHits("web-to-app"));
        assertThat(poller.readings()).extracting(TargetCounters::targetId, c -> c.counters().size(), TargetCounters::error)
                .containsExactly(tuple("acl:leaf1", 1, null),
                        tuple("nft:hv1", 3, null));

        // the latest reading replaces the one before (the counters are cumulative on the target)
        a.answer = () -> List.of(new RuleCounter("web-nic0", "web-to-app", 12, 1200));
        poller.readAll();
        assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::targetId, TargetRuleHits::packets)
                .containsExactly(tuple("acl:leaf1", 5L),
                        tuple("nft:hv1", 12L));
        assertThat(poller.ruleHits("default")).isEmpty();

        // a target that leaves no longer counts
        poller.remove(b);
        assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::targetId).containsExactly("nft:hv1");
        assertThat(poller.readings()).extracting(TargetCounters::targetId).containsExactly("nft:hv1");
    }

    @Test
    void aTargetThatThrowsOrReturnsNullKeepsItsLastCountersAndShowsWhy() {
        Target t = new Target("nft:hv1", () -> List.of(new RuleCounter("web-nic0", "web-to-app", 3, 300)));
        poller.add(t);
        poller.readAll();

        t.answer = () -> {
            throw new IllegalStateException("nft list failed");
        };
        poller.readAll();
        TargetCounters afterThrow = poller.readings().get(0);
        assertThat(afterThrow.error()).contains("threw").contains("nft list failed");
        assertThat(afterThrow.failedAt()).isEqualTo(NOW);
        assertThat(afterThrow.counters()).containsExactly(new RuleCounter("web-nic0", "web-to-app", 3, 300));
        assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::packets).containsExactly(3L);

        t.answer = () -> null;
        poller.readAll();
        assertThat(poller.readings().get(0).error()).isEqualTo("counters() returned null");
        assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::packets).containsExactly(3L);

        // a good read again: new counters; the error stays visible, failedAt tells it is older
        t.answer = () -> List.of(new RuleCounter("web-nic0", "web-to-app", 4, 400));
        poller.readAll();
        assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::packets).containsExactly(4L);
        assertThat(poller.readings().get(0).readAt()).isEqualTo(NOW);
    }

    @Test
    void aHungTargetMissesTheDeadlineWithoutDelayingTheOthersAndIsNotCalledAgainUntilItAnswers() {
        Target hung = new Target("nft:hv1", () -> {
            awaitRelease();
            return List.of(new RuleCounter("web-nic0", "web-to-app", 9, 900));
        });
        Target fine = new Target("nft:hv2", () -> List.of(new RuleCounter("app-nic0", "web-to-app", 1, 100)));
        poller.add(hung);
        poller.add(fine);

        long start = System.nanoTime();
        poller.readAll();
        // it waited for the hung target until the deadline, not for its answer (which never comes by itself)
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(DEADLINE.toNanos())
                .isLessThan(Duration.ofSeconds(30).toNanos());
        assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::targetId).containsExactly("nft:hv2");
        assertThat(poller.readings().get(0).error()).isEqualTo("no answer within 200 ms");

        // the next round does not call it again while its call still hangs: one thread at most
        poller.readAll();
        assertThat(hung.calls).hasValue(1);
        assertThat(fine.calls).hasValue(2);
        assertThat(poller.readings().get(0).error()).contains("has not answered yet");

        // once it answers, it is read again
        release.countDown();
        await().untilAsserted(() -> {
            poller.readAll();
            assertThat(poller.ruleHits("web-to-app")).extracting(TargetRuleHits::targetId)
                    .containsExactly("nft:hv1", "nft:hv2");
        });
    }

    @Test
    void withAPeriodTheTargetsAreReadOnTheirOwn() {
        try (TargetCounterPoller periodic = new TargetCounterPoller(Duration.ofMillis(20), DEADLINE, Clock.systemUTC())) {
            Target t = new Target("nft:hv1", () -> List.of(new RuleCounter("web-nic0", "web-to-app", 3, 300)));
            periodic.add(t);
            await().untilAsserted(() -> assertThat(periodic.ruleHits("web-to-app")).extracting(TargetRuleHits::packets)
                    .containsExactly(3L));
            assertThat(t.threads).noneMatch(name -> name.equals(Thread.currentThread().getName()));
        }
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A target whose counters are what {@link #answer} says; counts its calls and the threads they came on. */
    private static final class Target implements EnforcementTarget {
        private final TargetDescriptor descriptor;
        volatile Supplier<List<RuleCounter>> answer;
        final AtomicInteger calls = new AtomicInteger();
        final Queue<String> threads = new ConcurrentLinkedQueue<>();

        Target(String id, Supplier<List<RuleCounter>> answer) {
            this.descriptor = new TargetDescriptor(id, TargetKind.HYPERVISOR, "test", List.of("h1"), true);
            this.answer = answer;
        }

        @Override
        public TargetDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
            return new CompletableFuture<>();
        }

        @Override
        public List<RuleCounter> counters() {
            calls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            return answer.get();
        }
    }
}
