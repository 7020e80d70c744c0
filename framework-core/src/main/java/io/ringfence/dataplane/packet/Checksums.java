package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

/**
 * The internet checksum (RFC 1071) and the TCP/UDP/ICMPv6 checksums over a pseudo-header
 * (RFC 9293 for IPv4, RFC 8200 section 8.1 for IPv6).
 *
 * <p>Computing over a region that already holds a correct checksum yields 0, which is how the parser
 * verifies: {@code internet(...) == 0}.
 */
public final class Checksums {

    private Checksums() {
    }

    /** The internet checksum of {@code length} bytes at {@code offset}. */
    public static int internet(byte[] data, int offset, int length) {
        return fold(sum(0, data, offset, length));
    }

    /**
     * The checksum of a transport segment (TCP, UDP, ICMPv6) of {@code length} bytes at
     * {@code offset}, over the pseudo-header of {@code source}, {@code destination} and
     * {@code protocol}. For IPv6, {@code destination} is the final destination (RFC 8200 8.1).
     */
    public static int transport(IpPrefix source, IpPrefix destination, int protocol, byte[] data, int offset,
                                int length) {
        long sum = address(source) + address(destination) + protocol + (length & 0xFFFFL) + (length >>> 16);
        return fold(sum(sum, data, offset, length));
    }

    /** Adds the address as 16-bit words (2 for IPv4, 8 for IPv6). */
    private static long address(IpPrefix a) {
        long sum = words(a.low());
        return a.family() == IpFamily.IPV6 ? sum + words(a.high()) : sum;
    }

    private static long words(long v) {
        return (v & 0xFFFF) + ((v >>> 16) & 0xFFFF) + ((v >>> 32) & 0xFFFF) + (v >>> 48);
    }

    private static long sum(long sum, byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += Bytes.u16(data, i);
        }
        if (i < end) {
            // an odd trailing byte is padded with a zero byte on the right
            sum += (data[i] & 0xFF) << 8;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
