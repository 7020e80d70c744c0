package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;

/** ICMP and ICMPv6 type numbers conntrack cares about: echo (tracked by id) and errors (RELATED). */
final class Icmp {

    private Icmp() {
    }

    /** True for an echo request or echo reply, whose identifier stands in for ports. */
    static boolean isEcho(Packet p) {
        if (p.protocol() == Packet.ICMP) {
            return p.icmpType() == 8 || p.icmpType() == 0;
        }
        return p.protocol() == Packet.ICMPV6 && (p.icmpType() == 128 || p.icmpType() == 129);
    }

    /** True for an echo reply (ICMP 0, ICMPv6 129). */
    static boolean isEchoReply(Packet p) {
        return p.protocol() == Packet.ICMP ? p.icmpType() == 0 : p.icmpType() == 129;
    }

    /**
     * True for an error message that quotes the packet it reports on: ICMP destination unreachable
     * (3), source quench (4), redirect (5), time exceeded (11), parameter problem (12); ICMPv6
     * destination unreachable (1), packet too big (2), time exceeded (3), parameter problem (4).
     */
    static boolean isError(Packet p) {
        int t = p.icmpType();
        if (p.protocol() == Packet.ICMP) {
            return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
        }
        return p.protocol() == Packet.ICMPV6 && t >= 1 && t <= 4;
    }
}
