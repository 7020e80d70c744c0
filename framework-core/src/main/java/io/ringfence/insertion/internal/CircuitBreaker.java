package io.ringfence.insertion.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Keeps new flows away from an instance that keeps failing: after {@code threshold} consecutive
 * failed calls (thrown, hung past the deadline, null) the breaker is <em>open</em> for a cool-down,
 * during which the instance is treated as DOWN for new flows. Its flows in progress stay: each of
 * them fails on its own call, or not. After the cool-down, new flows go to it again, and a further
 * {@code threshold} consecutive failures open the breaker again.
 *
 * <p>Why: a hung instance holds its bounded threads, so every new flow sent to it would cost one
 * deadline per packet until the flow fails; the breaker bounds that to {@code threshold} calls per
 * cool-down. Thread-safe; a success costs a read unless failures were pending.
 */
final class CircuitBreaker {

    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier ticker;
    private final AtomicInteger consecutive = new AtomicInteger();
    private final LongAdder trips = new LongAdder();
    private volatile long closedFrom;

    CircuitBreaker(int threshold, long coolDownNanos, LongSupplier ticker) {
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
        this.ticker = ticker;
        this.closedFrom = ticker.getAsLong();
    }

    void success() {
        if (consecutive.get() != 0) {
            consecutive.set(0);
        }
    }

    /** Counts a failed call; true when it opened the breaker. */
    boolean failure() {
        if (consecutive.incrementAndGet() < threshold) {
            return false;
        }
        consecutive.set(0);
        closedFrom = ticker.getAsLong() + coolDownNanos;
        trips.increment();
        return true;
    }

    boolean isOpen() {
        return ticker.getAsLong() - closedFrom < 0;
    }

    long trips() {
        return trips.sum();
    }
}
