package io.ringfence.itests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A TLS 1.3 ClientHello in one handshake record, byte for byte as RFC 8446 §4.1.2 declares it, with
 * the extensions a TLS 1.3 client must send (§9.2) and a server_name extension as RFC 6066 §3 declares
 * it: what a browser's first segment to port 443 carries. (The l7-appid sample's tests build the same
 * message field by field, with more options.)
 */
final class TlsClientHello {

    private static final int SERVER_NAME = 0;
    private static final int SUPPORTED_GROUPS = 10;
    private static final int SIGNATURE_ALGORITHMS = 13;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int PSK_KEY_EXCHANGE_MODES = 45;
    private static final int KEY_SHARE = 51;

    private TlsClientHello() {
    }

    /** The record: content type handshake, legacy version 0x0301, the ClientHello asking for {@code serverName}. */
    static byte[] record(String serverName) {
        byte[] handshake = build(w -> w.u8(1).vector(3, b -> b.bytes(body(serverName)))); // msg_type client_hello
        return build(w -> w.u8(22).u16(0x0301).vector(2, b -> b.bytes(handshake)));
    }

    private static byte[] body(String serverName) {
        return build(w -> {
            w.u16(0x0303); // legacy_version: TLS 1.2, as TLS 1.3 clients send
            byte[] random = new byte[32];
            Arrays.fill(random, (byte) 0x5A);
            w.bytes(random);
            w.vector(1, id -> id.bytes(new byte[32])); // legacy_session_id (middlebox compatibility mode)
            w.vector(2, suites -> suites.u16(0x1301).u16(0x1302).u16(0x1303));
            w.vector(1, methods -> methods.u8(0)); // legacy_compression_methods: null only
            w.vector(2, extensions -> {
                extensions.u16(SERVER_NAME).vector(2, ext -> ext.vector(2, list -> list.u8(0) // host_name
                        .vector(2, name -> name.bytes(serverName.getBytes(StandardCharsets.US_ASCII)))));
                extensions.u16(SUPPORTED_VERSIONS).vector(2, ext -> ext.vector(1, versions -> versions.u16(0x0304)));
                extensions.u16(SUPPORTED_GROUPS).vector(2, ext -> ext.vector(2, groups -> groups.u16(0x001D).u16(0x0017)));
                extensions.u16(SIGNATURE_ALGORITHMS).vector(2, ext -> ext.vector(2, a -> a.u16(0x0804).u16(0x0403)));
                extensions.u16(KEY_SHARE).vector(2, ext -> ext.vector(2, shares -> shares.u16(0x001D)
                        .vector(2, key -> key.bytes(new byte[32]))));
                extensions.u16(PSK_KEY_EXCHANGE_MODES).vector(2, ext -> ext.vector(1, modes -> modes.u8(1)));
            });
        });
    }

    private static byte[] build(Consumer<Writer> content) {
        Writer w = new Writer();
        content.accept(w);
        return w.out.toByteArray();
    }

    /** Big-endian integers and length-prefixed vectors. */
    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            return u8(v >>> 8).u8(v & 0xFF);
        }

        Writer bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** A vector whose length takes {@code lengthBytes} bytes, then its content. */
        Writer vector(int lengthBytes, Consumer<Writer> content) {
            byte[] inner = build(content);
            for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) {
                u8((inner.length >>> shift) & 0xFF);
            }
            return bytes(inner);
        }
    }
}
