package io.ringfence.dataplane.conntrack;

/**
 * The state of a tracked flow; each state has its own timeout (see {@link ConnectionTracker.Config}).
 * TCP flows move through the TCP states, UDP flows from {@link #UDP_UNREPLIED} to
 * {@link #UDP_ASSURED}; ICMP echo flows stay {@link #ICMP}, other protocols {@link #OTHER}.
 */
public enum FlowState {
    /** TCP: the originator's SYN was seen. */
    SYN_SENT,
    /** TCP: the responder's SYN+ACK was seen. */
    SYN_RECEIVED,
    /** TCP: the originator acknowledged the SYN+ACK. */
    ESTABLISHED,
    /** TCP: one side sent a FIN, not yet acknowledged by the other side. */
    FIN_WAIT,
    /** TCP: one side's FIN was acknowledged; the other side may still send (half-close). */
    CLOSE_WAIT,
    /** TCP: both sides sent a FIN; waiting for the last ACK. */
    LAST_ACK,
    /** TCP: both FINs acknowledged; kept a while for late retransmissions. */
    TIME_WAIT,
    /** TCP: reset; kept a short while for retransmitted RSTs. */
    CLOSED,
    /** UDP: only the originator has sent. */
    UDP_UNREPLIED,
    /** UDP: the other side has replied. */
    UDP_ASSURED,
    /** ICMP/ICMPv6 echo. */
    ICMP,
    /** Any other protocol. */
    OTHER;

    /** True for the TCP states. */
    public boolean isTcp() {
        return ordinal() <= CLOSED.ordinal();
    }
}
