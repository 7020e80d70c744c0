package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.conntrack.FlowKey;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.net.IpFamily;

/**
 * Rebuilds, from a flow's key, a packet of the shape that opened the flow, to ask new tables whether
 * they still allow it. Derived rather than remembered so that the agent keeps no per-flow state the
 * tracker might outlive (flows expire and are evicted without telling anyone).
 *
 * <p>The key keeps everything a rule matches on except the ICMP type: an ICMP flow whose key has
 * ports (the echo identifier) is probed as an echo request; one without is probed with no type,
 * which only entries that accept any ICMP type match. That may cut such a (rare) flow that a
 * type-specific rule allowed, never keep one that no rule allows.
 */
final class FlowProbes {

    private static final int ECHO_REQUEST = 8;
    private static final int V6_ECHO_REQUEST = 128;

    private FlowProbes() {
    }

    /** The probe packet for the flow stored under {@code key} (its original direction). */
    static Packet of(FlowKey key) {
        IpFamily family = key.source().family();
        int header = family == IpFamily.IPV4 ? 20 : 40;
        int p = key.protocol();
        if (p == Packet.TCP) {
            return new Packet(family, key.source(), key.destination(), p, key.sourcePort(), key.destinationPort(),
                    Packet.SYN, 0, 0, 65535, -1, -1, 0, null, 64, header + 20, null);
        }
        if (p == Packet.UDP) {
            return new Packet(family, key.source(), key.destination(), p, key.sourcePort(), key.destinationPort(),
                    0, 0, 0, 0, -1, -1, 0, null, 64, header + 8, null);
        }
        if (p == Packet.ICMP || p == Packet.ICMPV6) {
            boolean echo = key.sourcePort() != 0 || key.destinationPort() != 0;
            int type = !echo ? -1 : p == Packet.ICMP ? ECHO_REQUEST : V6_ECHO_REQUEST;
            return new Packet(family, key.source(), key.destination(), p, 0, 0, 0, 0, 0, 0, type, echo ? 0 : -1,
                    key.sourcePort(), null, 64, header + 8, null);
        }
        return new Packet(family, key.source(), key.destination(), p, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, 64, header,
                null);
    }
}
