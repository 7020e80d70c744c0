package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.Arrays;

/**
 * The headers of one frame, parsed into a mutable holder: the data plane's fast-path form of a
 * {@link Packet}. {@link PacketParser#parseEthernet(byte[], PacketView)} fills it with exactly the
 * checks {@link PacketParser#parseEthernet(byte[])} makes (that method is this one followed by
 * {@link #toPacket()}), without creating any other object for a TCP, UDP or ICMP echo packet:
 * addresses are read as the two longs of an {@link IpPrefix}, the payload stays in the frame.
 * {@link #toPacket()} makes the immutable {@link Packet} when a packet leaves the fast path.
 *
 * <p>Not thread-safe. A view may be refilled frame after frame, which allocates nothing at all (or a
 * packet loop may create one per frame: the flow-path benchmarks measure both). The view refers to
 * the frame it was filled from (for the payload), so that frame must not change while the view is
 * in use. The getters mean what the {@link Packet} components of the same name mean; before the
 * first successful fill they return zeros.
 */
public final class PacketView {

    byte[] data;
    IpFamily family = IpFamily.IPV4;
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    /** The destination of the transport pseudo-header (an IPv6 routing header's final destination). */
    long checksumDestinationHigh;
    long checksumDestinationLow;
    int protocol;
    int ttl;
    int length;
    boolean fragmented;
    boolean laterFragment;
    int sourcePort;
    int destinationPort;
    int tcpFlags;
    long tcpSeq;
    long tcpAck;
    int tcpWindow;
    int icmpType;
    int icmpCode;
    int icmpId;
    /** For an ICMP error, the quoted packet; else null. */
    Packet embedded;
    /** Where the transport payload is in {@link #data}; a negative length: no payload at all. */
    int payloadOffset;
    int payloadLength;

    public IpFamily family() {
        return family;
    }

    /** High 64 bits of the source address as an {@link IpPrefix} holds them (0 for IPv4). */
    public long sourceHigh() {
        return sourceHigh;
    }

    public long sourceLow() {
        return sourceLow;
    }

    public long destinationHigh() {
        return destinationHigh;
    }

    public long destinationLow() {
        return destinationLow;
    }

    public int protocol() {
        return protocol;
    }

    public int sourcePort() {
        return sourcePort;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public int tcpFlags() {
        return tcpFlags;
    }

    public int icmpType() {
        return icmpType;
    }

    public int icmpCode() {
        return icmpCode;
    }

    public int icmpId() {
        return icmpId;
    }

    /** Length of the IP packet in bytes (header included). */
    public int length() {
        return length;
    }

    public boolean isTcp() {
        return protocol == Packet.TCP;
    }

    public boolean isUdp() {
        return protocol == Packet.UDP;
    }

    /** The packet as an immutable {@link Packet}: its addresses, quoted packet and a copy of its payload. */
    public Packet toPacket() {
        byte[] payload = payloadLength < 0 ? null
                : Arrays.copyOfRange(data, payloadOffset, payloadOffset + payloadLength);
        return new Packet(family, IpPrefix.host(family, sourceHigh, sourceLow),
                IpPrefix.host(family, destinationHigh, destinationLow), protocol, sourcePort, destinationPort,
                tcpFlags, tcpSeq, tcpAck, tcpWindow, icmpType, icmpCode, icmpId, embedded, ttl, length, payload);
    }

    /** Sets the IP layer: family, addresses, protocol, TTL and length, and the fragment flags. */
    void ip(IpFamily family, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int protocol,
            int ttl, int length, boolean fragmented, boolean laterFragment) {
        // A reference store into a view that is refilled frame after frame (and so lives in the old
        // generation) takes G1's card-marking barrier, which fences when the value lies in another
        // region: stores of an unchanged reference are skipped.
        if (this.family != family) {
            this.family = family;
        }
        this.sourceHigh = sourceHigh;
        this.sourceLow = sourceLow;
        this.destinationHigh = destinationHigh;
        this.destinationLow = destinationLow;
        this.checksumDestinationHigh = destinationHigh;
        this.checksumDestinationLow = destinationLow;
        this.protocol = protocol;
        this.ttl = ttl;
        this.length = length;
        this.fragmented = fragmented;
        this.laterFragment = laterFragment;
    }

    /** Sets the transport layer; the payload is {@code payloadLength} bytes at {@code payloadOffset} of {@code data}. */
    void transport(int sourcePort, int destinationPort, int flags, long seq, long ack, int window, int icmpType,
                   int icmpCode, int icmpId, Packet embedded, byte[] data, int payloadOffset, int payloadLength) {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.tcpFlags = flags;
        this.tcpSeq = seq;
        this.tcpAck = ack;
        this.tcpWindow = window;
        this.icmpType = icmpType;
        this.icmpCode = icmpCode;
        this.icmpId = icmpId;
        if (this.embedded != embedded) { // see ip(): skips the barrier of an unchanged reference
            this.embedded = embedded;
        }
        if (this.data != data) {
            this.data = data;
        }
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
    }
}
