package io.ringfence.dataplane.conntrack;

import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.model.Direction;
import org.junit.jupiter.api.Test;

/** {@link ConnectionTracker#peek} answers like {@code lookup} and changes nothing. */
class PeekTest {

    final Traffic t = new Traffic();

    @Test
    void aPeekAtATrackedPacketMovesNoStateCounterOrExpiry() {
        Flow flow = t.open();
        t.advanceSeconds(1);
        long expiresAt = flow.expiresAt();

        Lookup peek = t.tracker.peek(Traffic.VNIC, Direction.IN, Traffic.server(SYN | ACK), t.now);

        assertThat(peek.kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(peek.reply()).isTrue();
        assertThat(peek.flow()).isSameAs(flow);
        assertThat(flow.state()).isEqualTo(FlowState.SYN_SENT);
        assertThat(flow.replyPackets()).isZero();
        assertThat(flow.expiresAt()).isEqualTo(expiresAt);
    }

    @Test
    void aPeekAnswersNewAndInvalidLikeALookup() {
        assertThat(t.tracker.peek(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now).kind())
                .isEqualTo(Lookup.Kind.NEW);
        assertThat(t.tracker.peek(Traffic.VNIC, Direction.OUT, Traffic.client(ACK), t.now).kind())
                .isEqualTo(Lookup.Kind.INVALID);
        t.handshake();
        assertThat(t.tracker.peek(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now).kind())
                .isEqualTo(Lookup.Kind.INVALID);
    }

    @Test
    void aPeekAtAnExpiredFlowReportsNewAndLeavesItInTheTable() {
        t.open();
        t.advanceSeconds(31); // SYN_SENT times out after 30 s

        assertThat(t.tracker.peek(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now).kind())
                .isEqualTo(Lookup.Kind.NEW);
        assertThat(t.tracker.size()).isEqualTo(1);
    }
}
