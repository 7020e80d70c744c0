package io.ringfence.samples.appid.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognizes TLS by the client's first flight: handshake records (RFC 8446 §5.1) carrying a
 * ClientHello (§4.1.2), possibly fragmented over several records and TCP segments. Reads the
 * server_name extension (RFC 6066 §3) and the ALPN protocols (RFC 7301).
 *
 * <p>Strict where a lax reading would let a client hide its server name: every length must fit the
 * structure that encloses it, the extensions must fill the message exactly, no extension may appear
 * twice (RFC 8446 §4.2), and the server name list must hold exactly one {@code host_name} (as
 * BoringSSL requires) that is a host name, not an IP literal (RFC 6066 §3).
 */
public final class TlsClientHello {

    private static final int CONTENT_HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int MAX_FRAGMENT = 1 << 14;
    /** version, random, session id, cipher suites, compression methods, extensions at their largest. */
    private static final int MAX_CLIENT_HELLO = 2 + 32 + 1 + 32 + 2 + 0xFFFE + 1 + 0xFF + 2 + 0xFFFF;
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int EXTENSION_ALPN = 16;
    private static final int NAME_TYPE_HOST_NAME = 0;

    private TlsClientHello() {
    }

    /** Scans the first {@code length} bytes the client sent. */
    public static Scan scan(byte[] stream, int length) {
        byte[] handshake = new byte[length];
        int handshakeLength = 0;
        int position = 0;
        while (true) {
            if (handshakeLength >= 1 && handshake[0] != CLIENT_HELLO) {
                return Scan.NO_MATCH;
            }
            if (handshakeLength >= 4) {
                int bodyLength = (handshake[1] & 0xFF) << 16 | (handshake[2] & 0xFF) << 8 | handshake[3] & 0xFF;
                if (bodyLength > MAX_CLIENT_HELLO) {
                    return Scan.NO_MATCH;
                }
                if (handshakeLength >= 4 + bodyLength) {
                    // bytes after the ClientHello in its last record are not ours to judge
                    return clientHello(new ByteReader(handshake, 4, 4 + bodyLength));
                }
            }
            int available = length - position;
            if (available == 0) {
                return Scan.NEED_MORE;
            }
            // a record header, possibly cut short: check what there is of it
            if (stream[position] != CONTENT_HANDSHAKE
                    || available >= 2 && stream[position + 1] != 3
                    || available >= 3 && (stream[position + 2] & 0xFF) > 4) {
                return Scan.NO_MATCH;
            }
            if (available < 5) {
                return Scan.NEED_MORE;
            }
            int fragmentLength = (stream[position + 3] & 0xFF) << 8 | stream[position + 4] & 0xFF;
            if (fragmentLength == 0 || fragmentLength > MAX_FRAGMENT) {
                return Scan.NO_MATCH; // RFC 8446 §5.1: no empty handshake fragments, none over 2^14
            }
            int copied = Math.min(fragmentLength, available - 5);
            System.arraycopy(stream, position + 5, handshake, handshakeLength, copied);
            handshakeLength += copied;
            position += 5 + copied;
        }
    }

    private static Scan clientHello(ByteReader hello) {
        int legacyVersion = hello.u16();
        hello.skip(32); // random
        int sessionIdLength = hello.u8();
        hello.skip(sessionIdLength);
        int cipherSuitesLength = hello.u16();
        hello.skip(cipherSuitesLength);
        int compressionMethodsLength = hello.u8();
        hello.skip(compressionMethodsLength);
        if (hello.malformed() || legacyVersion >> 8 != 3 || sessionIdLength > 32
                || cipherSuitesLength < 2 || cipherSuitesLength % 2 != 0 || compressionMethodsLength < 1) {
            return Scan.NO_MATCH;
        }
        if (hello.remaining() == 0) {
            return Scan.match(App.TLS, null, null); // a TLS 1.2 ClientHello may have no extensions
        }
        ByteReader extensions = hello.take(hello.u16());
        if (hello.malformed() || hello.remaining() != 0) {
            return Scan.NO_MATCH;
        }
        String host = null;
        List<String> protocols = List.of();
        Set<Integer> seen = new HashSet<>();
        while (extensions.remaining() > 0) {
            int type = extensions.u16();
            ByteReader data = extensions.take(extensions.u16());
            if (extensions.malformed() || !seen.add(type)) {
                return Scan.NO_MATCH;
            }
            if (type == EXTENSION_SERVER_NAME) {
                host = serverName(data);
                if (host == null) {
                    return Scan.NO_MATCH;
                }
            } else if (type == EXTENSION_ALPN) {
                protocols = protocolNames(data);
                if (protocols == null) {
                    return Scan.NO_MATCH;
                }
            }
        }
        return Scan.match(App.TLS, host, protocols.isEmpty() ? null : "alpn=" + String.join(",", protocols));
    }

    /** The host_name of a ServerNameList holding exactly one, canonical; null if malformed. */
    private static String serverName(ByteReader data) {
        ByteReader list = data.take(data.u16());
        int nameType = list.u8();
        byte[] name = list.bytes(list.u16());
        if (data.malformed() || data.remaining() != 0 || list.malformed() || list.remaining() != 0
                || nameType != NAME_TYPE_HOST_NAME || name.length == 0) {
            return null;
        }
        String host = HostName.canonical(name);
        return host == null || HostName.isIpv4Literal(host) ? null : host;
    }

    /** The names of a ProtocolNameList (non-printable bytes shown as {@code ?}); null if malformed. */
    private static List<String> protocolNames(ByteReader data) {
        ByteReader list = data.take(data.u16());
        if (data.malformed() || data.remaining() != 0 || list.remaining() == 0) {
            return null;
        }
        List<String> names = new ArrayList<>();
        while (list.remaining() > 0) {
            byte[] name = list.bytes(list.u8());
            if (list.malformed() || name.length == 0) {
                return null;
            }
            names.add(Printable.of(name));
        }
        return names;
    }
}
