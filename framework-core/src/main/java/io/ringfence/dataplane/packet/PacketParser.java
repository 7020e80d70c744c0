package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.require;
import static io.ringfence.dataplane.packet.Bytes.u16;
import static io.ringfence.dataplane.packet.Bytes.u32;
import static io.ringfence.dataplane.packet.Bytes.u64;
import static io.ringfence.dataplane.packet.Bytes.u8;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

/**
 * Parses Ethernet II frames and IP packets into {@link Packet}s, strictly: every length is checked
 * against the bytes present, the IPv4 header checksum and the TCP, UDP, ICMP and ICMPv6 checksums
 * are verified, and any defect is reported as a {@link MalformedPacketException} with its reason.
 * A firewall must not guess at a packet it cannot read: a lenient parser here would let a crafted
 * packet be classified one way and delivered another.
 *
 * <p>Bytes after the IP packet's own length (Ethernet padding) are ignored. The parser is stateless
 * and thread-safe; payloads are copied out of the input.
 */
public final class PacketParser {

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERNET_HEADER = 14;
    /** 802.1ad allows an outer and an inner tag; more is not traffic we expect on a vNIC. */
    private static final int MAX_VLAN_TAGS = 2;

    private PacketParser() {
    }

    /** Parses an Ethernet II frame (without FCS), with up to two 802.1Q/802.1ad VLAN tags. */
    public static Packet parseEthernet(byte[] frame) {
        if (frame == null) {
            throw new MalformedPacketException("no frame");
        }
        require(ETHERNET_HEADER, frame.length, "Ethernet header");
        int pos = 12;
        int ethertype = u16(frame, pos);
        for (int tags = 0; ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ; tags++) {
            if (tags == MAX_VLAN_TAGS) {
                throw new MalformedPacketException("more than " + MAX_VLAN_TAGS + " VLAN tags");
            }
            pos += 4;
            require(pos + 2, frame.length, "VLAN tag");
            ethertype = u16(frame, pos);
        }
        pos += 2;
        return switch (ethertype) {
            case ETHERTYPE_IPV4 -> parseIpv4(frame, pos, frame.length - pos);
            case ETHERTYPE_IPV6 -> parseIpv6(frame, pos, frame.length - pos);
            default -> throw new MalformedPacketException(String.format("unknown ethertype 0x%04x", ethertype));
        };
    }

    /** Parses an IPv4 or IPv6 packet (by its version) in {@code length} bytes at {@code offset}. */
    public static Packet parseIp(byte[] data, int offset, int length) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) {
            throw new MalformedPacketException("region " + offset + "+" + length + " is outside the buffer");
        }
        require(1, length, "IP header");
        int version = u8(data, offset) >>> 4;
        return switch (version) {
            case 4 -> parseIpv4(data, offset, length);
            case 6 -> parseIpv6(data, offset, length);
            default -> throw new MalformedPacketException("IP version " + version);
        };
    }

    static Packet parseIpv4(byte[] data, int off, int available) {
        require(20, available, "IPv4 header");
        int version = u8(data, off) >>> 4;
        if (version != 4) {
            throw new MalformedPacketException("IP version " + version + " where IPv4 was expected");
        }
        int headerLength = (u8(data, off) & 0x0F) * 4;
        if (headerLength < 20) {
            throw new MalformedPacketException("IPv4 header length " + headerLength + " is below 20");
        }
        require(headerLength, available, "IPv4 header with options");
        int total = u16(data, off + 2);
        if (total < headerLength) {
            throw new MalformedPacketException("IPv4 total length " + total + " is below the header length "
                    + headerLength);
        }
        require(total, available, "IPv4 packet");
        if (Checksums.internet(data, off, headerLength) != 0) {
            throw new MalformedPacketException("bad IPv4 header checksum");
        }
        Ipv4Options.check(data, off, headerLength);
        int fragment = u16(data, off + 6);
        if ((fragment & 0x8000) != 0) {
            throw new MalformedPacketException("IPv4 reserved flag set");
        }
        boolean more = (fragment & 0x2000) != 0;
        int fragmentOffset = (fragment & 0x1FFF) * 8;
        if (fragmentOffset + total - headerLength > 65535) {
            // a fragment reaching past the largest datagram is an attack (ping of death), not traffic
            throw new MalformedPacketException("IPv4 fragment ends beyond 65535 bytes");
        }
        if (fragmentOffset == 8 && u8(data, off + 9) == Packet.TCP) {
            // RFC 1858 3.2: a TCP fragment at offset 8 can only serve to overwrite the flags
            throw new MalformedPacketException("TCP fragment at offset 8 overlaps the TCP header");
        }
        IpPrefix source = IpPrefix.host(IpFamily.IPV4, 0, u32(data, off + 12));
        IpPrefix destination = IpPrefix.host(IpFamily.IPV4, 0, u32(data, off + 16));
        IpHeader ip = new IpHeader(IpFamily.IPV4, source, destination, destination, u8(data, off + 9),
                u8(data, off + 8), total, more || fragmentOffset != 0, fragmentOffset != 0);
        return TransportParser.parse(ip, data, off + headerLength, total - headerLength);
    }

    static Packet parseIpv6(byte[] data, int off, int available) {
        require(40, available, "IPv6 header");
        int version = u8(data, off) >>> 4;
        if (version != 6) {
            throw new MalformedPacketException("IP version " + version + " where IPv6 was expected");
        }
        int payloadLength = u16(data, off + 4);
        require(40 + payloadLength, available, "IPv6 packet");
        IpPrefix source = IpPrefix.host(IpFamily.IPV6, u64(data, off + 8), u64(data, off + 16));
        IpPrefix destination = IpPrefix.host(IpFamily.IPV6, u64(data, off + 24), u64(data, off + 32));
        Ipv6Extensions ext = Ipv6Extensions.walk(data, off + 40, payloadLength, u8(data, off + 6), destination);
        IpHeader ip = new IpHeader(IpFamily.IPV6, source, destination, ext.finalDestination(), ext.protocol(),
                u8(data, off + 7), 40 + payloadLength, ext.fragmented(), ext.laterFragment());
        return TransportParser.parse(ip, data, ext.end(), off + 40 + payloadLength - ext.end());
    }
}
