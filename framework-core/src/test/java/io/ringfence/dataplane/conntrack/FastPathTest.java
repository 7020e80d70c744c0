package io.ringfence.dataplane.conntrack;

import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.FIN;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.dataplane.packet.RejectPackets;
import io.ringfence.model.Direction;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionTracker#track}: a valid packet of a live flow is applied exactly as {@code lookup}
 * applies it; anything else changes nothing and is left to {@code lookup}.
 */
class FastPathTest {

    final Traffic t = new Traffic();

    static PacketView view(Packet p) {
        PacketView view = new PacketView();
        PacketParser.parseEthernet(PacketWriter.toEthernet(p, 1, 2), view);
        return view;
    }

    @Test
    void aValidPacketOfATrackedFlowMovesItAsALookupWould() {
        Flow flow = t.open();
        t.advanceSeconds(1);

        assertThat(t.tracker.track(Traffic.VNIC, Direction.IN, view(Traffic.server(SYN | ACK)), t.now)).isSameAs(flow);
        assertThat(t.tracker.track(Traffic.VNIC, Direction.OUT, view(Traffic.client(ACK)), t.now)).isSameAs(flow);

        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);
        assertThat(flow.replyPackets()).isEqualTo(1);
        assertThat(flow.replyBytes()).isEqualTo(Traffic.server(SYN | ACK).length());
        assertThat(flow.originalPackets()).isEqualTo(2);
        assertThat(flow.lastSeen()).isEqualTo(t.now);
        assertThat(flow.expiresAt()).isEqualTo(t.now + t.tracker.config().timeout(FlowState.ESTABLISHED).toNanos());
    }

    @Test
    void aPacketWithoutFlowIsLeftToTheFullPath() {
        assertThat(t.tracker.track(Traffic.VNIC, Direction.OUT, view(Traffic.client(SYN)), t.now)).isNull();
        assertThat(t.tracker.size()).isZero();
        // the same tuple on another vNIC, or crossing the other way, is another flow
        t.open();
        assertThat(t.tracker.track("vm2", Direction.IN, view(Traffic.server(SYN | ACK)), t.now)).isNull();
        assertThat(t.tracker.track(Traffic.VNIC, Direction.OUT, view(Traffic.server(SYN | ACK)), t.now)).isNull();
    }

    @Test
    void anInvalidPacketChangesNothingAndTheFullPathCallsItInvalid() {
        Flow flow = t.open();
        long expiresAt = flow.expiresAt();
        t.advanceSeconds(1);

        // the server may not send data before the handshake completes
        assertThat(t.tracker.track(Traffic.VNIC, Direction.IN, view(Traffic.server(ACK)), t.now)).isNull();
        assertThat(flow.state()).isEqualTo(FlowState.SYN_SENT);
        assertThat(flow.replyPackets()).isZero();
        assertThat(flow.expiresAt()).isEqualTo(expiresAt);
        assertThat(t.fromServer(ACK).kind()).isEqualTo(Lookup.Kind.INVALID);
    }

    @Test
    void anExpiredFlowIsLeftToTheFullPathWhichRemovesIt() {
        Flow flow = t.handshake();
        t.advanceNanos(t.tracker.config().timeout(FlowState.ESTABLISHED).toNanos());

        assertThat(t.tracker.track(Traffic.VNIC, Direction.OUT, view(Traffic.client(ACK)), t.now)).isNull();
        assertThat(flow.removed()).isFalse();
        assertThat(t.fromClient(ACK).kind()).isEqualTo(Lookup.Kind.INVALID);
        assertThat(flow.removed()).isTrue();
    }

    @Test
    void aSynReopeningATimeWaitFlowIsLeftToTheFullPath() {
        Flow flow = t.handshake();
        t.fromClient(FIN | ACK);
        t.fromServer(FIN | ACK);
        t.fromClient(ACK);
        assertThat(flow.state()).isEqualTo(FlowState.TIME_WAIT);

        assertThat(t.tracker.track(Traffic.VNIC, Direction.OUT, view(Traffic.client(SYN)), t.now)).isNull();
        assertThat(flow.removed()).isFalse();
        assertThat(t.fromClient(SYN).kind()).isEqualTo(Lookup.Kind.NEW);
        assertThat(flow.removed()).isTrue();
    }

    @Test
    void icmpErrorsAlwaysTakeTheFullPath() {
        Flow flow = t.handshake();
        Packet error = RejectPackets.unreachable(Traffic.client(ACK), PacketWriter.toIp(Traffic.client(ACK)));
        // the error comes back from the server's side, into the client's vNIC
        assertThat(t.tracker.track(Traffic.VNIC, Direction.IN, view(error), t.now)).isNull();
        assertThat(t.in(PacketParser.parseEthernet(PacketWriter.toEthernet(error, 1, 2))))
                .extracting(Lookup::kind, Lookup::flow).containsExactly(Lookup.Kind.RELATED, flow);
    }

    @Test
    void echoRepliesAreTrackedAndEchoRequestsFromTheOtherSideAreNot() {
        Packet request = Packet.icmp("10.0.0.1", "10.0.0.2", 8, 0, 7);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, request, t.now, "ping", 1);

        assertThat(t.tracker.track(Traffic.VNIC, Direction.IN, view(Packet.icmp("10.0.0.2", "10.0.0.1", 8, 0, 7)),
                t.now)).isNull();
        assertThat(t.tracker.track(Traffic.VNIC, Direction.IN, view(Packet.icmp("10.0.0.2", "10.0.0.1", 0, 0, 7)),
                t.now)).isSameAs(flow);
        assertThat(flow.replyPackets()).isEqualTo(1);
    }
}
