package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.require;
import static io.ringfence.dataplane.packet.Bytes.u16;
import static io.ringfence.dataplane.packet.Bytes.u32;
import static io.ringfence.dataplane.packet.Bytes.u8;

import io.ringfence.net.IpFamily;
import java.util.Arrays;

/**
 * Parses the transport header (TCP, UDP, ICMP, ICMPv6) after the IP layer a {@link PacketView}
 * holds, into that view, verifying its checksum unless the packet is a fragment (the checksum then
 * covers bytes not present).
 */
final class TransportParser {

    private TransportParser() {
    }

    static void parse(PacketView ip, byte[] data, int pos, int length) {
        if (ip.laterFragment) {
            // only the first fragment carries the transport header
            ip.transport(0, 0, 0, 0, 0, 0, -1, -1, 0, null, data, 0, -1);
            return;
        }
        boolean v4 = ip.family == IpFamily.IPV4;
        switch (ip.protocol) {
            case Packet.TCP -> tcp(ip, data, pos, length);
            case Packet.UDP -> udp(ip, data, pos, length);
            case Packet.ICMP -> {
                if (v4) {
                    icmp(ip, data, pos, length);
                } else {
                    other(ip, data, pos, length);
                }
            }
            case Packet.ICMPV6 -> {
                if (v4) {
                    other(ip, data, pos, length);
                } else {
                    icmp(ip, data, pos, length);
                }
            }
            default -> other(ip, data, pos, length);
        }
    }

    private static void tcp(PacketView ip, byte[] data, int pos, int length) {
        require(20, length, "TCP header");
        int dataOffset = (u8(data, pos + 12) >>> 4) * 4;
        if (dataOffset < 20) {
            throw new MalformedPacketException("TCP data offset " + dataOffset + " is below 20");
        }
        require(dataOffset, length, "TCP header with options");
        verifyTransport(ip, data, pos, length, "TCP");
        ip.transport(u16(data, pos), u16(data, pos + 2), u8(data, pos + 13), u32(data, pos + 4), u32(data, pos + 8),
                u16(data, pos + 14), -1, -1, 0, null, data, pos + dataOffset, length - dataOffset);
    }

    private static void udp(PacketView ip, byte[] data, int pos, int length) {
        require(8, length, "UDP header");
        int udpLength = u16(data, pos + 4);
        if (!ip.fragmented) {
            if (udpLength != length) {
                throw new MalformedPacketException("UDP length " + udpLength + " differs from the " + length
                        + " bytes the IP header gives it");
            }
            int checksum = u16(data, pos + 6);
            if (checksum == 0 && ip.family == IpFamily.IPV6) {
                throw new MalformedPacketException("zero UDP checksum over IPv6");
            }
            // over IPv4, a zero checksum means the sender computed none
            if (checksum != 0) {
                verifyTransport(ip, data, pos, length, "UDP");
            }
        } else if (udpLength < 8) {
            throw new MalformedPacketException("UDP length " + udpLength + " is below 8");
        }
        ip.transport(u16(data, pos), u16(data, pos + 2), 0, 0, 0, 0, -1, -1, 0, null, data, pos + 8, length - 8);
    }

    private static void icmp(PacketView ip, byte[] data, int pos, int length) {
        boolean v4 = ip.family == IpFamily.IPV4;
        String name = v4 ? "ICMP" : "ICMPv6";
        require(8, length, name + " header");
        if (!ip.fragmented) {
            int sum = v4 ? Checksums.internet(data, pos, length) : pseudoHeaderSum(ip, data, pos, length);
            if (sum != 0) {
                throw new MalformedPacketException("bad " + name + " checksum");
            }
        }
        int type = u8(data, pos);
        int id = Icmp.isEcho(ip.family, type) ? u16(data, pos + 4) : 0;
        // only an error quotes a packet: the one case that allocates, off the fast path anyway
        Packet embedded = Icmp.isError(ip.family, type)
                ? EmbeddedHeaderParser.parse(ip.family, Arrays.copyOfRange(data, pos + 8, pos + length))
                : null;
        ip.transport(0, 0, 0, 0, 0, 0, type, u8(data, pos + 1), id, embedded, data, pos + 8, length - 8);
    }

    /** A protocol we do not look into (or ICMP of the other family): the rest is payload. */
    private static void other(PacketView ip, byte[] data, int pos, int length) {
        ip.transport(0, 0, 0, 0, 0, 0, -1, -1, 0, null, data, pos, length);
    }

    private static void verifyTransport(PacketView ip, byte[] data, int pos, int length, String name) {
        if (!ip.fragmented && pseudoHeaderSum(ip, data, pos, length) != 0) {
            throw new MalformedPacketException("bad " + name + " checksum");
        }
    }

    private static int pseudoHeaderSum(PacketView ip, byte[] data, int pos, int length) {
        return Checksums.transport(ip.family, ip.sourceHigh, ip.sourceLow, ip.checksumDestinationHigh,
                ip.checksumDestinationLow, ip.protocol, data, pos, length);
    }
}
