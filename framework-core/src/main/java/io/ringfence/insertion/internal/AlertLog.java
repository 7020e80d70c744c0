package io.ringfence.insertion.internal;

import io.ringfence.insertion.RecentAlert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The recent alerts of one definition: a bounded ring, the oldest overwritten. Lock-free like the
 * data plane's flow log, since sessions report from {@code inspect}: a writer claims a sequence
 * number and stores its (immutable) alert in the slot; a reader walks back from the last claimed
 * sequence, skipping a slot not yet filled. Reads are best-effort snapshots.
 */
final class AlertLog {

    private final AtomicReferenceArray<RecentAlert> ring;
    private final AtomicLong next = new AtomicLong();

    AlertLog(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    void append(RecentAlert alert) {
        long seq = next.getAndIncrement();
        ring.set((int) (seq % ring.length()), alert);
    }

    /** The newest alerts first, at most {@code limit}. */
    List<RecentAlert> newest(int limit) {
        long last = next.get();
        long first = Math.max(0, last - ring.length());
        List<RecentAlert> out = new ArrayList<>();
        for (long seq = last - 1; seq >= first && out.size() < limit; seq--) {
            RecentAlert a = ring.get((int) (seq % ring.length()));
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }
}
