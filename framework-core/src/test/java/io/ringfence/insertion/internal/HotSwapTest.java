package io.ringfence.insertion.internal;

import static io.ringfence.insertion.internal.Rig.chain;
import static io.ringfence.insertion.internal.Rig.hop;
import static io.ringfence.insertion.internal.Rig.original;
import static io.ringfence.insertion.internal.Rig.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Partner functions updated, replaced, stopped and started while flows are steered through them. */
class HotSwapTest {

    private final Rig rig = new Rig();
    private final FakeFunction v1 = rig.statefulFunction("ids", "1.0.0");
    private final FakeFunction v2 = rig.statefulFunction("ids", "1.1.0");
    private final ChainSpec chain = chain("c", FailurePolicy.BLOCK, hop("strict", "acme/ids"));

    @AfterEach
    void tearDown() {
        rig.close();
        assertThat(v1.violations).isEmpty();
        assertThat(v2.violations).isEmpty();
    }

    private static String version(ChainVerdict v) {
        return v.hops().get(0).version();
    }

    private FunctionStats stats(String version) {
        return rig.insertion.functionStats().stream().filter(f -> f.version().equals(version)).findFirst().orElseThrow();
    }

    @Test
    void aNewVersionGetsNewFlowsWhileFlowsInProgressStayOnTheirInstance() {
        rig.register(v1);
        ChainSession old = rig.open(chain);
        old.process(original());

        rig.register(v2);
        ChainSession fresh = rig.open(chain);

        assertThat(version(old.process(reply()))).isEqualTo("1.0.0");
        assertThat(version(fresh.process(original()))).isEqualTo("1.1.0");
        assertThat(v1.sessions).singleElement().satisfies(s -> assertThat(s.packets).hasValue(2));
        assertThat(rig.registry.definition("acme/ids").orElseThrow().instances())
                .extracting(i -> i.version() + "/" + i.sessionsOpen()).containsExactly("1.1.0/1", "1.0.0/1");
    }

    @Test
    void anInstanceThatLeavesHandsItsFlowsToItsSuccessorWithTheirState() {
        long first = rig.register(v1);
        ChainSession flow = rig.open(chain);
        flow.process(original());
        flow.process(reply());
        flow.process(original());

        rig.register(v2);       // bind before unbind, as DS does on an update with a replacement
        rig.registry.remove(first);
        ChainVerdict moved = flow.process(reply());

        assertThat(moved.verdict()).isEqualTo(Verdict.PASS);
        assertThat(moved.hops()).extracting(HopResult::outcome, HopResult::version)
                .containsExactly(tuple(HopOutcome.INSPECTED, "1.1.0"));
        // the new session was resumed from what the old one exported after its last packet
        assertThat(v2.sessions).singleElement().satisfies(s -> {
            assertThat(s.resumedFromText()).isEqualTo("1:3");
            assertThat(s.packets).hasValue(1);
        });
        await().untilAsserted(() -> assertThat(v1.sessions).singleElement().satisfies(s -> assertThat(s.closes).hasValue(1)));
        assertThat(stats("1.1.0").sessionsResumed()).isEqualTo(1);
        assertThat(stats("1.1.0").sessionsOpen()).isEqualTo(1);
        assertThat(rig.registry.definition("acme/ids").orElseThrow().instances()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void withoutSuccessorFlowsParkUnderTheFailurePolicyAndResumeWithTheirStateWhenOneComes(FailurePolicy policy) {
        ChainSpec spec = chain("c", policy, hop("strict", "acme/ids"));
        long first = rig.register(v1);
        ChainSession flow = rig.open(spec);
        flow.process(original());
        flow.process(reply());

        rig.registry.remove(first);
        List<ChainVerdict> gap = List.of(flow.process(original()), flow.process(reply()));
        ChainSession newcomer = rig.open(spec);
        ChainVerdict newcomerInGap = newcomer.process(original());
        rig.register(v2);
        ChainVerdict resumed = flow.process(original());

        Verdict policyVerdict = policy == FailurePolicy.ALLOW ? Verdict.PASS : Verdict.DROP;
        assertThat(gap).allSatisfy(v -> {
            assertThat(v.verdict()).isEqualTo(policyVerdict);
            assertThat(v.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.MISSING_INSTANCE);
        });
        assertThat(newcomerInGap.verdict()).isEqualTo(policyVerdict);
        assertThat(resumed.verdict()).isEqualTo(Verdict.PASS);
        assertThat(version(resumed)).isEqualTo("1.1.0");
        // the state it exported when the instance left (two packets), kept through the gap
        assertThat(v2.sessionsOf(1)).singleElement().satisfies(s -> assertThat(s.resumedFromText()).isEqualTo("1:2"));
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures()).containsEntry(HopOutcome.MISSING_INSTANCE, 3L);
        assertThat(stats("1.1.0").sessionsResumed()).isEqualTo(1);
    }

    @Test
    void aSuccessorThatDoesNotImportStateOpensAFreshSession() {
        long first = rig.register(v1);
        FakeFunction stateless = rig.function("ids", "2.0.0");
        ChainSession flow = rig.open(chain);
        flow.process(original());

        rig.register(stateless);
        rig.registry.remove(first);
        ChainVerdict moved = flow.process(original());

        assertThat(version(moved)).isEqualTo("2.0.0");
        assertThat(stateless.sessions).singleElement().satisfies(s -> assertThat(s.resumedFrom).isNull());
        assertThat(stats("2.0.0").sessionsOpened()).isEqualTo(1);
        assertThat(stateless.violations).isEmpty();
    }

    @Test
    void aSuccessorThatRefusesTheStateOpensAFreshSession() {
        long first = rig.register(v1);
        ChainSession flow = rig.open(chain);
        flow.process(original());
        v2.resumeFails = new IllegalArgumentException("unknown format");

        rig.register(v2);
        rig.registry.remove(first);
        ChainVerdict moved = flow.process(original());

        assertThat(moved.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INSPECTED);
        assertThat(v2.sessions).singleElement().satisfies(s -> assertThat(s.resumedFrom).isNull());
        assertThat(stats("1.1.0").failures()).isEmpty();
    }

    @Test
    void aLeavingInstanceWhoseExportsHangIsNotWaitedForSessionAfterSession() {
        Duration deadline = Duration.ofMillis(100);
        ChainSpec spec = chain("c", FailurePolicy.BLOCK, deadline, hop("strict", "acme/ids"));
        long first = rig.register(v1);
        List<ChainSession> flows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ChainSession s = rig.open(spec);
            s.process(original());
            flows.add(s);
        }
        v1.exportHangs = true;

        long start = System.nanoTime();
        rig.registry.remove(first);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        // exports time out until the breaker opens, then the remaining sessions move without state
        assertThat(tookMillis).isLessThan((Rig.BREAKER_THRESHOLD + 1) * deadline.toMillis() + 300);
        rig.register(v2);
        assertThat(flows).allSatisfy(s -> assertThat(version(s.process(original()))).isEqualTo("1.1.0"));
        assertThat(v2.sessions).hasSize(10).allSatisfy(s -> assertThat(s.resumedFrom).isNull());
        // the sessions whose export hung are closed once the export returns, never under it
        rig.hang.countDown();
        await().untilAsserted(() -> assertThat(v1.sessions).allSatisfy(s -> assertThat(s.closes).hasValue(1)));
    }

    @Test
    void aDownInstanceGetsNoNewFlowsButKeepsItsOwn() {
        rig.register(v1);
        ChainSession old = rig.open(chain);
        old.process(original());
        rig.register(v2);
        v2.health = Health.DOWN;
        rig.registry.pollHealth();

        ChainSession fresh = rig.open(chain);
        assertThat(version(fresh.process(original()))).isEqualTo("1.0.0");

        v1.health = Health.DOWN;
        rig.registry.pollHealth();
        assertThat(version(old.process(original()))).isEqualTo("1.0.0");
        ChainVerdict none = rig.open(chain).process(original());
        assertThat(none.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.MISSING_INSTANCE);
        assertThat(rig.registry.definition("acme/ids").orElseThrow().available()).isFalse();
    }

    @Test
    void aFlowWhoseInstanceLeavesWhileItsSessionOpensMovesOn() {
        rig.register(v1);
        rig.register(v2);
        FunctionInstance newest = rig.registry.newestAccepting("acme/ids");
        assertThat(newest.version()).isEqualTo("1.1.0");
        // v2 leaves (and has moved its sessions off) while it opens this flow's session
        v2.onOpen = newest::markRemoved;

        ChainVerdict v = rig.open(chain).process(original());

        assertThat(version(v)).isEqualTo("1.0.0");
        assertThat(v.hops()).extracting(HopResult::outcome).containsExactly(HopOutcome.INSPECTED);
        assertThat(v1.sessions).singleElement().satisfies(s -> assertThat(s.resumedFromText()).isEqualTo("1:0"));
        await().untilAsserted(() -> assertThat(v2.sessions).singleElement().satisfies(s -> {
            assertThat(s.packets).hasValue(0);
            assertThat(s.closes).hasValue(1);
        }));
    }
}
