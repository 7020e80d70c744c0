package io.ringfence.dataplane.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian reads and writes on byte arrays. Readers check bounds with {@link #require} first, so
 * that a short buffer surfaces as a {@link MalformedPacketException} naming the header, never as an
 * index exception.
 */
final class Bytes {

    // One load (and a byte swap) per field instead of a load, shift and or per byte: the parser reads
    // a dozen fields of every packet.
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
        return (short) SHORT.get(b, i) & 0xFFFF;
    }

    static long u32(byte[] b, int i) {
        return (int) INT.get(b, i) & 0xFFFF_FFFFL;
    }

    static long u64(byte[] b, int i) {
        return (long) LONG.get(b, i);
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
