package io.ringfence.insertion.internal;

import static io.ringfence.insertion.internal.Rig.chain;
import static io.ringfence.insertion.internal.Rig.hop;
import static io.ringfence.insertion.internal.Rig.original;
import static io.ringfence.insertion.internal.Rig.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A trace runs one packet through a chain in throwaway sessions and answers as a flow's session would,
 * without counting, tripping breakers, recording alerts or touching real flows; a hop whose profile is
 * unusable never calls its function.
 */
class ChainTraceTest {

    private final Rig rig = new Rig();
    private final FakeFunction ids = rig.function("ids", "1.0.0");
    private final FakeFunction av = rig.function("av", "2.0.0");

    @AfterEach
    void tearDown() {
        rig.close();
        assertThat(ids.violations).isEmpty();
        assertThat(av.violations).isEmpty();
    }

    private List<Object> counters() {
        return List.of(rig.insertion.chainStats(),
                rig.insertion.functionStats().stream().map(f -> List.of(f.packets(), f.verdicts(), f.failures(),
                        f.sessionsOpened(), f.sessionsOpen(), f.breakerTrips())).toList(),
                rig.insertion.recentAlerts(ids.id(), 10));
    }

    @Test
    void aTraceTakesThePacketsPathAndCountsNothing() {
        rig.register(ids);
        rig.register(av);
        ids.behavior = (s, p) -> {
            s.alerts.alert(new Alert("sig-1", "seen", Alert.Severity.HIGH, false));
            return Verdict.PASS;
        };
        av.behavior = (s, p) -> Verdict.DROP;
        ChainSpec chain = chain("c", FailurePolicy.ALLOW, hop(ids), hop(av));
        List<Object> before = counters();

        ChainVerdict forward = rig.insertion.trace(chain, rig.flow(), original());
        ChainVerdict back = rig.insertion.trace(chain, rig.flow(), reply());

        assertThat(forward.verdict()).isEqualTo(Verdict.DROP);
        assertThat(forward.hops()).containsExactly(
                new HopResult("ids", ids.id(), "1.0.0", HopOutcome.INSPECTED, Verdict.PASS),
                new HopResult("av", av.id(), "2.0.0", HopOutcome.INSPECTED, Verdict.DROP));
        assertThat(back.hops()).extracting(HopResult::profileId).containsExactly("av");
        assertThat(counters()).isEqualTo(before);
        assertThat(rig.insertion.chainStats("c")).isEmpty();
        // each hop had a session of its own, called once and closed
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.openSessions() == 0 && av.openSessions() == 0);
        assertThat(ids.sessions).hasSize(1).allSatisfy(s -> assertThat(s.packets).hasValue(1));
        assertThat(av.sessions).hasSize(2);
    }

    @Test
    void aTraceLeavesTheSessionsOfRealFlowsAlone() {
        rig.register(ids);
        ChainSpec chain = chain("c", FailurePolicy.BLOCK, hop(ids));
        ChainSession real = rig.open(chain);
        real.process(original());

        rig.insertion.trace(chain, rig.flow(), original());

        assertThat(ids.sessions).hasSize(2).first().satisfies(s -> assertThat(s.packets).hasValue(1));
        assertThat(real.process(original()).hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INSPECTED);
        assertThat(ids.sessions.peek().packets).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void failuresAreShownByKindWithoutTrippingTheBreaker(FailurePolicy policy) {
        rig.register(ids);
        ids.behavior = (s, p) -> {
            throw new IllegalStateException("partner bug");
        };
        ChainSpec chain = chain("c", policy, hop(ids), hop("gone", "acme/gone"));
        Verdict policyVerdict = policy == FailurePolicy.ALLOW ? Verdict.PASS : Verdict.DROP;

        for (int i = 0; i < Rig.BREAKER_THRESHOLD + 1; i++) {
            ChainVerdict v = rig.insertion.trace(chain, rig.flow(), original());
            assertThat(v.verdict()).isEqualTo(policyVerdict);
            assertThat(v.hops()).extracting(HopResult::outcome).containsExactlyElementsOf(policy == FailurePolicy.ALLOW
                    ? List.of(HopOutcome.EXCEPTION, HopOutcome.MISSING_INSTANCE) : List.of(HopOutcome.EXCEPTION));
        }
        assertThat(rig.registry.definition(ids.id()).orElseThrow().instances().get(0).circuitOpen()).isFalse();
        assertThat(rig.insertion.functionStats()).singleElement().extracting(FunctionStats::failures)
                .isEqualTo(java.util.Map.of());
    }

    @Test
    void aTraceBypassesWhenEveryHopIsDoneWithTheFlow() {
        rig.register(ids);
        ids.behavior = (s, p) -> Verdict.PASS_AND_BYPASS;

        ChainVerdict v = rig.insertion.trace(chain("c", FailurePolicy.BLOCK, hop(ids)), rig.flow(), original());

        assertThat(v.verdict()).isEqualTo(Verdict.PASS_AND_BYPASS);
    }

    @Test
    void anUnusableHopNeverCallsItsFunctionAndTheFailurePolicyDecides() {
        rig.register(ids);
        rig.register(av);
        ChainHop unusable = ChainHop.unusable("ids", ids.id());
        ChainSession open = rig.open(chain("open", FailurePolicy.ALLOW, unusable, hop(av)));
        ChainSession closed = rig.open(chain("closed", FailurePolicy.BLOCK, unusable, hop(av)));

        ChainVerdict passed = open.process(original());
        ChainVerdict dropped = closed.process(original());
        ChainVerdict traced = rig.insertion.trace(chain("closed", FailurePolicy.BLOCK, unusable, hop(av)), rig.flow(),
                original());

        assertThat(passed.hops()).extracting(HopResult::outcome, HopResult::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HopOutcome.INVALID_PROFILE, Verdict.PASS),
                org.assertj.core.groups.Tuple.tuple(HopOutcome.INSPECTED, Verdict.PASS));
        assertThat(dropped.verdict()).isEqualTo(Verdict.DROP);
        assertThat(dropped.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INVALID_PROFILE);
        assertThat(traced.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INVALID_PROFILE);
        assertThat(ids.sessions).isEmpty();
        assertThat(rig.insertion.chainStats("closed").orElseThrow().failures())
                .containsEntry(HopOutcome.INVALID_PROFILE, 1L);
        assertThat(unusable.usable()).isFalse();
    }
}
