package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import org.junit.jupiter.api.Test;

import static io.ringfence.dataplane.conntrack.Lookup.Kind.INVALID;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.NEW;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.TRACKED;
import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.FIN;
import static io.ringfence.dataplane.packet.Packet.PSH;
import static io.ringfence.dataplane.packet.Packet.RST;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpTrackingTest {

    private final Traffic t = new Traffic();

    @Test
    void handshakeDataAndCloseByTheClient() {
        Flow flow = t.open();
        assertThat(flow.state()).isEqualTo(FlowState.SYN_SENT);
        assertThat(flow.ruleId()).isEqualTo("rule-1");
        assertThat(flow.generation()).isEqualTo(7);

        Lookup synAck = t.fromServer(SYN | ACK);
        assertThat(synAck.kind()).isEqualTo(TRACKED);
        assertThat(synAck.reply()).isTrue();
        assertThat(synAck.flow()).isSameAs(flow);
        assertThat(flow.state()).isEqualTo(FlowState.SYN_RECEIVED);

        Lookup ack = t.fromClient(ACK);
        assertThat(ack.reply()).isFalse();
        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);

        assertThat(t.fromClient(ACK | PSH).kind()).isEqualTo(TRACKED);
        assertThat(t.fromServer(ACK | PSH).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);

        assertThat(t.fromClient(FIN | ACK).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.FIN_WAIT);
        assertThat(t.fromServer(FIN | ACK).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.LAST_ACK);
        assertThat(t.fromClient(ACK).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.TIME_WAIT);
        // late retransmissions of the close are still part of the flow
        assertThat(t.fromServer(FIN | ACK).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.TIME_WAIT);
    }

    @Test
    void closeByTheServer() {
        Flow flow = t.handshake();
        t.fromServer(FIN | ACK);
        assertThat(flow.state()).isEqualTo(FlowState.FIN_WAIT);
        t.fromClient(FIN | ACK);
        assertThat(flow.state()).isEqualTo(FlowState.LAST_ACK);
        // the client's own retransmitted ACK does not finish the close: the server's ACK does
        t.fromClient(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.LAST_ACK);
        t.fromServer(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.TIME_WAIT);
    }

    @Test
    void halfCloseLetsTheOtherSideKeepSending() {
        Flow flow = t.handshake();
        t.fromClient(FIN | ACK);
        t.fromServer(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.CLOSE_WAIT);

        assertThat(t.fromServer(ACK | PSH).kind()).isEqualTo(TRACKED);
        assertThat(t.fromClient(ACK).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.CLOSE_WAIT);

        t.fromServer(FIN | ACK);
        assertThat(flow.state()).isEqualTo(FlowState.LAST_ACK);
        t.fromClient(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.TIME_WAIT);
    }

    @Test
    void resetByTheClientOrTheServerCloses() {
        Flow flow = t.handshake();
        assertThat(t.fromClient(RST).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.CLOSED);
        assertThat(t.fromClient(RST | ACK).kind()).isEqualTo(TRACKED);
        assertThat(t.fromClient(ACK).kind()).isEqualTo(INVALID);

        Traffic other = new Traffic();
        Flow refused = other.open();
        assertThat(other.fromServer(RST | ACK).kind()).isEqualTo(TRACKED);
        assertThat(refused.state()).isEqualTo(FlowState.CLOSED);
    }

    @Test
    void resetDuringTheCloseCloses() {
        Flow flow = t.handshake();
        t.fromClient(FIN | ACK);
        t.fromServer(RST);
        assertThat(flow.state()).isEqualTo(FlowState.CLOSED);
    }

    @Test
    void packetsThatMakeNoSenseAreInvalidAndKeepTheState() {
        Flow flow = t.open();
        // a SYN+ACK in the original direction, data before the handshake completes
        assertThat(t.fromClient(SYN | ACK).kind()).isEqualTo(INVALID);
        assertThat(t.fromServer(ACK | PSH).kind()).isEqualTo(INVALID);
        assertThat(t.fromClient(ACK).kind()).isEqualTo(INVALID);
        assertThat(flow.state()).isEqualTo(FlowState.SYN_SENT);

        t.fromServer(SYN | ACK);
        // the responder may not send data before the originator's ACK
        Lookup early = t.fromServer(ACK | PSH);
        assertThat(early.kind()).isEqualTo(INVALID);
        assertThat(early.flow()).isSameAs(flow);
        assertThat(early.valid()).isFalse();
        assertThat(flow.state()).isEqualTo(FlowState.SYN_RECEIVED);

        t.fromClient(ACK);
        assertThat(t.fromClient(SYN).kind()).isEqualTo(INVALID);
        assertThat(t.fromServer(SYN | ACK).kind()).isEqualTo(INVALID);
        assertThat(t.fromClient(PSH).kind()).as("no ACK").isEqualTo(INVALID);
        assertThat(t.fromClient(SYN | FIN).kind()).isEqualTo(INVALID);
        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);
    }

    @Test
    void invalidPacketsDoNotCount() {
        Flow flow = t.open();
        t.fromClient(SYN | ACK);
        assertThat(flow.originalPackets()).isEqualTo(1);
    }

    @Test
    void handshakeRetransmissionsAreTracked() {
        Flow flow = t.open();
        assertThat(t.fromClient(SYN).kind()).isEqualTo(TRACKED);
        t.fromServer(SYN | ACK);
        assertThat(t.fromServer(SYN | ACK).kind()).isEqualTo(TRACKED);
        assertThat(t.fromClient(SYN).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.SYN_RECEIVED);
    }

    @Test
    void tcpWithoutAFlowIsNewOnlyForAPlainSyn() {
        assertThat(t.fromClient(SYN).kind()).isEqualTo(NEW);
        assertThat(t.fromClient(ACK).kind()).isEqualTo(INVALID);
        assertThat(t.fromClient(ACK).flow()).isNull();
        assertThat(t.fromServer(SYN | ACK).kind()).isEqualTo(INVALID);
        assertThatThrownBy(() -> t.tracker.create(Traffic.VNIC, Direction.OUT, Traffic.client(ACK), t.now, "r", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSynAfterTheCloseIsANewConnection() {
        Flow old = t.handshake();
        t.fromClient(RST);
        assertThat(t.fromClient(SYN).kind()).isEqualTo(NEW);
        assertThat(old.removed()).isTrue();
        Flow fresh = t.tracker.create(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now, "rule-2", 8);
        assertThat(fresh).isNotSameAs(old);
        assertThat(t.tracker.size()).isEqualTo(1);
        assertThat(t.fromServer(SYN | ACK).flow()).isSameAs(fresh);
    }

    @Test
    void noSequenceWindowTracking() {
        // policy of this version: sequence and acknowledgement numbers are not checked
        Flow flow = t.handshake();
        Packet far = new Packet(Traffic.client(ACK).family(), Traffic.client(ACK).source(),
                Traffic.client(ACK).destination(), Packet.TCP, 40000, 80, ACK | PSH, 0xdeadbeefL, 0x12345678L,
                1024, -1, -1, 0, null, 64, 1040, new byte[1000]);
        assertThat(t.out(far).kind()).isEqualTo(TRACKED);
        assertThat(flow.originalBytes()).isEqualTo(40 + 40 + 1040);
    }

    @Test
    void countersPerDirection() {
        Flow flow = t.handshake();
        t.advanceSeconds(3);
        t.fromServer(ACK | PSH);
        assertThat(flow.originalPackets()).isEqualTo(2);
        assertThat(flow.replyPackets()).isEqualTo(2);
        assertThat(flow.originalBytes()).isEqualTo(80);
        assertThat(flow.replyBytes()).isEqualTo(80);
        assertThat(flow.lastSeen()).isEqualTo(t.now);
        assertThat(flow.created()).isEqualTo(t.now - 3 * Traffic.SECOND);
    }

    @Test
    void ipv6Flow() {
        Packet syn = Packet.tcp("2001:db8::1", 50000, "2001:db8::2", 443, SYN);
        assertThat(t.out(syn).kind()).isEqualTo(NEW);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, syn, t.now, "r", 1);
        assertThat(t.in(Packet.tcp("2001:db8::2", 443, "2001:db8::1", 50000, SYN | ACK)).reply()).isTrue();
        t.out(Packet.tcp("2001:db8::1", 50000, "2001:db8::2", 443, ACK));
        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);
        assertThat(flow.originalBytes()).isEqualTo(120);
    }

    @Test
    void theSameTupleInTheOtherDirectionOfTheVnicIsAnotherFlow() {
        t.open();
        // the client's tuple entering the vNIC (not leaving it) is not this flow
        assertThat(t.in(Traffic.client(SYN)).kind()).isEqualTo(NEW);
        // nor is the server's reply leaving it
        assertThat(t.out(Traffic.server(SYN | ACK)).kind()).isEqualTo(INVALID);
    }

    @Test
    void serverSideFlowCreatedIn() {
        Flow flow = t.tracker.create("vm2", Direction.IN, Traffic.client(SYN), t.now, "r", 1);
        Lookup synAck = t.tracker.lookup("vm2", Direction.OUT, Traffic.server(SYN | ACK), t.now);
        assertThat(synAck.flow()).isSameAs(flow);
        assertThat(synAck.reply()).isTrue();
    }

    @Test
    void simultaneousClose() {
        Flow flow = t.handshake();
        t.fromClient(FIN | ACK);
        t.fromServer(FIN | ACK);
        assertThat(flow.state()).isEqualTo(FlowState.LAST_ACK);
        t.fromServer(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.LAST_ACK);
        t.fromClient(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.TIME_WAIT);
    }

    @Test
    void theHandshakeCanCompleteWithAFin() {
        Flow flow = t.open();
        t.fromServer(SYN | ACK);
        assertThat(t.fromClient(FIN | ACK).kind()).isEqualTo(TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.FIN_WAIT);
        t.fromServer(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.CLOSE_WAIT);
    }

    @Test
    void aSynInTheReplyDirectionDoesNotReopen() {
        t.handshake();
        t.fromClient(RST);
        assertThat(t.fromServer(SYN).kind()).isEqualTo(INVALID);
    }
}
