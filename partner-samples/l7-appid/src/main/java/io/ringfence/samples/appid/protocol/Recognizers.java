package io.ringfence.samples.appid.protocol;

import java.util.List;

/**
 * The recognizers for each place the first bytes of a flow come from, in order of precedence. The
 * first recognizer that does not rule its protocol out decides: its match identifies the flow, its
 * need for more bytes makes the caller wait. TLS, HTTP and SSH open with distinctive bytes; DNS over
 * TCP opens with a bare length, so it comes last.
 */
public final class Recognizers {

    /** Scans the first bytes of one side of a flow. */
    @FunctionalInterface
    private interface Recognizer {
        Scan scan(byte[] bytes, int length);
    }

    private static final List<Recognizer> CLIENT_STREAM =
            List.of(TlsClientHello::scan, HttpRequest::scan, SshBanner::scanClient, DnsQuery::scanStream);

    private Recognizers() {
    }

    /** The first bytes a TCP client sent. */
    public static Scan clientStream(byte[] bytes, int length) {
        for (Recognizer recognizer : CLIENT_STREAM) {
            Scan scan = recognizer.scan(bytes, length);
            if (scan.outcome() != Scan.Outcome.NO_MATCH) {
                return scan;
            }
        }
        return Scan.NO_MATCH;
    }

    /** The first bytes a TCP server sent: of the protocols here, only SSH has the server speak first. */
    public static Scan serverStream(byte[] bytes, int length) {
        return SshBanner.scanServer(bytes, length);
    }

    /** The first datagram a UDP client sent. */
    public static Scan clientDatagram(byte[] bytes, int length) {
        return DnsQuery.scanDatagram(bytes, length);
    }
}
