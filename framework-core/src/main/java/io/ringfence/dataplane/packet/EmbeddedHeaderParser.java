package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.require;
import static io.ringfence.dataplane.packet.Bytes.u16;
import static io.ringfence.dataplane.packet.Bytes.u32;
import static io.ringfence.dataplane.packet.Bytes.u64;
import static io.ringfence.dataplane.packet.Bytes.u8;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

/**
 * Reads the packet quoted in an ICMP or ICMPv6 error, leniently: a quote is by design cut short
 * (RFC 792 keeps 8 bytes past the IP header), so only the IP header must be complete; lengths and
 * checksums are not checked, and transport fields are filled in as far as the quote reaches.
 * The firewall uses the result to match the error to the connection it reports on.
 */
final class EmbeddedHeaderParser {

    private EmbeddedHeaderParser() {
    }

    /** Parses a quote, which must be of the same family as the error carrying it. */
    static Packet parse(IpFamily family, byte[] quote) {
        return family == IpFamily.IPV4 ? ipv4(quote) : ipv6(quote);
    }

    private static Packet ipv4(byte[] q) {
        require(20, q.length, "IPv4 header quoted in ICMP error");
        if (u8(q, 0) >>> 4 != 4) {
            throw new MalformedPacketException("ICMP error quotes a header that is not IPv4");
        }
        int headerLength = (u8(q, 0) & 0x0F) * 4;
        if (headerLength < 20) {
            throw new MalformedPacketException("quoted IPv4 header length " + headerLength + " is below 20");
        }
        require(headerLength, q.length, "IPv4 header with options quoted in ICMP error");
        IpPrefix source = IpPrefix.host(IpFamily.IPV4, 0, u32(q, 12));
        IpPrefix destination = IpPrefix.host(IpFamily.IPV4, 0, u32(q, 16));
        boolean later = (u16(q, 6) & 0x1FFF) != 0;
        IpHeader ip = new IpHeader(IpFamily.IPV4, source, destination, u8(q, 9), u8(q, 8), u16(q, 2), later);
        return transport(ip, q, headerLength);
    }

    private static Packet ipv6(byte[] q) {
        require(40, q.length, "IPv6 header quoted in ICMPv6 error");
        if (u8(q, 0) >>> 4 != 6) {
            throw new MalformedPacketException("ICMPv6 error quotes a header that is not IPv6");
        }
        IpPrefix source = IpPrefix.host(IpFamily.IPV6, u64(q, 8), u64(q, 16));
        IpPrefix destination = IpPrefix.host(IpFamily.IPV6, u64(q, 24), u64(q, 32));
        // walk the extension headers as far as the quote holds them; a cut chain ends the walk
        int next = u8(q, 6);
        int pos = 40;
        boolean later = false;
        for (int count = 0; Ipv6Extensions.isExtension(next) && count < Ipv6Extensions.MAX_HEADERS; count++) {
            if (q.length - pos < 8) {
                break;
            }
            int size = next == Ipv6Extensions.FRAGMENT ? 8
                    : next == Ipv6Extensions.AUTHENTICATION ? (u8(q, pos + 1) + 2) * 4 : (u8(q, pos + 1) + 1) * 8;
            if (q.length - pos < size) {
                break;
            }
            later |= next == Ipv6Extensions.FRAGMENT && (u16(q, pos + 2) & 0xFFF8) != 0;
            next = u8(q, pos);
            pos += size;
        }
        IpHeader ip = new IpHeader(IpFamily.IPV6, source, destination, next, u8(q, 7), 40 + u16(q, 4),
                later || Ipv6Extensions.isExtension(next));
        return transport(ip, q, pos);
    }

    /** Ports, TCP fields and ICMP type/code/id as far as the quote reaches; no payload. */
    private static Packet transport(IpHeader ip, byte[] q, int pos) {
        int avail = q.length - pos;
        int sourcePort = 0;
        int destinationPort = 0;
        int flags = 0;
        long seq = 0;
        long ack = 0;
        int window = 0;
        int type = -1;
        int code = -1;
        int id = 0;
        boolean icmp = ip.protocol() == (ip.family() == IpFamily.IPV4 ? Packet.ICMP : Packet.ICMPV6);
        if (ip.laterFragment()) {
            avail = 0;
        }
        if ((ip.protocol() == Packet.TCP || ip.protocol() == Packet.UDP) && avail >= 4) {
            sourcePort = u16(q, pos);
            destinationPort = u16(q, pos + 2);
        }
        if (ip.protocol() == Packet.TCP && avail >= 8) {
            seq = u32(q, pos + 4);
        }
        if (ip.protocol() == Packet.TCP && avail >= 16) {
            ack = u32(q, pos + 8);
            flags = u8(q, pos + 13);
            window = u16(q, pos + 14);
        }
        if (icmp && avail >= 2) {
            type = u8(q, pos);
            code = u8(q, pos + 1);
            if (avail >= 6 && Icmp.isEcho(ip.family(), type)) {
                id = u16(q, pos + 4);
            }
        }
        return new Packet(ip.family(), ip.source(), ip.destination(), ip.protocol(), sourcePort, destinationPort,
                flags, seq, ack, window, type, code, id, null, ip.ttl(), ip.length(), null);
    }
}
