package io.ringfence.dataplane.steering;

import static io.ringfence.dataplane.steering.SteeringRig.DB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB_NIC;
import static io.ringfence.model.InsertionFixtures.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.dataplane.agent.SteeringTrace;
import io.ringfence.dataplane.agent.TraceStep;
import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.api.Traceflow;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.spi.inspection.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traceflow shows, at each step where the firewall allows the packet and a chain is selected, the
 * redirection rule, the chain, what each function said and the action after the chain; and it counts
 * nothing: neither the data plane's counters nor the chain's or the functions'.
 */
class SteeringTraceflowTest {

    private final SteeringRig rig = new SteeringRig();
    private Partner ids;
    private Partner av;

    @BeforeEach
    void steerHttpsAtWeb() {
        ids = rig.register("ids");
        av = rig.register("av");
        rig.chain("c", FailurePolicy.BLOCK, "ids", "av");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
    }

    @AfterEach
    void tearDown() {
        rig.close();
        assertThat(ids.violations).isEmpty();
        assertThat(av.violations).isEmpty();
    }

    /** Everything a trace must leave alone, as one comparable value. */
    private List<Object> counters() {
        return List.of(rig.dc.ruleStats(), rig.dc.vnicStats(WEB_NIC).orElseThrow(), rig.insertion.chainStats(),
                rig.insertion.functionStats().stream().map(FunctionStats::packets).toList(), rig.dc.flows("web1"));
    }

    @Test
    void aStepShowsTheChainEachFunctionsVerdictAndTheActionAfterIt() {
        av.behavior = p -> Verdict.DROP;
        List<Object> before = counters();

        Traceflow t = rig.dc.trace(TraceRequest.tcp("web1", "db1", 443));

        TraceStep out = t.steps().get(0);
        assertThat(out).extracting(TraceStep::decidedBy, TraceStep::ruleId, TraceStep::action, TraceStep::finalAction)
                .containsExactly(TraceStep.DecidedBy.RULE, "r-https", Action.ALLOW, Action.DROP);
        SteeringTrace steering = out.steering();
        assertThat(steering).extracting(SteeringTrace::policyId, SteeringTrace::ruleId, SteeringTrace::chainId,
                SteeringTrace::verdict, SteeringTrace::action)
                .containsExactly("steer", "to-c", "c", Verdict.DROP, Action.DROP);
        assertThat(steering.hops()).containsExactly(
                new HopResult("ids", "acme/ids", "1.0.0", HopOutcome.INSPECTED, Verdict.PASS),
                new HopResult("av", "acme/av", "1.0.0", HopOutcome.INSPECTED, Verdict.DROP));
        // the chain dropped it at the source: it never reaches the destination
        assertThat(t.steps()).hasSize(1);
        assertThat(t.verdict()).isEqualTo(Action.DROP);

        assertThat(counters()).isEqualTo(before);
        assertThat(rig.insertion.chainStats("c")).isEmpty();
        // the functions did see the packet, in a session of its own that is closed
        assertThat(ids.sessions).singleElement().satisfies(s -> {
            assertThat(s.packets).hasValue(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> s.closes.get() == 1);
        });
    }

    @Test
    void failuresShowAsTheirKindUnderTheFailurePolicy() {
        ids.behavior = p -> {
            throw new IllegalStateException("partner bug");
        };
        List<Object> before = counters();

        SteeringTrace steering = rig.dc.trace(TraceRequest.tcp("web1", "db1", 443)).steps().get(0).steering();

        assertThat(steering.hops()).extracting(HopResult::outcome, HopResult::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(HopOutcome.EXCEPTION, Verdict.DROP));
        assertThat(steering.action()).isEqualTo(Action.DROP);
        assertThat(counters()).isEqualTo(before);
        assertThat(rig.registry.definition("acme/ids").orElseThrow().instances().get(0).circuitOpen()).isFalse();
    }

    @Test
    void aStepWithoutChainHasNoSteering() {
        Traceflow t = rig.dc.trace(TraceRequest.tcp("web1", "db1", 3306));

        assertThat(t.steps()).extracting(TraceStep::steering).containsExactly(null, null);
        assertThat(t.verdict()).isEqualTo(Action.ALLOW);
        assertThat(ids.sessions).isEmpty();
    }

    @Test
    void aPacketOfASteeredFlowIsTracedWithoutTouchingTheFlowsSession() {
        rig.process(WEB_NIC, Direction.OUT, Packet.tcp(WEB, TraceRequest.DEFAULT_SOURCE_PORT, DB, 443, Packet.SYN));
        List<Object> before = counters();

        Traceflow t = rig.dc.trace(TraceRequest.tcp("web1", "db1", 443));

        TraceStep out = t.steps().get(0);
        assertThat(out.decidedBy()).isEqualTo(TraceStep.DecidedBy.FLOW_TABLE);
        assertThat(out.steering()).extracting(SteeringTrace::ruleId, SteeringTrace::chainId, SteeringTrace::verdict)
                .containsExactly("to-c", "c", Verdict.PASS);
        assertThat(t.verdict()).isEqualTo(Action.ALLOW);
        assertThat(counters()).isEqualTo(before);
        // the flow's own session saw its one packet; the trace had a session of its own
        assertThat(ids.sessions).hasSize(2).first().satisfies(s -> assertThat(s.packets).hasValue(1));
        assertThat(ids.sessions).extracting(s -> s.flow.flowId()).doesNotHaveDuplicates();
    }
}
