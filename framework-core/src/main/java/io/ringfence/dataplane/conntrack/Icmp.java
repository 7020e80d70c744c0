package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;

/**
 * ICMP and ICMPv6 type numbers conntrack cares about: echo (tracked by id) and errors (RELATED).
 * Each test takes the protocol and the ICMP type (-1 when the packet has none), so that a parsed
 * {@link Packet} and a {@link io.ringfence.dataplane.packet.PacketView} are read alike.
 */
final class Icmp {

    private Icmp() {
    }

    /** True for an echo request or echo reply, whose identifier stands in for ports. */
    static boolean isEcho(Packet p) {
        return isEcho(p.protocol(), p.icmpType());
    }

    static boolean isEcho(int protocol, int type) {
        if (protocol == Packet.ICMP) {
            return type == 8 || type == 0;
        }
        return protocol == Packet.ICMPV6 && (type == 128 || type == 129);
    }

    /** True for an echo reply (ICMP 0, ICMPv6 129). */
    static boolean isEchoReply(int protocol, int type) {
        return protocol == Packet.ICMP ? type == 0 : type == 129;
    }

    /**
     * True for an error message that quotes the packet it reports on: ICMP destination unreachable
     * (3), source quench (4), redirect (5), time exceeded (11), parameter problem (12); ICMPv6
     * destination unreachable (1), packet too big (2), time exceeded (3), parameter problem (4).
     */
    static boolean isError(Packet p) {
        return isError(p.protocol(), p.icmpType());
    }

    static boolean isError(int protocol, int type) {
        if (protocol == Packet.ICMP) {
            return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        }
        return protocol == Packet.ICMPV6 && type >= 1 && type <= 4;
    }
}
