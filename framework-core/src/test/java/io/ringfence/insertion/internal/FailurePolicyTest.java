package io.ringfence.insertion.internal;

import static io.ringfence.insertion.internal.Rig.chain;
import static io.ringfence.insertion.internal.Rig.hop;
import static io.ringfence.insertion.internal.Rig.original;
import static io.ringfence.insertion.internal.Rig.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.spi.inspection.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A function that throws, hangs past the deadline, returns null or is missing cannot stall or crash
 * the data plane: the packet gets the failure policy, the hop is abandoned for the flow (or, when
 * missing, waits for an instance), and the chain's other functions go on.
 */
class FailurePolicyTest {

    /**
     * The deadline of the chains whose hung calls are waited out. It bounds the healthy function's calls
     * in the same chains too, which must answer within it on a loaded machine (a call that misses it
     * changes the outcome, not just the timing), so it is generous; tests wait it out five times in all.
     */
    private static final Duration SHORT_DEADLINE = Duration.ofSeconds(1);
    /**
     * A deadline no scheduling delay of a loaded machine reaches. A caller never returns before its
     * deadline when it waits for a call, so a call given this deadline that returns in less did not wait
     * for it: the wall-clock bounds below only say "did not wait" or "waited at least", never "within a
     * margin", and how many deadlines were waited is asserted by counting the calls that missed one.
     */
    private static final Duration UNREACHED_DEADLINE = Duration.ofSeconds(30);

    private final Rig rig = new Rig();
    private final FakeFunction bad = rig.function("bad", "1.0.0");
    private final FakeFunction good = rig.function("good", "1.0.0");

    @AfterEach
    void tearDown() {
        rig.close();
        assertThat(bad.violations).isEmpty();
        assertThat(good.violations).isEmpty();
    }

    /** Calls of {@code f} (open or inspect) that missed their deadline, as its counters say. */
    private long deadlinesMissedBy(FakeFunction f) {
        return rig.insertion.functionStats().stream().filter(x -> x.definitionId().equals(f.id()))
                .mapToLong(x -> x.failures().getOrDefault(HopOutcome.DEADLINE, 0L)).sum();
    }

    private static Verdict policyVerdict(FailurePolicy policy) {
        return policy == FailurePolicy.ALLOW ? Verdict.PASS : Verdict.DROP;
    }

    /**
     * Runs two packets of a flow through bad then good; checks the policy and that the hop was abandoned.
     *
     * @return how long the first packet took, in nanoseconds
     */
    private long assertAbandoned(FailurePolicy policy, Duration deadline, HopOutcome expected) {
        rig.register(bad);
        rig.register(good);
        ChainSession s = rig.open(chain("c", policy, deadline, hop(bad), hop(good)));

        long start = System.nanoTime();
        ChainVerdict first = s.process(original());
        long tookNanos = System.nanoTime() - start;
        ChainVerdict second = s.process(reply());

        assertThat(first.verdict()).isEqualTo(policyVerdict(policy));
        assertThat(first.hops().get(0)).extracting(HopResult::outcome, HopResult::verdict, HopResult::version)
                .containsExactly(expected, policyVerdict(policy), "1.0.0");
        if (policy == FailurePolicy.ALLOW) {
            // the hop is skipped, the rest of the chain still inspects
            assertThat(first.hops()).extracting(HopResult::outcome).containsExactly(expected, HopOutcome.INSPECTED);
        } else {
            assertThat(first.hops()).hasSize(1);
        }
        // the reply goes back through good, then meets the abandoned hop
        assertThat(second.verdict()).isEqualTo(policyVerdict(policy));
        assertThat(second.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INSPECTED, HopOutcome.ABANDONED);
        assertThat(bad.sessions).singleElement().satisfies(x -> assertThat(x.packets).hasValue(1));
        ChainStats stats = rig.insertion.chainStats("c").orElseThrow();
        assertThat(stats.failures()).containsEntry(expected, 1L).containsEntry(HopOutcome.ABANDONED, 1L);
        FunctionStats f = rig.insertion.functionStats().stream().filter(x -> x.definitionId().equals(bad.id()))
                .findFirst().orElseThrow();
        assertThat(f.failures()).containsEntry(expected, 1L);
        assertThat(f.sessionsOpen()).isZero();
        return tookNanos;
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionThatThrowsIsAbandoned(FailurePolicy policy) {
        bad.behavior = (session, p) -> {
            throw new IllegalStateException("boom");
        };
        assertAbandoned(policy, Rig.LONG_DEADLINE, HopOutcome.EXCEPTION);
        await().untilAsserted(() -> assertThat(bad.sessions.peek().closes).hasValue(1));
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionThatReturnsNullIsAbandoned(FailurePolicy policy) {
        bad.behavior = (session, p) -> null;
        assertAbandoned(policy, Rig.LONG_DEADLINE, HopOutcome.NULL_VERDICT);
        await().untilAsserted(() -> assertThat(bad.sessions.peek().closes).hasValue(1));
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionThatHangsIsAbandonedAtItsDeadline(FailurePolicy policy) {
        bad.behavior = (session, p) -> {
            bad.hang();
            return Verdict.PASS;
        };
        long tookNanos = assertAbandoned(policy, SHORT_DEADLINE, HopOutcome.DEADLINE);
        // the first packet waited for the hung call until its deadline, and not for the call itself (which
        // hangs until the test ends); one call missed its deadline (assertAbandoned), and the second packet
        // found the hop abandoned, so it waited for nothing
        assertThat(tookNanos).isGreaterThanOrEqualTo(SHORT_DEADLINE.toNanos()).isLessThan(UNREACHED_DEADLINE.toNanos());
        // the hung call still holds its session: it is closed when the call returns, not under it
        assertThat(bad.sessions.peek().closes).hasValue(0);
        rig.hang.countDown();
        await().untilAsserted(() -> assertThat(bad.sessions.peek().closes).hasValue(1));
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionThatCannotOpenASessionIsAbandoned(FailurePolicy policy) {
        rig.register(bad);
        bad.openFails = new IllegalArgumentException("not this flow");
        ChainSession s = rig.open(chain("c", policy, hop(bad)));

        ChainVerdict first = s.process(original());
        ChainVerdict second = s.process(original());

        assertThat(first.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.EXCEPTION);
        assertThat(second.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.ABANDONED);
        // under ALLOW nothing will ever inspect the flow again: the data plane may stop steering it
        assertThat(second.verdict()).isEqualTo(policy == FailurePolicy.ALLOW ? Verdict.PASS_AND_BYPASS : Verdict.DROP);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionNeverRegisteredGetsThePolicyUntilItComes(FailurePolicy policy) {
        rig.register(good);
        ChainSession s = rig.open(chain("c", policy, hop(bad), hop(good)));

        ChainVerdict before = s.process(original());
        rig.register(bad);
        ChainVerdict after = s.process(original());

        assertThat(before.verdict()).isEqualTo(policyVerdict(policy));
        assertThat(before.hops().get(0)).extracting(HopResult::outcome, HopResult::version)
                .containsExactly(HopOutcome.MISSING_INSTANCE, null);
        assertThat(after.verdict()).isEqualTo(Verdict.PASS);
        assertThat(after.hops()).extracting(HopResult::outcome).containsOnly(HopOutcome.INSPECTED);
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures()).containsEntry(HopOutcome.MISSING_INSTANCE, 1L);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionRemovedWithoutSuccessorGetsThePolicy(FailurePolicy policy) {
        long id = rig.register(bad);
        rig.register(good);
        ChainSession s = rig.open(chain("c", policy, hop(bad), hop(good)));
        s.process(original());

        rig.registry.remove(id);
        ChainVerdict gap = s.process(original());

        assertThat(gap.verdict()).isEqualTo(policyVerdict(policy));
        assertThat(gap.hops().get(0).outcome()).isEqualTo(HopOutcome.MISSING_INSTANCE);
        await().untilAsserted(() -> assertThat(bad.sessions).singleElement().satisfies(x -> assertThat(x.closes).hasValue(1)));
    }

    @Test
    void aHungFunctionDoesNotBlockLaterFlowsAndHoldsNoMoreThreadsThanItsBound() {
        rig.register(bad);
        rig.register(good);
        bad.behavior = (session, p) -> {
            bad.hang();
            return Verdict.PASS;
        };
        FunctionInstance badInstance = rig.registry.newestAccepting(bad.id());
        // the first calls hang on the instance's threads, later ones wait behind them until their deadline;
        // each flow's packet returns in time and the chain's other function still inspects it
        int flows = 0;
        while (!badInstance.breaker().isOpen() && flows++ < 10) {
            ChainSession s = rig.open(chain("c", FailurePolicy.ALLOW, SHORT_DEADLINE, hop(bad), hop(good)));
            long start = System.nanoTime();
            ChainVerdict v = s.process(original());
            // it returned (the calls ahead of it hang until the test ends), after one missed deadline per flow
            assertThat(System.nanoTime() - start).isLessThan(UNREACHED_DEADLINE.toNanos());
            assertThat(deadlinesMissedBy(bad)).isEqualTo(flows);
            assertThat(v.verdict()).isEqualTo(Verdict.PASS);
            assertThat(v.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.DEADLINE, HopOutcome.INSPECTED);
        }
        assertThat(badInstance.calls().threads()).isEqualTo(2);

        // the breaker tripped: new flows no longer wait for the hung function at all
        assertThat(rig.registry.definition(bad.id()).orElseThrow().instances().get(0).circuitOpen()).isTrue();
        // (a deadline the packet would wait out behind the hung calls without the breaker)
        ChainSession next = rig.open(chain("c", FailurePolicy.ALLOW, UNREACHED_DEADLINE, hop(bad), hop(good)));
        long start = System.nanoTime();
        ChainVerdict v = next.process(original());
        assertThat(System.nanoTime() - start).isLessThan(UNREACHED_DEADLINE.toNanos());
        assertThat(deadlinesMissedBy(bad)).isEqualTo(flows);
        assertThat(v.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.MISSING_INSTANCE, HopOutcome.INSPECTED);
        assertThat(rig.insertion.functionStats()).filteredOn(f -> f.definitionId().equals(bad.id()))
                .singleElement().satisfies(f -> assertThat(f.breakerTrips()).isEqualTo(1));

        // after the cool-down it gets new flows again
        rig.ticker.addAndGet(Rig.COOL_DOWN.toNanos());
        rig.hang.countDown();
        bad.behavior = (session, p) -> Verdict.PASS;
        ChainVerdict healed = rig.open(chain("c", FailurePolicy.ALLOW, SHORT_DEADLINE, hop(bad), hop(good)))
                .process(original());
        assertThat(healed.hops()).extracting(HopResult::outcome).containsOnly(HopOutcome.INSPECTED);
    }

    @Test
    void aFullQueueFailsTheCallAtOnce() {
        try (Rig small = new Rig(1, 1)) {
            FakeFunction slow = small.function("slow", "1.0.0");
            small.register(slow);
            slow.behavior = (session, p) -> {
                slow.hang();
                return Verdict.PASS;
            };
            Duration deadline = Duration.ofMillis(50);
            // one call hangs on the only thread, a second waits in the only queue slot and times out
            small.open(chain("c", FailurePolicy.BLOCK, deadline, hop(slow))).process(original());
            small.open(chain("c", FailurePolicy.BLOCK, deadline, hop(slow))).process(original());
            // the abandoned call still holds the queue slot: the next one cannot even start, so it fails
            // without waiting for its deadline
            long start = System.nanoTime();
            ChainVerdict v = small.open(chain("c", FailurePolicy.BLOCK, UNREACHED_DEADLINE, hop(slow)))
                    .process(original());
            assertThat(System.nanoTime() - start).isLessThan(UNREACHED_DEADLINE.toNanos());
            assertThat(v.verdict()).isEqualTo(Verdict.DROP);
            assertThat(v.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.DEADLINE);
            assertThat(slow.violations).isEmpty();
        }
    }
}
