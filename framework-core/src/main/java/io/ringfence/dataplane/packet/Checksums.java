package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The internet checksum (RFC 1071) and the TCP/UDP/ICMPv6 checksums over a pseudo-header
 * (RFC 9293 for IPv4, RFC 8200 section 8.1 for IPv6).
 *
 * <p>Computing over a region that already holds a correct checksum yields 0, which is how the parser
 * verifies: {@code internet(...) == 0}.
 */
public final class Checksums {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

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
        return transport(source.family(), source.high(), source.low(), destination.high(), destination.low(),
                protocol, data, offset, length);
    }

    /** {@link #transport(IpPrefix, IpPrefix, int, byte[], int, int)} with the addresses as {@link IpPrefix} holds them. */
    static int transport(IpFamily family, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
                         int protocol, byte[] data, int offset, int length) {
        long sum = words(sourceLow) + words(destinationLow) + protocol + (length & 0xFFFFL) + (length >>> 16);
        if (family == IpFamily.IPV6) {
            sum += words(sourceHigh) + words(destinationHigh);
        }
        return fold(sum(sum, data, offset, length));
    }

    private static long words(long v) {
        return (v & 0xFFFF) + ((v >>> 16) & 0xFFFF) + ((v >>> 32) & 0xFFFF) + (v >>> 48);
    }

    /**
     * Adds the bytes as big-endian 16-bit words. It reads them four bytes at a time: summing 32-bit
     * words in a long and folding at the end gives the same one's complement sum (RFC 1071 2(B)).
     */
    private static long sum(long sum, byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 3 < end; i += 4) {
            sum += (int) INT.get(data, i) & 0xFFFF_FFFFL;
        }
        if (i + 1 < end) {
            sum += Bytes.u16(data, i);
            i += 2;
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
