package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.put16;
import static io.ringfence.dataplane.packet.Bytes.put32;
import static io.ringfence.dataplane.packet.Bytes.put64;

import io.ringfence.net.IpFamily;

/**
 * Serialises a {@link Packet} to an IP packet or an Ethernet II frame, with lengths and checksums
 * computed, so that {@code PacketParser.parseEthernet(toEthernet(p, ...))} equals {@code p} for every
 * field a packet carries.
 *
 * <p>What a {@code Packet} does not carry is written as a fixed value and so not round-tripped:
 * IPv4 identification 0, no flags, TOS/traffic class 0, IPv6 flow label 0, no IPv4 options or IPv6
 * extension headers, no TCP options (data offset 5), TCP urgent pointer 0, ICMP echo sequence 0 and
 * the unused/MTU word of ICMP errors 0. {@link Packet#length()} is ignored: the length written is the
 * one the headers and payload add up to. {@link Packet#embedded()} is ignored: an ICMP error's quote
 * is its payload. Frames are not padded to Ethernet's 60-byte minimum (the NIC does that).
 */
public final class PacketWriter {

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private PacketWriter() {
    }

    /**
     * An untagged Ethernet II frame (without FCS) holding {@link #toIp(Packet)}; MAC addresses are
     * the low 48 bits of the longs.
     */
    public static byte[] toEthernet(Packet p, long sourceMac, long destinationMac) {
        byte[] ip = toIp(p);
        byte[] frame = new byte[14 + ip.length];
        put16(frame, 0, (int) (destinationMac >>> 32));
        put32(frame, 2, destinationMac);
        put16(frame, 6, (int) (sourceMac >>> 32));
        put32(frame, 8, sourceMac);
        put16(frame, 12, p.family() == IpFamily.IPV4 ? PacketParser.ETHERTYPE_IPV4 : PacketParser.ETHERTYPE_IPV6);
        System.arraycopy(ip, 0, frame, 14, ip.length);
        return frame;
    }

    /**
     * The IP packet: header, transport header and payload.
     *
     * @throws IllegalArgumentException when the packet would exceed 65535 bytes or a field does not fit
     *                                  its header field (written silently truncated, it would round-trip
     *                                  to a different packet)
     */
    public static byte[] toIp(Packet p) {
        checkRanges(p);
        boolean v4 = p.family() == IpFamily.IPV4;
        int header = v4 ? IPV4_HEADER : IPV6_HEADER;
        int transport = transportHeaderLength(p);
        int upperLength = transport + p.payload().length;
        if ((v4 ? header : 0) + upperLength > 65535) {
            throw new IllegalArgumentException("packet of " + (header + upperLength) + " bytes is too large");
        }
        byte[] b = new byte[header + upperLength];
        if (v4) {
            b[0] = 0x45;
            put16(b, 2, b.length);
            b[8] = (byte) p.ttl();
            b[9] = (byte) p.protocol();
            put32(b, 12, p.source().low());
            put32(b, 16, p.destination().low());
            put16(b, 10, Checksums.internet(b, 0, IPV4_HEADER));
        } else {
            b[0] = 0x60;
            put16(b, 4, upperLength);
            b[6] = (byte) p.protocol();
            b[7] = (byte) p.ttl();
            put64(b, 8, p.source().high());
            put64(b, 16, p.source().low());
            put64(b, 24, p.destination().high());
            put64(b, 32, p.destination().low());
        }
        System.arraycopy(p.payload(), 0, b, header + transport, p.payload().length);
        writeTransport(p, b, header, upperLength);
        return b;
    }

    private static void checkRanges(Packet p) {
        range("TTL", p.ttl(), 0xFF);
        if (p.isTcp() || p.isUdp()) {
            range("source port", p.sourcePort(), 0xFFFF);
            range("destination port", p.destinationPort(), 0xFFFF);
        }
        if (p.isTcp()) {
            range("TCP flags", p.tcpFlags(), 0xFF);
            range("TCP window", p.tcpWindow(), 0xFFFF);
            range("TCP sequence number", p.tcpSeq(), 0xFFFF_FFFFL);
            range("TCP acknowledgement number", p.tcpAck(), 0xFFFF_FFFFL);
        }
        if (isIcmpOfFamily(p)) {
            range("ICMP type", p.icmpType(), 0xFF);
            range("ICMP code", p.icmpCode(), 0xFF);
            range("ICMP identifier", p.icmpId(), 0xFFFF);
        }
    }

    private static void range(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is out of range 0-" + max);
        }
    }

    private static boolean isIcmpOfFamily(Packet p) {
        return p.protocol() == (p.family() == IpFamily.IPV4 ? Packet.ICMP : Packet.ICMPV6);
    }

    private static int transportHeaderLength(Packet p) {
        if (p.protocol() == Packet.TCP) {
            return 20;
        }
        return p.protocol() == Packet.UDP || isIcmpOfFamily(p) ? 8 : 0;
    }

    /** Fills the transport header at {@code at}, its checksum last. */
    private static void writeTransport(Packet p, byte[] b, int at, int length) {
        int checksumAt;
        if (p.protocol() == Packet.TCP) {
            put16(b, at, p.sourcePort());
            put16(b, at + 2, p.destinationPort());
            put32(b, at + 4, p.tcpSeq());
            put32(b, at + 8, p.tcpAck());
            b[at + 12] = 5 << 4;
            b[at + 13] = (byte) p.tcpFlags();
            put16(b, at + 14, p.tcpWindow());
            checksumAt = at + 16;
        } else if (p.protocol() == Packet.UDP) {
            put16(b, at, p.sourcePort());
            put16(b, at + 2, p.destinationPort());
            put16(b, at + 4, length);
            checksumAt = at + 6;
        } else if (isIcmpOfFamily(p)) {
            b[at] = (byte) p.icmpType();
            b[at + 1] = (byte) p.icmpCode();
            put16(b, at + 4, p.icmpId());
            checksumAt = at + 2;
        } else {
            return;
        }
        int sum = p.protocol() == Packet.ICMP ? Checksums.internet(b, at, length)
                : Checksums.transport(p.source(), p.destination(), p.protocol(), b, at, length);
        // UDP sends a computed zero as 0xFFFF: zero on the wire means "no checksum" (RFC 768)
        put16(b, checksumAt, sum == 0 && p.protocol() == Packet.UDP ? 0xFFFF : sum);
    }
}
