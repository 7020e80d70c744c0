package io.ringfence.dataplane.conntrack;

/**
 * What connection tracking says about a packet.
 *
 * @param kind  the answer
 * @param flow  the flow the packet belongs to (TRACKED, INVALID on a flow) or that an ICMP error
 *              quotes (RELATED); null for NEW and for an INVALID packet without a flow
 * @param reply whether the packet travels in the flow's reply direction (as seen from the error
 *              for RELATED: whether the quoted header is in the reply direction)
 */
public record Lookup(Kind kind, Flow flow, boolean reply) {

    /** The kinds of answer. */
    public enum Kind {
        /** No tracked flow: classify the packet against the rules, then {@code create} on ALLOW. */
        NEW,
        /** A packet of a tracked flow, valid for its state; the flow's state and counters moved. */
        TRACKED,
        /** An ICMP/ICMPv6 error quoting a packet of a tracked flow. */
        RELATED,
        /** A packet that makes no sense (for the flow's state, or a TCP non-SYN without a flow): drop it. */
        INVALID
    }

    static final Lookup NEW = new Lookup(Kind.NEW, null, false);
    static final Lookup INVALID_WITHOUT_FLOW = new Lookup(Kind.INVALID, null, false);

    /** True unless the packet is INVALID. */
    public boolean valid() {
        return kind != Kind.INVALID;
    }
}
