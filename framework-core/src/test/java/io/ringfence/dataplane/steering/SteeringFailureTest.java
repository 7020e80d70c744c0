package io.ringfence.dataplane.steering;

import static io.ringfence.dataplane.steering.SteeringRig.DB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB_NIC;
import static io.ringfence.model.InsertionFixtures.redirect;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.spi.inspection.InspectedPacket;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A function that throws, returns null, misses its deadline, is missing, or whose profile no longer
 * validates: the chain's failure policy decides the packet (ALLOW lets it pass, BLOCK drops it), the
 * call returns, and nothing reaches the data plane's caller.
 */
class SteeringFailureTest {

    /** What a caller may take beyond its deadline (scheduling on a loaded machine, not work). */
    private static final long MARGIN_MILLIS = 500;
    private static final long SHORT_DEADLINE_MICROS = 50_000;

    private final SteeringRig rig = new SteeringRig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private static Action actionOf(FailurePolicy policy) {
        return policy == FailurePolicy.ALLOW ? Action.ALLOW : Action.DROP;
    }

    /** Chain c through ids then av (av always there and passing), steering web's https leaving web1-0. */
    private void chain(FailurePolicy policy, long deadlineMicros) {
        rig.chain("c", policy, deadlineMicros, null, "ids", "av");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
    }

    private Verdict syn(int port) {
        return rig.process(WEB_NIC, Direction.OUT, Packet.tcp(WEB, port, DB, 443, Packet.SYN));
    }

    /** Two flows' first packets with ids behaving so; checks the policy decided and counted {@code failure}. */
    private void assertFailurePolicy(FailurePolicy policy,
                                     Function<InspectedPacket, io.ringfence.spi.inspection.Verdict> behavior,
                                     HopOutcome failure) {
        Partner ids = rig.register("ids");
        Partner av = rig.register("av");
        ids.behavior = behavior;
        chain(policy, SteeringRig.DEADLINE_MICROS);

        Verdict v = syn(40000);

        assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::chainId)
                .containsExactly(actionOf(policy), "r-https", "c");
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures()).containsEntry(failure, 1L);
        // fail-open skips the hop and the chain goes on; fail-closed stops the packet there
        assertThat(av.sessions).hasSize(policy == FailurePolicy.ALLOW ? 1 : 0);
        assertThat(rig.dc.vnicStats(WEB_NIC).orElseThrow().inspectionDropped())
                .isEqualTo(policy == FailurePolicy.BLOCK ? 1 : 0);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aThrowingFunction(FailurePolicy policy) {
        assertFailurePolicy(policy, p -> {
            throw new IllegalStateException("partner bug");
        }, HopOutcome.EXCEPTION);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionReturningNull(FailurePolicy policy) {
        assertFailurePolicy(policy, p -> null, HopOutcome.NULL_VERDICT);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aHangingFunctionIsLeftAtTheDeadline(FailurePolicy policy) {
        Partner ids = rig.register("ids");
        rig.register("av");
        ids.behavior = ids.hangs();
        chain(policy, SHORT_DEADLINE_MICROS);

        long start = System.nanoTime();
        Verdict v = syn(40000);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(v.action()).isEqualTo(actionOf(policy));
        assertThat(tookMillis).isLessThan(SHORT_DEADLINE_MICROS / 1000 + MARGIN_MILLIS);
        // the hanging function missed its deadline once; av, healthy, may too on a loaded machine (one
        // deadline for the whole chain), so the chain's count is at least one
        assertThat(rig.insertion.functionStats()).filteredOn(f -> f.definitionId().equals(ids.definitionId()))
                .singleElement().satisfies(f -> assertThat(f.failures()).containsEntry(HopOutcome.DEADLINE, 1L));
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures().get(HopOutcome.DEADLINE))
                .isGreaterThanOrEqualTo(1L);
        // the abandoned hop is not called again for the flow: its next packet is decided at once
        start = System.nanoTime();
        Verdict reply = rig.process(WEB_NIC, Direction.IN, Packet.tcp(DB, 443, WEB, 40000, Packet.SYN | Packet.ACK));
        assertThat(reply.action()).isEqualTo(actionOf(policy));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MARGIN_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aMissingFunction(FailurePolicy policy) {
        Partner ids = rig.register("ids");
        long serviceId = rig.registry.definition(ids.definitionId()).orElseThrow().instances().get(0).serviceId();
        rig.register("av");
        chain(policy, SteeringRig.DEADLINE_MICROS);
        assertThat(syn(40000).action()).isEqualTo(Action.ALLOW);

        rig.registry.remove(serviceId);

        // the flow in progress finds no instance, nor does a flow that starts while it is missing
        Verdict reply = rig.process(WEB_NIC, Direction.IN, Packet.tcp(DB, 443, WEB, 40000, Packet.SYN | Packet.ACK));
        assertThat(reply).extracting(Verdict::action, Verdict::chainId).containsExactly(actionOf(policy), "c");
        assertThat(syn(40001).action()).isEqualTo(actionOf(policy));
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures()).containsEntry(HopOutcome.MISSING_INSTANCE, 2L);

        // back again (an update): new flows are inspected, and both flows that met the gap go on with it
        Partner again = rig.partner("ids", "1.1.0");
        rig.register(again);
        assertThat(syn(40002)).extracting(Verdict::action, Verdict::inspection)
                .containsExactly(Action.ALLOW, io.ringfence.spi.inspection.Verdict.PASS);
        rig.process(WEB_NIC, Direction.OUT, Packet.tcp(WEB, 40000, DB, 443, Packet.ACK));
        rig.process(WEB_NIC, Direction.IN, Packet.tcp(DB, 443, WEB, 40001, Packet.SYN | Packet.ACK));
        assertThat(again.sessions).extracting(s -> s.flow.sourcePort()).containsExactlyInAnyOrder(40002, 40000, 40001);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aFunctionNeverRegisteredIsAMissingHop(FailurePolicy policy) {
        rig.register("av");
        chain(policy, SteeringRig.DEADLINE_MICROS);

        assertThat(syn(40000).action()).isEqualTo(actionOf(policy));
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures()).containsEntry(HopOutcome.INVALID_PROFILE, 1L);
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aProfileThatNoLongerValidatesIsAMissingHop(FailurePolicy policy) {
        Partner ids = rig.register("ids");
        rig.register("av");
        rig.profile("ids", Map.of("mode", "paranoid")); // the model takes it; the function's schema does not
        chain(policy, SteeringRig.DEADLINE_MICROS);

        Verdict v = syn(40000);

        assertThat(v.action()).isEqualTo(actionOf(policy));
        assertThat(ids.sessions).isEmpty();
        assertThat(rig.insertion.chainStats("c").orElseThrow().failures()).containsEntry(HopOutcome.INVALID_PROFILE, 1L);
    }
}
