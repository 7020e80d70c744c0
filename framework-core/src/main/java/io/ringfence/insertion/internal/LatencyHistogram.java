package io.ringfence.insertion.internal;

import io.ringfence.insertion.LatencyStats;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in nanoseconds: count, sum, maximum and a log-linear histogram for percentiles.
 *
 * <p>Buckets: values 0 to 3 have one bucket each; above, each power of two [2^e, 2^(e+1)) is split
 * into four equal buckets, so a bucket's upper bound is at most 25% above any value in it. 248
 * buckets cover every non-negative long. Recording is lock-free (one array increment and three
 * adders), cheap enough for every packet; a snapshot is not one instant across the counters.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 2;
    private static final int SUB = 1 << SUB_BITS;
    static final int BUCKETS = (64 - SUB_BITS) * SUB;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
        long v = Math.max(0, nanos);
        buckets.incrementAndGet(bucket(v));
        count.increment();
        total.add(v);
        max.accumulate(v);
    }

    LatencyStats snapshot() {
        long[] counts = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets.get(i);
            n += counts[i];
        }
        if (n == 0) {
            return LatencyStats.NONE;
        }
        long highest = max.get();
        return new LatencyStats(count.sum(), total.sum(), highest, Math.min(highest, percentile(counts, n, 0.50)),
                Math.min(highest, percentile(counts, n, 0.99)));
    }

    private static long percentile(long[] counts, long n, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }

    /** The bucket of a non-negative value. */
    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    /** The lowest value of a bucket. */
    static long lowerBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exponent = bucket / SUB + SUB_BITS - 1;
        long sub = bucket % SUB;
        return (SUB + sub) << (exponent - SUB_BITS);
    }

    /** The highest value of a bucket. */
    static long upperBound(int bucket) {
        return bucket == BUCKETS - 1 ? Long.MAX_VALUE : lowerBound(bucket + 1) - 1;
    }
}
