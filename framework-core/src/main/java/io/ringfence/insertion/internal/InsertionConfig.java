package io.ringfence.insertion.internal;

import java.time.Duration;

/**
 * How the runtime treats function instances.
 *
 * @param threadsPerInstance  threads that call into one instance at most; a call that hangs holds one
 *                            until it returns, so an instance whose calls all hang holds this many and no more
 * @param queuePerInstance    calls waiting for one of those threads at most; a call that finds the queue
 *                            full fails at once (as a missed deadline)
 * @param callerSpin          how long a caller spins for a call's result before parking: spares the
 *                            wake-up of the calling thread when the function answers within it (zero: park at once)
 * @param workerSpin          how long an idle thread of an instance spins for the next call before parking:
 *                            spares its wake-up under steady traffic, keeps a core busy (zero: park at once)
 * @param breakerThreshold    consecutive failed calls after which an instance gets no new flows...
 * @param breakerCoolDown     ...for this long
 * @param healthPeriod        how often health is polled (zero: only on registration and when
 *                            {@link FunctionRegistry#pollHealth()} is called)
 * @param healthTimeout       how long {@code health()} and {@code descriptor()} may take; a poll that
 *                            takes longer counts as DOWN
 * @param alertsPerDefinition recent alerts kept per definition (the oldest are overwritten)
 */
public record InsertionConfig(int threadsPerInstance, int queuePerInstance, Duration callerSpin, Duration workerSpin,
                              int breakerThreshold,
                              Duration breakerCoolDown, Duration healthPeriod, Duration healthTimeout,
                              int alertsPerDefinition) {

    /**
     * The defaults: as many threads per instance as cores (at least 2), callers spin 20 µs, idle threads
     * park at once (no core kept busy), 5 failures in a row trip the breaker for 10 s.
     */
    public static final InsertionConfig DEFAULTS = new InsertionConfig(
            Math.max(2, Runtime.getRuntime().availableProcessors()), 1024, Duration.ofNanos(20_000), Duration.ZERO, 5,
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(500), 1000);

    /** @throws IllegalArgumentException if a bound is not positive or a duration negative */
    public InsertionConfig {
        if (threadsPerInstance < 1 || queuePerInstance < 1 || breakerThreshold < 1 || alertsPerDefinition < 1) {
            throw new IllegalArgumentException("threads, queue, breaker threshold and alerts must be positive");
        }
        if (callerSpin.isNegative() || workerSpin.isNegative() || breakerCoolDown.isNegative() || healthPeriod.isNegative()
                || healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("durations must not be negative, the health timeout positive");
        }
    }

    /** A copy with other spins. */
    public InsertionConfig withSpins(Duration caller, Duration worker) {
        return new InsertionConfig(threadsPerInstance, queuePerInstance, caller, worker, breakerThreshold, breakerCoolDown,
                healthPeriod, healthTimeout, alertsPerDefinition);
    }
}
