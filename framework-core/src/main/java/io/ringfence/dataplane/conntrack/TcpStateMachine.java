package io.ringfence.dataplane.conntrack;

import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.FIN;
import static io.ringfence.dataplane.packet.Packet.RST;
import static io.ringfence.dataplane.packet.Packet.SYN;

/**
 * The TCP state machine of a tracked flow, as a pure function of the state and the packet's flags
 * and side. It follows the flags only: there is no sequence-window tracking in this version (see
 * {@link ConnectionTracker}), so sequence and acknowledgement numbers are never looked at.
 *
 * <p>Close: the first FIN (from the "closer") moves to FIN_WAIT; the other side's ACK without FIN
 * moves to CLOSE_WAIT (half-closed, the other side may still send data); the other side's FIN
 * moves to LAST_ACK; the closer's ACK of that FIN moves to TIME_WAIT. A RST closes from any state.
 */
final class TcpStateMachine {

    private TcpStateMachine() {
    }

    /**
     * The state after a packet, or {@code null} when the packet makes no sense in {@code state}
     * (the caller reports it INVALID and keeps the state).
     *
     * @param state         the flow's state
     * @param reply         whether the packet is from the responder
     * @param closerIsReply in FIN_WAIT, CLOSE_WAIT and LAST_ACK: whether the responder sent the first FIN
     * @param flags         the packet's TCP flags
     */
    static FlowState next(FlowState state, boolean reply, boolean closerIsReply, int flags) {
        if (state == FlowState.ESTABLISHED && (flags & (SYN | ACK | FIN | RST)) == ACK) {
            return FlowState.ESTABLISHED; // the bulk of the traffic, kept small for the JIT to inline
        }
        return afterFlags(state, reply, closerIsReply, flags);
    }

    private static FlowState afterFlags(FlowState state, boolean reply, boolean closerIsReply, int flags) {
        boolean syn = (flags & SYN) != 0;
        boolean ack = (flags & ACK) != 0;
        boolean fin = (flags & FIN) != 0;
        if (syn && (fin || (flags & RST) != 0)) {
            return null; // never legitimate
        }
        if ((flags & RST) != 0) {
            return FlowState.CLOSED;
        }
        boolean fromCloser = reply == closerIsReply;
        return switch (state) {
            case SYN_SENT -> !reply && syn && !ack ? FlowState.SYN_SENT
                    : reply && syn && ack ? FlowState.SYN_RECEIVED : null;
            case SYN_RECEIVED -> {
                if (syn) { // retransmissions of either half of the handshake
                    yield (!reply && !ack) || (reply && ack) ? FlowState.SYN_RECEIVED : null;
                }
                // the originator's ACK completes the handshake; the responder may not send before it
                yield !reply && ack ? (fin ? FlowState.FIN_WAIT : FlowState.ESTABLISHED) : null;
            }
            case ESTABLISHED -> syn || !ack ? null : fin ? FlowState.FIN_WAIT : FlowState.ESTABLISHED;
            case FIN_WAIT -> syn || !ack ? null
                    : fromCloser ? FlowState.FIN_WAIT
                    : fin ? FlowState.LAST_ACK : FlowState.CLOSE_WAIT;
            case CLOSE_WAIT -> syn || !ack ? null
                    : !fromCloser && fin ? FlowState.LAST_ACK : FlowState.CLOSE_WAIT;
            case LAST_ACK -> syn || !ack ? null
                    : fromCloser && !fin ? FlowState.TIME_WAIT : FlowState.LAST_ACK;
            case TIME_WAIT -> syn || !ack ? null : FlowState.TIME_WAIT;
            case CLOSED -> null; // only RSTs (handled above) are retransmitted after a reset
            default -> throw new IllegalArgumentException("not a TCP state: " + state);
        };
    }

    /** True when a packet opens a TCP connection: SYN without ACK, FIN or RST. */
    static boolean isOpening(int flags) {
        return (flags & (SYN | ACK | FIN | RST)) == SYN;
    }
}
