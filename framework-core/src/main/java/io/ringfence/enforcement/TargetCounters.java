package io.ringfence.enforcement;

import io.ringfence.spi.enforcement.RuleCounter;
import java.time.Instant;
import java.util.List;

/**
 * What one enforcement target last answered when its rule counters were read.
 *
 * @param targetId the target
 * @param counters its counters as of {@code readAt}, per vNIC and rule (empty before the first good read)
 * @param readAt   when they were read, or null if never
 * @param error    why the last read failed (threw, returned null, missed its deadline), or null when it
 *                 did not; the counters of the read before stay
 * @param failedAt when it failed, or null
 * @since 0.2.0
 */
public record TargetCounters(String targetId, List<RuleCounter> counters, Instant readAt, String error,
                             Instant failedAt) {

    public TargetCounters {
        counters = List.copyOf(counters);
    }
}
