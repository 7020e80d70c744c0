package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.require;
import static io.ringfence.dataplane.packet.Bytes.u16;
import static io.ringfence.dataplane.packet.Bytes.u32;
import static io.ringfence.dataplane.packet.Bytes.u64;
import static io.ringfence.dataplane.packet.Bytes.u8;

import io.ringfence.net.IpFamily;

/**
 * Parses Ethernet II frames and IP packets into {@link Packet}s, strictly: every length is checked
 * against the bytes present, the IPv4 header checksum and the TCP, UDP, ICMP and ICMPv6 checksums
 * are verified, and any defect is reported as a {@link MalformedPacketException} with its reason.
 * A firewall must not guess at a packet it cannot read: a lenient parser here would let a crafted
 * packet be classified one way and delivered another.
 *
 * <p>Bytes after the IP packet's own length (Ethernet padding) are ignored. The parser is stateless
 * and thread-safe; payloads are copied out of the input. Each method also comes in a form that fills
 * a {@link PacketView} instead, with the same checks and without allocating (but for an ICMP error's
 * quote): the data plane's fast path parses every frame that way and makes a {@link Packet} only for
 * the packets that leave it.
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
        PacketView view = new PacketView();
        parseEthernet(frame, view);
        return view.toPacket();
    }

    /**
     * Parses an Ethernet II frame as {@link #parseEthernet(byte[])} does, into {@code into}; after a
     * {@link MalformedPacketException} the view holds a mix of this frame and the previous one.
     */
    public static void parseEthernet(byte[] frame, PacketView into) {
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
        switch (ethertype) {
            case ETHERTYPE_IPV4 -> parseIpv4(frame, pos, frame.length - pos, into);
            case ETHERTYPE_IPV6 -> parseIpv6(frame, pos, frame.length - pos, into);
            default -> throw new MalformedPacketException(String.format("unknown ethertype 0x%04x", ethertype));
        }
    }

    /** Parses an IPv4 or IPv6 packet (by its version) in {@code length} bytes at {@code offset}. */
    public static Packet parseIp(byte[] data, int offset, int length) {
        PacketView view = new PacketView();
        parseIp(data, offset, length, view);
        return view.toPacket();
    }

    /** Parses an IP packet as {@link #parseIp(byte[], int, int)} does, into {@code into}. */
    public static void parseIp(byte[] data, int offset, int length, PacketView into) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) {
            throw new MalformedPacketException("region " + offset + "+" + length + " is outside the buffer");
        }
        require(1, length, "IP header");
        int version = u8(data, offset) >>> 4;
        switch (version) {
            case 4 -> parseIpv4(data, offset, length, into);
            case 6 -> parseIpv6(data, offset, length, into);
            default -> throw new MalformedPacketException("IP version " + version);
        }
    }

    static void parseIpv4(byte[] data, int off, int available, PacketView into) {
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
        int fragmentOffset = (fragment & 0x1FFF) * 8;
        if ((fragment & 0xBFFF) != 0) { // a fragment, or the reserved flag: anything but DF
            checkFragment(data, off, fragment, total - headerLength);
        }
        into.ip(IpFamily.IPV4, 0, u32(data, off + 12), 0, u32(data, off + 16), u8(data, off + 9), u8(data, off + 8),
                total, (fragment & 0x2000) != 0 || fragmentOffset != 0, fragmentOffset != 0);
        TransportParser.parse(into, data, off + headerLength, total - headerLength);
    }

    /**
     * Refuses the reserved flag and the fragments that only serve attacks. Apart from
     * {@link #parseIpv4} (which stays small enough for the JIT to inline into the packet loop).
     */
    private static void checkFragment(byte[] data, int off, int fragment, int payloadLength) {
        if ((fragment & 0x8000) != 0) {
            throw new MalformedPacketException("IPv4 reserved flag set");
        }
        int fragmentOffset = (fragment & 0x1FFF) * 8;
        if (fragmentOffset + payloadLength > 65535) {
            // a fragment reaching past the largest datagram is an attack (ping of death), not traffic
            throw new MalformedPacketException("IPv4 fragment ends beyond 65535 bytes");
        }
        if (fragmentOffset == 8 && u8(data, off + 9) == Packet.TCP) {
            // RFC 1858 3.2: a TCP fragment at offset 8 can only serve to overwrite the flags
            throw new MalformedPacketException("TCP fragment at offset 8 overlaps the TCP header");
        }
    }

    static void parseIpv6(byte[] data, int off, int available, PacketView into) {
        require(40, available, "IPv6 header");
        int version = u8(data, off) >>> 4;
        if (version != 6) {
            throw new MalformedPacketException("IP version " + version + " where IPv6 was expected");
        }
        int payloadLength = u16(data, off + 4);
        require(40 + payloadLength, available, "IPv6 packet");
        into.ip(IpFamily.IPV6, u64(data, off + 8), u64(data, off + 16), u64(data, off + 24), u64(data, off + 32),
                u8(data, off + 6), u8(data, off + 7), 40 + payloadLength, false, false);
        int end = Ipv6Extensions.walk(data, off + 40, payloadLength, into);
        TransportParser.parse(into, data, end, off + 40 + payloadLength - end);
    }
}
