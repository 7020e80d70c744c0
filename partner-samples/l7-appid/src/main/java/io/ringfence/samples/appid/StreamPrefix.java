package io.ringfence.samples.appid;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The first {@code capacity} bytes of one side of a TCP stream, reassembled from its segments by
 * sequence number: retransmitted bytes are not counted twice, segments out of order wait in place
 * for the gap before them, and where segments overlap the first copy wins. Bytes beyond the
 * capacity are not kept: the session drops the whole prefix once it has no use for it. A recognizer reads {@link #contiguous()} bytes from {@link #bytes()}: what
 * the receiving application has been able to read so far, at most.
 *
 * <p>Sequence numbers are unsigned 32 bits and wrap: offsets are taken modulo 2^32. The stream's
 * first byte is the one after the SYN when the SYN was seen, else the first byte seen.
 */
final class StreamPrefix {

    private final int capacity;
    private boolean anchored;
    /** Sequence number of the stream's first byte, when anchored. */
    private long start;
    /** The window's bytes and which of them have arrived; allocated with the first byte. */
    private byte[] data;
    private BitSet present;
    private int contiguous;

    StreamPrefix(int capacity) {
        this.capacity = capacity;
    }

    /** Fixes the sequence number of the stream's first byte, unless already fixed. */
    void anchor(long sequence) {
        if (!anchored) {
            start = sequence & 0xFFFF_FFFFL;
            anchored = true;
        }
    }

    /**
     * Adds the bytes of a segment starting at {@code sequence}.
     *
     * @return whether the contiguous prefix grew
     */
    boolean add(long sequence, ByteBuffer payload) {
        anchor(sequence);
        long offset = (int) (sequence - start); // distance modulo 2^32, negative before the start
        long from = Math.max(offset, 0);
        long to = Math.min(offset + payload.remaining(), capacity);
        if (from >= to) {
            return false;
        }
        if (data == null) {
            data = new byte[capacity];
            present = new BitSet(capacity);
        }
        for (int i = present.nextClearBit((int) from); i < to; ) {
            int next = present.nextSetBit(i);
            int end = next < 0 || next > to ? (int) to : next;
            payload.get(payload.position() + (int) (i - offset), data, i, end - i);
            present.set(i, end);
            i = present.nextClearBit(end);
        }
        int before = contiguous;
        contiguous = present.nextClearBit(contiguous);
        return contiguous > before;
    }

    /** The window's bytes: the first {@link #contiguous()} are the stream's. */
    byte[] bytes() {
        return data;
    }

    /** How many bytes from the stream's start have all arrived. */
    int contiguous() {
        return contiguous;
    }

    /** Whether the whole capacity has arrived: no more bytes will be kept. */
    boolean full() {
        return contiguous == capacity;
    }

    /**
     * Writes what has arrived: whether anchored, the start, the window's length up to the last byte
     * that arrived, a bitmap of the bytes that arrived (so that a gap costs a bit per byte, not a
     * range header per segment), then those bytes.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeBoolean(anchored);
        out.writeInt((int) start);
        int window = present == null ? 0 : present.length();
        out.writeInt(window);
        if (window > 0) {
            out.write(present.toByteArray());
            for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
                out.writeByte(data[i]);
            }
        }
    }

    /**
     * Reads what {@link #writeTo} wrote into a prefix of {@code capacity} bytes (bytes beyond it are dropped).
     *
     * @throws IllegalArgumentException if the bytes are not a prefix's
     */
    static StreamPrefix readFrom(ByteBuffer in, int capacity) {
        StreamPrefix prefix = new StreamPrefix(capacity);
        prefix.anchored = SessionCodec.readBoolean(in);
        prefix.start = in.getInt() & 0xFFFF_FFFFL;
        int window = in.getInt();
        if (window < 0 || window > 8L * in.remaining() || window > 0 && !prefix.anchored) {
            throw new IllegalArgumentException("corrupt stream window: " + window);
        }
        if (window == 0) {
            return prefix;
        }
        byte[] bitmap = new byte[(window + 7) / 8];
        in.get(bitmap);
        BitSet arrived = BitSet.valueOf(bitmap);
        if (arrived.length() != window || arrived.cardinality() > in.remaining()) {
            throw new IllegalArgumentException("corrupt stream bitmap");
        }
        prefix.data = new byte[capacity];
        prefix.present = new BitSet(capacity);
        for (int i = arrived.nextSetBit(0); i >= 0; i = arrived.nextSetBit(i + 1)) {
            byte b = in.get();
            if (i < capacity) {
                prefix.data[i] = b;
                prefix.present.set(i);
            }
        }
        prefix.contiguous = prefix.present.nextClearBit(0);
        return prefix;
    }
}
