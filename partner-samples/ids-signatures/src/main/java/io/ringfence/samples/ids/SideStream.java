package io.ringfence.samples.ids;

import io.ringfence.samples.ids.signature.StreamMatcher;
import io.ringfence.spi.inspection.InspectedPacket;

/**
 * One side of a TCP flow as a byte stream: tracks the next expected sequence number so that each
 * byte is scanned once, in stream order.
 *
 * <p>No reassembly buffer, on purpose (bounded memory and work per packet): a segment that overlaps
 * bytes already scanned (a retransmission) is scanned only past them, trusting the first copy; a
 * segment that starts beyond the next expected byte means bytes are missing (lost before this
 * point, or reordered): the stream restarts at that segment, so a content spanning the hole is not
 * found, and the missing bytes, should they come later, count as already seen.
 */
final class SideStream {

    private static final long SEQUENCE_MASK = 0xFFFF_FFFFL;

    final StreamMatcher matcher;
    private boolean synced;
    private long nextSequence;

    SideStream(StreamMatcher matcher) {
        this.matcher = matcher;
    }

    /**
     * Places a TCP segment in the stream.
     *
     * @param from index of the segment's first payload byte in its buffer
     * @param to   index after its last
     * @return the index from which its bytes are new to the stream ({@code to} if none is)
     */
    int newBytesFrom(InspectedPacket segment, int from, int to) {
        long dataStart = segment.tcpSequence() + (segment.has(InspectedPacket.SYN) ? 1 : 0) & SEQUENCE_MASK;
        if (!synced) {
            synced = true;
            nextSequence = dataStart;
        }
        // sequence numbers wrap: their difference as a signed 32-bit number orders them
        int ahead = (int) (dataStart - nextSequence);
        int start = from;
        if (ahead > 0) {
            matcher.reset();
            nextSequence = dataStart;
        } else if (ahead < 0) {
            start = (int) Math.min(to, from + -(long) ahead);
        }
        long end = dataStart + (to - from) + (segment.has(InspectedPacket.FIN) ? 1 : 0) & SEQUENCE_MASK;
        if ((int) (end - nextSequence) > 0) {
            nextSequence = end;
        }
        return start;
    }

    /** Whether a segment of this side was seen (then {@link #nextSequence()} is meaningful). */
    boolean synced() {
        return synced;
    }

    /** The sequence number of the next byte expected. */
    long nextSequence() {
        return nextSequence;
    }

    /** Takes over the sequence tracking of an exported session. */
    void restore(boolean wasSynced, long next) {
        synced = wasSynced;
        nextSequence = next & SEQUENCE_MASK;
    }
}
