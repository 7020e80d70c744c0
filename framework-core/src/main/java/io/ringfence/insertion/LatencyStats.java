package io.ringfence.insertion;

/**
 * Latencies in nanoseconds. Percentiles come from a histogram with four buckets per power of two,
 * so they are the upper bound of their bucket: at most 25% above the true value (and never above
 * the maximum).
 *
 * @param count      how many were measured
 * @param totalNanos their sum
 * @param maxNanos   the longest
 * @param p50Nanos   the median
 * @param p99Nanos   the 99th percentile
 */
public record LatencyStats(long count, long totalNanos, long maxNanos, long p50Nanos, long p99Nanos) {

    /** Nothing measured. */
    public static final LatencyStats NONE = new LatencyStats(0, 0, 0, 0, 0);

    /** The mean, 0 when nothing was measured. */
    public long meanNanos() {
        return count == 0 ? 0 : totalNanos / count;
    }
}
