package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.require;
import static io.ringfence.dataplane.packet.Bytes.u16;
import static io.ringfence.dataplane.packet.Bytes.u32;
import static io.ringfence.dataplane.packet.Bytes.u8;

import io.ringfence.net.IpFamily;
import java.util.Arrays;

/**
 * Parses the transport header (TCP, UDP, ICMP, ICMPv6) after an {@link IpHeader}, verifying its
 * checksum unless the packet is a fragment (the checksum then covers bytes not present).
 */
final class TransportParser {

    private TransportParser() {
    }

    static Packet parse(IpHeader ip, byte[] data, int pos, int length) {
        if (ip.laterFragment()) {
            // only the first fragment carries the transport header
            return packet(ip, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, null);
        }
        boolean v4 = ip.family() == IpFamily.IPV4;
        return switch (ip.protocol()) {
            case Packet.TCP -> tcp(ip, data, pos, length);
            case Packet.UDP -> udp(ip, data, pos, length);
            case Packet.ICMP -> v4 ? icmp(ip, data, pos, length) : other(ip, data, pos, length);
            case Packet.ICMPV6 -> v4 ? other(ip, data, pos, length) : icmp(ip, data, pos, length);
            default -> other(ip, data, pos, length);
        };
    }

    private static Packet tcp(IpHeader ip, byte[] data, int pos, int length) {
        require(20, length, "TCP header");
        int dataOffset = (u8(data, pos + 12) >>> 4) * 4;
        if (dataOffset < 20) {
            throw new MalformedPacketException("TCP data offset " + dataOffset + " is below 20");
        }
        require(dataOffset, length, "TCP header with options");
        verifyTransport(ip, data, pos, length, "TCP");
        return packet(ip, u16(data, pos), u16(data, pos + 2), u8(data, pos + 13), u32(data, pos + 4),
                u32(data, pos + 8), u16(data, pos + 14), -1, -1, 0, null,
                copy(data, pos + dataOffset, length - dataOffset));
    }

    private static Packet udp(IpHeader ip, byte[] data, int pos, int length) {
        require(8, length, "UDP header");
        int udpLength = u16(data, pos + 4);
        if (!ip.fragmented()) {
            if (udpLength != length) {
                throw new MalformedPacketException("UDP length " + udpLength + " differs from the " + length
                        + " bytes the IP header gives it");
            }
            int checksum = u16(data, pos + 6);
            if (checksum == 0 && ip.family() == IpFamily.IPV6) {
                throw new MalformedPacketException("zero UDP checksum over IPv6");
            }
            // over IPv4, a zero checksum means the sender computed none
            if (checksum != 0) {
                verifyTransport(ip, data, pos, length, "UDP");
            }
        } else if (udpLength < 8) {
            throw new MalformedPacketException("UDP length " + udpLength + " is below 8");
        }
        return packet(ip, u16(data, pos), u16(data, pos + 2), 0, 0, 0, 0, -1, -1, 0, null,
                copy(data, pos + 8, length - 8));
    }

    private static Packet icmp(IpHeader ip, byte[] data, int pos, int length) {
        boolean v4 = ip.family() == IpFamily.IPV4;
        String name = v4 ? "ICMP" : "ICMPv6";
        require(8, length, name + " header");
        if (!ip.fragmented()) {
            int sum = v4 ? Checksums.internet(data, pos, length)
                    : Checksums.transport(ip.source(), ip.checksumDestination(), ip.protocol(), data, pos, length);
            if (sum != 0) {
                throw new MalformedPacketException("bad " + name + " checksum");
            }
        }
        int type = u8(data, pos);
        byte[] payload = copy(data, pos + 8, length - 8);
        int id = Icmp.isEcho(ip.family(), type) ? u16(data, pos + 4) : 0;
        Packet embedded = Icmp.isError(ip.family(), type) ? EmbeddedHeaderParser.parse(ip.family(), payload) : null;
        return packet(ip, 0, 0, 0, 0, 0, 0, type, u8(data, pos + 1), id, embedded, payload);
    }

    /** A protocol we do not look into (or ICMP of the other family): the rest is payload. */
    private static Packet other(IpHeader ip, byte[] data, int pos, int length) {
        return packet(ip, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, copy(data, pos, length));
    }

    private static void verifyTransport(IpHeader ip, byte[] data, int pos, int length, String name) {
        if (!ip.fragmented()
                && Checksums.transport(ip.source(), ip.checksumDestination(), ip.protocol(), data, pos, length) != 0) {
            throw new MalformedPacketException("bad " + name + " checksum");
        }
    }

    private static Packet packet(IpHeader ip, int sourcePort, int destinationPort, int flags, long seq, long ack,
                                 int window, int icmpType, int icmpCode, int icmpId, Packet embedded,
                                 byte[] payload) {
        return new Packet(ip.family(), ip.source(), ip.destination(), ip.protocol(), sourcePort, destinationPort,
                flags, seq, ack, window, icmpType, icmpCode, icmpId, embedded, ip.ttl(), ip.length(), payload);
    }

    private static byte[] copy(byte[] data, int from, int length) {
        return Arrays.copyOfRange(data, from, from + length);
    }
}
