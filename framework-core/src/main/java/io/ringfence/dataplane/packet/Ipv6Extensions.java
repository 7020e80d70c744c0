package io.ringfence.dataplane.packet;

import static io.ringfence.dataplane.packet.Bytes.require;
import static io.ringfence.dataplane.packet.Bytes.u16;
import static io.ringfence.dataplane.packet.Bytes.u64;
import static io.ringfence.dataplane.packet.Bytes.u8;

/**
 * Walks an IPv6 extension header chain (RFC 8200 section 4) to find where the upper-layer header
 * starts, its protocol, fragmentation, and the final destination a routing header names (the
 * pseudo-header uses it).
 */
final class Ipv6Extensions {

    static final int HOP_BY_HOP = 0;
    static final int ROUTING = 43;
    static final int FRAGMENT = 44;
    static final int AUTHENTICATION = 51;
    static final int DESTINATION_OPTIONS = 60;
    /** Bounds the walk: a chain longer than this is an evasion attempt (RFC 7112, RFC 9098). */
    static final int MAX_HEADERS = 8;

    private Ipv6Extensions() {
    }

    /**
     * Walks the chain in {@code length} bytes at {@code offset}, starting with the header
     * {@code view}'s protocol names; sets the view's protocol to the upper layer's, its fragment
     * flags and its pseudo-header destination. Returns where the upper-layer header starts.
     *
     * @throws MalformedPacketException when a header is truncated, misplaced or the chain too long
     */
    static int walk(byte[] data, int offset, int length, PacketView view) {
        int next = view.protocol;
        int pos = offset;
        int end = offset + length;
        boolean fragmented = false;
        boolean later = false;
        for (int count = 0; isExtension(next); count++) {
            if (count == MAX_HEADERS) {
                throw new MalformedPacketException("more than " + MAX_HEADERS + " IPv6 extension headers");
            }
            if (next == HOP_BY_HOP && count != 0) {
                throw new MalformedPacketException("IPv6 hop-by-hop options header not first");
            }
            require(8, end - pos, "IPv6 extension header " + next);
            int size = switch (next) {
                case FRAGMENT -> 8;
                case AUTHENTICATION -> (u8(data, pos + 1) + 2) * 4;
                default -> (u8(data, pos + 1) + 1) * 8;
            };
            require(size, end - pos, "IPv6 extension header " + next);
            if (next == FRAGMENT) {
                int field = u16(data, pos + 2);
                later |= (field & 0xFFF8) != 0;
                fragmented |= (field & 0xFFF9) != 0;
            } else if (next == ROUTING) {
                routingDestination(data, pos, size, view);
            }
            next = u8(data, pos);
            pos += size;
        }
        view.protocol = next;
        view.fragmented = fragmented;
        view.laterFragment = later;
        return pos;
    }

    static boolean isExtension(int next) {
        return next == HOP_BY_HOP || next == ROUTING || next == FRAGMENT || next == AUTHENTICATION
                || next == DESTINATION_OPTIONS;
    }

    /**
     * Sets the view's pseudo-header destination to the final destination named by a routing header
     * with segments left: the home address of type 2
     * (RFC 6275), segment list entry 0 of a segment routing header (type 4, RFC 8754). Type 0 is
     * refused (RFC 5095 deprecates it as an amplification and evasion tool).
     */
    private static void routingDestination(byte[] data, int pos, int size, PacketView view) {
        int type = u8(data, pos + 2);
        int segmentsLeft = u8(data, pos + 3);
        if (segmentsLeft == 0) {
            return;
        }
        // the fixed part (8 bytes) and at least one address
        require(24, size, "IPv6 routing header addresses");
        int at = switch (type) {
            case 2 -> pos + size - 16;
            case 4 -> pos + 8;
            // RFC 8200 4.4: an unrecognised type with segments left must be discarded
            default -> throw new MalformedPacketException("IPv6 routing header type " + type
                    + " with segments left is not supported");
        };
        view.checksumDestinationHigh = u64(data, at);
        view.checksumDestinationLow = u64(data, at + 8);
    }
}
