package io.ringfence.samples.appid.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a TLS 1.3 ClientHello field by field as RFC 8446 §4.1.2 declares it (with the extensions a
 * TLS 1.3 client must send, §9.2), a server_name extension as RFC 6066 §3 declares it and ALPN as
 * RFC 7301 §3.1 does; then frames it into handshake records (§5.1), fragmented as asked.
 */
public final class ClientHelloBuilder {

    private static final int SERVER_NAME = 0;
    private static final int SUPPORTED_GROUPS = 10;
    private static final int SIGNATURE_ALGORITHMS = 13;
    private static final int ALPN = 16;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int PSK_KEY_EXCHANGE_MODES = 45;
    private static final int KEY_SHARE = 51;

    private String serverName;
    private List<String> alpn = List.of();
    private byte[] serverNameExtension;
    private final List<byte[]> extraExtensions = new ArrayList<>();
    private boolean withoutExtensions;

    public ClientHelloBuilder serverName(String host) {
        this.serverName = host;
        return this;
    }

    public ClientHelloBuilder alpn(String... protocols) {
        this.alpn = List.of(protocols);
        return this;
    }

    /** Replaces the server_name extension's body with {@code body}, as given. */
    public ClientHelloBuilder serverNameExtension(byte[] body) {
        this.serverNameExtension = body;
        return this;
    }

    /** Adds an extension after the others, as given. */
    public ClientHelloBuilder extension(int type, byte[] body) {
        extraExtensions.add(Wire.build(w -> w.u16(type).vector16(b -> b.bytes(body))));
        return this;
    }

    /** A TLS 1.2-style ClientHello that ends after its compression methods. */
    public ClientHelloBuilder withoutExtensions() {
        this.withoutExtensions = true;
        return this;
    }

    /** The ClientHello's body (after the handshake header). */
    public byte[] body() {
        return Wire.build(w -> {
            w.u16(0x0303); // legacy_version: TLS 1.2, as TLS 1.3 sends
            byte[] random = new byte[32];
            Arrays.fill(random, (byte) 0x5A);
            w.bytes(random);
            w.vector8(id -> id.bytes(new byte[32])); // legacy_session_id: 32 bytes in middlebox compatibility mode
            w.vector16(suites -> suites.u16(0x1301).u16(0x1302).u16(0x1303)); // TLS_AES_128_GCM_SHA256...
            w.vector8(methods -> methods.u8(0)); // legacy_compression_methods: null only
            if (!withoutExtensions) {
                w.vector16(this::extensions);
            }
        });
    }

    private void extensions(Wire w) {
        if (serverNameExtension != null) {
            w.u16(SERVER_NAME).vector16(b -> b.bytes(serverNameExtension));
        } else if (serverName != null) {
            w.u16(SERVER_NAME).vector16(ext -> ext.vector16(list -> list.u8(0).vector16(name -> name.ascii(serverName))));
        }
        w.u16(SUPPORTED_VERSIONS).vector16(ext -> ext.vector8(versions -> versions.u16(0x0304)));
        w.u16(SUPPORTED_GROUPS).vector16(ext -> ext.vector16(groups -> groups.u16(0x001D).u16(0x0017)));
        w.u16(SIGNATURE_ALGORITHMS).vector16(ext -> ext.vector16(algorithms -> algorithms.u16(0x0804).u16(0x0403)));
        w.u16(KEY_SHARE).vector16(ext -> ext.vector16(shares -> shares.u16(0x001D).vector16(key -> key.bytes(new byte[32]))));
        w.u16(PSK_KEY_EXCHANGE_MODES).vector16(ext -> ext.vector8(modes -> modes.u8(1)));
        if (!alpn.isEmpty()) {
            w.u16(ALPN).vector16(ext -> ext.vector16(list -> alpn.forEach(p -> list.vector8(name -> name.ascii(p)))));
        }
        extraExtensions.forEach(w::bytes);
    }

    /** The handshake message: msg_type client_hello, uint24 length, body. */
    public byte[] handshake() {
        return Wire.build(w -> w.u8(1).vector24(b -> b.bytes(body())));
    }

    /** The handshake in one record, as clients send it. */
    public byte[] record() {
        return records(Integer.MAX_VALUE);
    }

    /** The handshake in records of at most {@code fragment} bytes each. */
    public byte[] records(int fragment) {
        byte[] handshake = handshake();
        Wire w = new Wire();
        for (int i = 0; i < handshake.length; i += fragment) {
            byte[] part = Arrays.copyOfRange(handshake, i, (int) Math.min(handshake.length, (long) i + fragment));
            w.u8(22).u16(0x0301).vector16(b -> b.bytes(part)); // legacy_record_version 0x0301 for a ClientHello
        }
        return w.toBytes();
    }
}
