package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The flow log of one host: a bounded ring of {@link FlowLogRecord}s, the oldest overwritten when
 * it is full, with a count of the records overwritten.
 *
 * <p>Thread-safety, lock-free: a writer claims a sequence number with one
 * {@link AtomicLong#getAndIncrement} and stores its record in slot {@code seq % capacity} of an
 * {@link AtomicReferenceArray} (a volatile write). The packet path thus never blocks on a lock
 * (only new-flow decisions of logged rules get here at all, not every packet). A reader walks the
 * slots back from the last claimed sequence; a slot a concurrent writer already claimed but not yet
 * filled holds the older record (or null) and is skipped or read as that record, which is
 * acceptable for a log (a read is a best-effort snapshot, never a torn record: records are immutable).
 */
public final class FlowLog {

    /** Default number of records kept per host. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final AtomicReferenceArray<FlowLogRecord> ring;
    private final AtomicLong next = new AtomicLong();

    public FlowLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    /** The number of records the ring holds at most. */
    public int capacity() {
        return ring.length();
    }

    /** Appends a record, overwriting the oldest when the ring is full. */
    public void append(FlowLogRecord r) {
        long seq = next.getAndIncrement();
        ring.set((int) (seq % ring.length()), r);
    }

    /** Records appended so far. */
    public long appended() {
        return next.get();
    }

    /** Records overwritten (lost) so far. */
    public long overwritten() {
        return Math.max(0, next.get() - ring.length());
    }

    /** The records matching {@code q}, newest first, at most {@code q.limit()}. */
    public List<FlowLogRecord> read(FlowLogQuery q) {
        long last = next.get();
        long first = Math.max(0, last - ring.length());
        List<FlowLogRecord> out = new ArrayList<>();
        for (long seq = last - 1; seq >= first && out.size() < q.limit(); seq--) {
            FlowLogRecord r = ring.get((int) (seq % ring.length()));
            if (r != null && q.matches(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
