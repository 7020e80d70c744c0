package io.ringfence.samples.appid.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Writes protocol fields, big-endian, and length-prefixed vectors as the RFCs' presentation language declares them. */
public final class Wire {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Wire u8(int value) {
        out.write(value);
        return this;
    }

    public Wire u16(int value) {
        return u8(value >>> 8).u8(value);
    }

    public Wire u24(int value) {
        return u8(value >>> 16).u16(value);
    }

    public Wire bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public Wire ascii(String text) {
        return bytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code opaque body<0..2^8-1>}: the body after its one-byte length. */
    public Wire vector8(Consumer<Wire> body) {
        byte[] b = build(body);
        return u8(b.length).bytes(b);
    }

    /** {@code opaque body<0..2^16-1>}. */
    public Wire vector16(Consumer<Wire> body) {
        byte[] b = build(body);
        return u16(b.length).bytes(b);
    }

    /** {@code opaque body<0..2^24-1>}. */
    public Wire vector24(Consumer<Wire> body) {
        byte[] b = build(body);
        return u24(b.length).bytes(b);
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    public static byte[] build(Consumer<Wire> body) {
        Wire w = new Wire();
        body.accept(w);
        return w.toBytes();
    }
}
