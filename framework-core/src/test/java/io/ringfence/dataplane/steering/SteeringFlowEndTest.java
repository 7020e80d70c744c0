package io.ringfence.dataplane.steering;

import static io.ringfence.dataplane.steering.SteeringRig.DB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB_NIC;
import static io.ringfence.model.InsertionFixtures.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever ends a steered flow closes its chain session, and the function's session, exactly once:
 * a FIN close followed by the TIME_WAIT timeout, a reset, a new connection on the tuple, a rule
 * change that cuts the flow, its vNIC or host leaving.
 */
class SteeringFlowEndTest {

    private final SteeringRig rig = new SteeringRig();
    private Partner ids;

    @BeforeEach
    void steerHttps() {
        ids = rig.register("ids");
        rig.chain("c", FailurePolicy.BLOCK, "ids");
        rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
    }

    @AfterEach
    void tearDown() {
        rig.close();
        assertThat(ids.violations).isEmpty();
    }

    private Verdict out(int flags) {
        return rig.process(WEB_NIC, Direction.OUT, Packet.tcp(WEB, 40000, DB, 443, flags));
    }

    private Verdict in(int flags) {
        return rig.process(WEB_NIC, Direction.IN, Packet.tcp(DB, 443, WEB, 40000, flags));
    }

    private void handshake() {
        out(Packet.SYN);
        in(Packet.SYN | Packet.ACK);
        out(Packet.ACK);
        assertThat(rig.insertion.chainStats("c").orElseThrow().sessionsOpen()).isEqualTo(1);
    }

    /** The flow's session, closed once; the chain holds no session. */
    private void assertClosedOnce() {
        // the function opens it on its own thread: on a loaded machine past the chain's deadline, when
        // the runtime closes it as soon as it comes
        await().atMost(Duration.ofSeconds(10)).until(() -> !ids.sessions.isEmpty());
        Partner.Session session = ids.sessions.peek();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.closes.get() >= 1);
        assertThat(session.closes).hasValue(1);
        assertThat(rig.insertion.chainStats("c").orElseThrow().sessionsOpen()).isZero();
        assertThat(ids.sessions).hasSize(1);
    }

    private void after(Duration d) {
        rig.nanos.addAndGet(d.toNanos());
    }

    @Test
    void aClosedConnectionEndsWhenItsTimeWaitIsOver() {
        handshake();
        out(Packet.FIN | Packet.ACK);
        in(Packet.FIN | Packet.ACK);
        out(Packet.ACK);
        assertThat(rig.dc.expire()).isZero();
        assertThat(ids.sessions.peek().closes).hasValue(0);

        after(Duration.ofSeconds(121));
        assertThat(rig.dc.expire()).isEqualTo(1);

        assertClosedOnce();
        assertThat(ids.sessions.peek().packets).hasValue(6);
        assertThat(rig.dc.expire()).isZero();
    }

    @Test
    void aResetConnectionEndsWhenItsClosedStateIsOver() {
        handshake();
        assertThat(in(Packet.RST).chainId()).as("the functions see the reset").isEqualTo("c");

        after(Duration.ofSeconds(11));
        rig.dc.expire();

        assertClosedOnce();
    }

    @Test
    void aNewConnectionOnTheTupleOfAResetOneEndsTheOldFlow() {
        handshake();
        in(Packet.RST);

        Verdict reopened = out(Packet.SYN);

        assertThat(reopened.chainId()).isEqualTo("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.sessions.peek().closes.get() == 1);
        assertThat(ids.sessions).hasSize(2);
        assertThat(rig.insertion.chainStats("c").orElseThrow().sessionsOpen()).isEqualTo(1);
    }

    @Test
    void aRuleChangeThatCutsTheFlowEndsIt() {
        handshake();

        rig.manager.replaceRule("p1", "r-https", SteeringRig.webToDb("r-https", 10, "https", Action.DROP), null, "t");

        assertThat(rig.dc.flows("web1")).isEmpty();
        assertClosedOnce();
    }

    @Test
    void aVnicThatLeavesEndsItsFlows() {
        handshake();
        Vm web1 = rig.manager.snapshot().find(Kind.VM, "web1").orElseThrow();

        rig.manager.replace(Kind.VM, "web1", web1.withVnics(List.of()), null, "t");

        assertClosedOnce();
    }

    @Test
    void aHostThatLeavesEndsItsFlows() {
        handshake();

        rig.agent("h1").close();

        assertClosedOnce();
        // no flow and no tables any more: an ACK of no flow is invalid (a SYN would meet the default rule)
        assertThat(out(Packet.ACK).ruleId()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void closingTheDataCenterEndsEveryFlow() {
        handshake();

        rig.dc.close();

        assertClosedOnce();
    }

    @Test
    void aFlowEvictedToMakeRoomEnds() {
        rig.close();
        try (SteeringRig small = new SteeringRig(1)) {
            Partner p = small.register("ids");
            small.chain("c", FailurePolicy.BLOCK, "ids");
            small.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));
            small.process(WEB_NIC, Direction.OUT, Packet.tcp(WEB, 40000, DB, 443, Packet.SYN));

            small.process(WEB_NIC, Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN));

            Partner.Session first = p.sessions.peek();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.closes.get() == 1);
            assertThat(first.flow.sourcePort()).isEqualTo(40000);
            assertThat(small.insertion.chainStats("c").orElseThrow().sessionsOpen()).isEqualTo(1);
            assertThat(p.violations).isEmpty();
        }
    }
}
