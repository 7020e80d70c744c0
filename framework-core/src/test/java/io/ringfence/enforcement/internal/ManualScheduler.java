package io.ringfence.enforcement.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executor for deterministic tests: tasks wait until the test runs them ({@link #runPending}),
 * scheduled tasks until the test moves the clock past their delay ({@link #advance}).
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Runnable> ready = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private long now;

    /** A task due at {@code at} (nanoseconds on the manual clock). */
    private final class Timer implements ScheduledFuture<Object> {
        final long at;
        final Runnable task;
        boolean cancelled;
        boolean done;

        Timer(long at, Runnable task) {
            this.at = at;
            this.task = task;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            if (done) {
                return false;
            }
            cancelled = true;
            return timers.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    /** Runs the tasks ready now, and those they make ready, until none is left. */
    void runPending() {
        while (!ready.isEmpty()) {
            ready.remove(0).run();
        }
    }

    /** Moves the clock, firing the timers that fall due, then runs what is ready. */
    void advance(Duration d) {
        now += d.toNanos();
        runPending();
        for (Timer t : List.copyOf(timers)) {
            if (t.at <= now && timers.remove(t)) {
                t.done = true;
                t.task.run();
                runPending();
            }
        }
    }

    /** A clock that shows this scheduler's time, starting at {@code start}. */
    Clock clock(Instant start) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return start.plusNanos(now);
            }
        };
    }

    /** Timers not fired nor cancelled. */
    int timers() {
        return timers.size();
    }

    @Override
    public void execute(Runnable command) {
        ready.add(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Timer t = new Timer(now + unit.toNanos(delay), command);
        timers.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
