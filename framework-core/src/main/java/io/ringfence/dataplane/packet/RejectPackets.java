package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import java.util.Arrays;
import java.util.Objects;

/**
 * The packets the data plane sends back when a rule says REJECT: a TCP reset for TCP, else an
 * ICMP/ICMPv6 "administratively prohibited" unreachable. They come from the offending packet's
 * destination, as if that host had refused, so that the sender gives up at once instead of
 * retrying into a silent drop.
 */
public final class RejectPackets {

    /** TTL / hop limit of the packets we generate. */
    static final int TTL = 64;
    /** RFC 4443 2.4(c): an ICMPv6 error must not exceed the minimum IPv6 MTU. */
    static final int IPV6_MIN_MTU = 1280;

    private RejectPackets() {
    }

    /**
     * The reset for a TCP segment (RFC 9293 3.10.7.1): if the segment has ACK, {@code seq = SEG.ACK}
     * and RST alone; else {@code seq = 0}, {@code ack = SEG.SEQ + SEG.LEN} (SYN and FIN count one
     * each) and RST|ACK. Addresses and ports are swapped.
     *
     * @throws IllegalArgumentException for a packet that is not TCP or is itself a reset (RFC 9293:
     *                                  a reset is never answered)
     */
    public static Packet tcpReset(Packet offending) {
        if (!offending.isTcp() || offending.has(Packet.RST)) {
            throw new IllegalArgumentException("only a TCP segment without RST is answered with a reset");
        }
        boolean hasAck = offending.has(Packet.ACK);
        long seq = hasAck ? offending.tcpAck() : 0;
        long segmentLength = offending.payload().length + (offending.has(Packet.SYN) ? 1 : 0)
                + (offending.has(Packet.FIN) ? 1 : 0);
        long ack = hasAck ? 0 : (offending.tcpSeq() + segmentLength) & 0xFFFF_FFFFL;
        int flags = hasAck ? Packet.RST : Packet.RST | Packet.ACK;
        int length = (offending.family() == IpFamily.IPV4 ? 20 : 40) + 20;
        return new Packet(offending.family(), offending.destination(), offending.source(), Packet.TCP,
                offending.destinationPort(), offending.sourcePort(), flags, seq, ack, 0, -1, -1, 0, null, TTL,
                length, null);
    }

    /**
     * The unreachable for {@code offending}, whose IP packet (from its IP header on) is
     * {@code offendingBytes}: ICMP type 3 code 13 quoting the IP header and the first 8 bytes past
     * it (RFC 792), or ICMPv6 type 1 code 1 quoting as much as fits in 1280 bytes (RFC 4443).
     *
     * @throws IllegalArgumentException when the offending packet is itself an ICMP error (RFC 1122
     *                                  3.2.2, RFC 4443 2.4(e): errors are never answered with errors)
     * @throws MalformedPacketException when {@code offendingBytes} do not start with an IP header of
     *                                  the packet's family
     */
    public static Packet unreachable(Packet offending, byte[] offendingBytes) {
        Objects.requireNonNull(offendingBytes, "offendingBytes");
        if (offending.icmpType() >= 0 && offending.isIcmp() && Icmp.isError(offending.family(), offending.icmpType())) {
            throw new IllegalArgumentException("an ICMP error is not answered with an ICMP error");
        }
        boolean v4 = offending.family() == IpFamily.IPV4;
        int header = v4 ? 20 : 40;
        int quoteLength = v4 ? ipv4QuoteLength(offendingBytes) : IPV6_MIN_MTU - header - 8;
        byte[] quote = Arrays.copyOf(offendingBytes, Math.min(quoteLength, offendingBytes.length));
        Packet embedded = EmbeddedHeaderParser.parse(offending.family(), quote);
        return new Packet(offending.family(), offending.destination(), offending.source(),
                v4 ? Packet.ICMP : Packet.ICMPV6, 0, 0, 0, 0, 0, 0, v4 ? Icmp.UNREACHABLE : Icmp.V6_UNREACHABLE,
                v4 ? Icmp.ADMIN_PROHIBITED : Icmp.V6_ADMIN_PROHIBITED, 0, embedded, TTL,
                header + 8 + quote.length, quote);
    }

    /** The IPv4 header (with options) and 8 bytes past it. */
    private static int ipv4QuoteLength(byte[] ip) {
        Bytes.require(1, ip.length, "offending IPv4 header");
        return (ip[0] & 0x0F) * 4 + 8;
    }
}
