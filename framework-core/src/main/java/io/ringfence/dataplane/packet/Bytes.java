package io.ringfence.dataplane.packet;

/**
 * Big-endian reads and writes on byte arrays. Readers check bounds with {@link #require} first, so
 * that a short buffer surfaces as a {@link MalformedPacketException} naming the header, never as an
 * index exception.
 */
final class Bytes {

    private Bytes() {
    }

    /** Throws unless {@code needed} bytes are among the {@code available} ones. */
    static void require(int needed, int available, String what) {
        if (needed > available) {
            throw new MalformedPacketException("truncated " + what + ": needs " + needed + " bytes, "
                    + Math.max(available, 0) + " available");
        }
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    static void put64(byte[] b, int i, long v) {
        put32(b, i, v >>> 32);
        put32(b, i + 4, v);
    }
}
