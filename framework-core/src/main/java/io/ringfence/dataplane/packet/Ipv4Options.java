package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.u8;

/**
 * Checks the IPv4 options (RFC 791) are well formed and refuses source routes. A source-routed
 * packet names an intermediate hop as its destination, so the firewall would judge it by an address
 * it is not going to (and its transport checksum is over the final one); routers and hosts drop
 * such packets by default, and so do we.
 */
final class Ipv4Options {

    private static final int END = 0;
    private static final int NOP = 1;
    private static final int LOOSE_SOURCE_ROUTE = 131;
    private static final int STRICT_SOURCE_ROUTE = 137;

    private Ipv4Options() {
    }

    /** Checks the options in {@code header[offset + 20, offset + headerLength)}. */
    static void check(byte[] data, int offset, int headerLength) {
        int pos = offset + 20;
        int end = offset + headerLength;
        while (pos < end) {
            int type = u8(data, pos);
            if (type == END) {
                return;
            }
            if (type == NOP) {
                pos++;
                continue;
            }
            if (pos + 1 >= end || u8(data, pos + 1) < 2 || pos + u8(data, pos + 1) > end) {
                throw new MalformedPacketException("IPv4 option " + type + " has a bad length");
            }
            if (type == LOOSE_SOURCE_ROUTE || type == STRICT_SOURCE_ROUTE) {
                throw new MalformedPacketException("IPv4 source route option");
            }
            pos += u8(data, pos + 1);
        }
    }
}
