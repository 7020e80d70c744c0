package io.ringfence.samples.appid.protocol;

import java.util.Arrays;

/**
 * A strict cursor over a byte range holding one complete structure (a TLS ClientHello, a DNS message).
 * Reading past its end does not throw: it marks the reader malformed, moves it to its end (so that
 * loops over {@link #remaining()} stop) and returns zeros; callers check {@link #malformed()} before
 * trusting what they read. In the manner of BoringSSL's CBS.
 */
final class ByteReader {

    private final byte[] data;
    private final int end;
    private int position;
    private boolean malformed;

    ByteReader(byte[] data, int from, int to) {
        this.data = data;
        this.position = from;
        this.end = to;
    }

    int remaining() {
        return end - position;
    }

    boolean malformed() {
        return malformed;
    }

    int u8() {
        if (remaining() < 1) {
            return fail();
        }
        return data[position++] & 0xFF;
    }

    int u16() {
        return u8() << 8 | u8();
    }

    void skip(int count) {
        if (count < 0 || remaining() < count) {
            fail();
            return;
        }
        position += count;
    }

    /** The next {@code count} bytes, copied (empty when there are fewer). */
    byte[] bytes(int count) {
        if (count < 0 || remaining() < count) {
            fail();
            return new byte[0];
        }
        byte[] copy = Arrays.copyOfRange(data, position, position + count);
        position += count;
        return copy;
    }

    /**
     * A reader over the next {@code count} bytes, which this one skips: for a length-prefixed
     * structure. When there are fewer bytes, both readers are malformed.
     */
    ByteReader take(int count) {
        if (count < 0 || remaining() < count) {
            fail();
            ByteReader empty = new ByteReader(data, end, end);
            empty.malformed = true;
            return empty;
        }
        ByteReader inner = new ByteReader(data, position, position + count);
        position += count;
        return inner;
    }

    private int fail() {
        malformed = true;
        position = end;
        return 0;
    }
}
