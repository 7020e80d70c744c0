package io.ringfence.enforcement.internal;

import java.time.Duration;

/**
 * How a feed waits for and retries its target.
 *
 * @param acknowledgementTimeout how long an update may go unanswered before it counts as failed
 *                               (retryable, code {@code timeout})
 * @param initialBackoff         the wait before the first retry of a retryable failure; it doubles
 *                               with every failure in a row...
 * @param maxBackoff             ...up to this
 * @param refusedRetry           the wait before a target that refused an update (a non-retryable
 *                               error) gets its full state again without any change; zero: only a
 *                               change or a resync sends it again
 * @param resyncInterval         a target gets its full state at least this often, in case it lost
 *                               what it had without the framework noticing (anti-entropy); zero: never
 */
public record ReconcilerSettings(Duration acknowledgementTimeout, Duration initialBackoff, Duration maxBackoff,
                                 Duration refusedRetry, Duration resyncInterval) {

    public static final ReconcilerSettings DEFAULT = new ReconcilerSettings(Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10));

    /** @throws IllegalArgumentException for a non-positive timeout or backoff, or a negative period */
    public ReconcilerSettings {
        if (!positive(acknowledgementTimeout) || !positive(initialBackoff) || !positive(maxBackoff)) {
            throw new IllegalArgumentException("the acknowledgement timeout and the backoffs must be positive");
        }
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("the initial backoff " + initialBackoff + " exceeds the maximum "
                    + maxBackoff);
        }
        if (refusedRetry.isNegative() || resyncInterval.isNegative()) {
            throw new IllegalArgumentException("the refused-retry and resync periods must not be negative");
        }
    }

    /** These settings with another acknowledgement timeout. */
    public ReconcilerSettings withAcknowledgementTimeout(Duration timeout) {
        return new ReconcilerSettings(timeout, initialBackoff, maxBackoff, refusedRetry, resyncInterval);
    }

    /**
     * The wait before retrying after {@code failures} failures in a row: the initial backoff doubled
     * per failure after the first, capped, then jittered down to between half and all of it so that
     * targets that failed together (a network outage) do not all retry at the same instant.
     *
     * @param jitter a random number in [0, 1]; 1 gives the whole doubled value
     */
    public Duration backoff(int failures, double jitter) {
        long cap = maxBackoff.toNanos();
        long base = initialBackoff.toNanos();
        for (int i = 1; i < failures && base < cap; i++) {
            base = Math.min(cap, base * 2);
        }
        base = Math.min(cap, base);
        return Duration.ofNanos(base / 2 + Math.round(base / 2.0 * jitter));
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
