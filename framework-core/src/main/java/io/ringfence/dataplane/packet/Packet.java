package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

/**
 * One IP packet, parsed. Addresses are single-address prefixes of the packet's family.
 *
 * @param family     IPv4 or IPv6
 * @param source     source address
 * @param destination destination address
 * @param protocol   IANA protocol number of the transport header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...)
 * @param sourcePort TCP/UDP source port, else 0
 * @param destinationPort TCP/UDP destination port, else 0
 * @param tcpFlags   TCP flags (see the {@code FIN}... constants), else 0
 * @param tcpSeq     TCP sequence number (unsigned 32 bits), else 0
 * @param tcpAck     TCP acknowledgement number (unsigned 32 bits), else 0
 * @param tcpWindow  TCP window, else 0
 * @param icmpType   ICMP/ICMPv6 type, else -1
 * @param icmpCode   ICMP/ICMPv6 code, else -1
 * @param icmpId     identifier of an ICMP/ICMPv6 echo request or reply, else 0
 * @param embedded   for an ICMP/ICMPv6 error, the header of the packet it reports on, else null
 * @param ttl        IPv4 TTL or IPv6 hop limit
 * @param length     length of the IP packet in bytes (header included)
 * @param payload    the transport payload (not copied: treat as read-only)
 */
public record Packet(IpFamily family, IpPrefix source, IpPrefix destination, int protocol, int sourcePort,
                     int destinationPort, int tcpFlags, long tcpSeq, long tcpAck, int tcpWindow, int icmpType,
                     int icmpCode, int icmpId, Packet embedded, int ttl, int length, byte[] payload) {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final byte[] NO_PAYLOAD = new byte[0];

    public Packet {
        if (source == null || destination == null || !source.isHost() || !destination.isHost()
                || source.family() != family || destination.family() != family) {
            throw new IllegalArgumentException("source and destination must be single addresses of the packet's family");
        }
        payload = payload == null ? NO_PAYLOAD : payload;
    }

    /** A TCP packet without payload (for tests and synthetic traffic). */
    public static Packet tcp(String source, int sourcePort, String destination, int destinationPort, int flags) {
        IpPrefix s = IpPrefix.parse(source);
        return new Packet(s.family(), s, IpPrefix.parse(destination), TCP, sourcePort, destinationPort, flags, 0, 0,
                65535, -1, -1, 0, null, 64, s.family() == IpFamily.IPV4 ? 40 : 60, null);
    }

    /** A UDP packet with a payload. */
    public static Packet udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        IpPrefix s = IpPrefix.parse(source);
        int len = payload == null ? 0 : payload.length;
        return new Packet(s.family(), s, IpPrefix.parse(destination), UDP, sourcePort, destinationPort, 0, 0, 0, 0,
                -1, -1, 0, null, 64, (s.family() == IpFamily.IPV4 ? 28 : 48) + len, payload);
    }

    /** An ICMP (IPv4) or ICMPv6 (IPv6) packet of the given type and code. */
    public static Packet icmp(String source, String destination, int type, int code, int id) {
        IpPrefix s = IpPrefix.parse(source);
        boolean v4 = s.family() == IpFamily.IPV4;
        return new Packet(s.family(), s, IpPrefix.parse(destination), v4 ? ICMP : ICMPV6, 0, 0, 0, 0, 0, 0, type, code,
                id, null, 64, v4 ? 28 : 48, null);
    }

    public boolean isTcp() {
        return protocol == TCP;
    }

    public boolean isUdp() {
        return protocol == UDP;
    }

    public boolean isIcmp() {
        return protocol == ICMP || protocol == ICMPV6;
    }

    /** True when all of {@code flags} are set. */
    public boolean has(int flags) {
        return (tcpFlags & flags) == flags;
    }
}
