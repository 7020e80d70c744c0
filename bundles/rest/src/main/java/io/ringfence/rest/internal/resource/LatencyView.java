package io.ringfence.rest.internal.resource;

import io.ringfence.insertion.LatencyStats;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Latencies, in nanoseconds. The percentiles are the upper bounds of histogram buckets, at most
 * 25% above the true value.
 *
 * @param count     how many were measured
 * @param meanNanos their mean (0 when none)
 * @param p50Nanos  the median
 * @param p99Nanos  the 99th percentile
 * @param maxNanos  the longest
 */
@Schema(description = "Latencies in nanoseconds; percentiles are bucket upper bounds (at most 25% high)")
public record LatencyView(long count, long meanNanos, long p50Nanos, long p99Nanos, long maxNanos) {

    static LatencyView of(LatencyStats l) {
        return new LatencyView(l.count(), l.meanNanos(), l.p50Nanos(), l.p99Nanos(), l.maxNanos());
    }
}
