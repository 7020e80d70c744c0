package io.ringfence.enforcement.internal;

import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.TargetCounters;
import io.ringfence.enforcement.TargetRuleHits;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the rule counters of every registered target every {@code period} and keeps, per target, the
 * latest answer.
 *
 * <p>Target code is vendor code: each {@link EnforcementTarget#counters()} call runs on a thread of its
 * own and the round waits for it until the round's deadline; a call that throws, returns null or is
 * still running then is reported in the target's {@link TargetCounters#error()} and its previous
 * counters stay. A target whose earlier call has not returned yet is not called again (it is reported
 * as still busy), so a hung target holds one thread, never more. The reads run on their own threads,
 * apart from the feeds' updates: a slow target delays neither its own updates nor the other targets.
 * Rounds run one at a time.
 */
public final class TargetCounterPoller implements TargetCounterService, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TargetCounterPoller.class.getName());

    private final Duration deadline;
    private final Clock clock;
    private final Map<EnforcementTarget, Reading> targets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
            daemons("ringfence-target-counters"));
    private final ExecutorService calls = Executors.newCachedThreadPool(daemons("ringfence-target-counters-call"));

    /**
     * @param period   how often every target is read; zero reads only on {@link #readAll()}
     * @param deadline how long a round waits for the targets' answers
     * @throws IllegalArgumentException if the period is negative or the deadline not positive
     */
    public TargetCounterPoller(Duration period, Duration deadline, Clock clock) {
        if (period.isNegative() || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the period must not be negative, the deadline must be positive");
        }
        this.deadline = deadline;
        this.clock = clock;
        if (!period.isZero()) {
            rounds.scheduleWithFixedDelay(this::readAllLogged, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Starts reading {@code target} (from the next round on). */
    public void add(EnforcementTarget target) {
        targets.computeIfAbsent(target, t -> new Reading(t.descriptor().id()));
    }

    /** Stops reading {@code target}; its counters no longer count (a call in flight is left to return). */
    public void remove(EnforcementTarget target) {
        targets.remove(target);
    }

    /**
     * One round: calls every target that is not still busy with an earlier call, then waits for their
     * answers until the deadline. Returns when every answer is in or the deadline passed.
     */
    public synchronized void readAll() {
        long until = System.nanoTime() + deadline.toNanos();
        Map<Reading, Future<List<RuleCounter>>> asked = new LinkedHashMap<>();
        targets.forEach((target, reading) -> {
            if (reading.busy.compareAndSet(false, true)) {
                try {
                    asked.put(reading, calls.submit(() -> {
                        try {
                            return target.counters();
                        } finally {
                            reading.busy.set(false);
                        }
                    }));
                } catch (RejectedExecutionException e) { // closed meanwhile
                    reading.busy.set(false);
                }
            } else {
                reading.failed("its counters were asked for earlier and it has not answered yet", clock.instant());
            }
        });
        asked.forEach((reading, answer) -> collect(reading, answer, until));
    }

    private void collect(Reading reading, Future<List<RuleCounter>> answer, long until) {
        try {
            List<RuleCounter> counters = answer.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (counters == null) {
                reading.failed("counters() returned null", clock.instant());
            } else {
                reading.read(counters.stream().filter(Objects::nonNull).toList(), clock.instant());
            }
        } catch (TimeoutException e) {
            reading.failed("no answer within " + deadline.toMillis() + " ms", clock.instant());
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the counters of target " + reading.targetId + " failed",
                    e.getCause());
            reading.failed("counters() threw " + e.getCause(), clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readAllLogged() {
        try {
            readAll();
        } catch (RuntimeException e) { // a bug of ours must not end the schedule
            LOG.log(System.Logger.Level.ERROR, "reading the targets' counters failed", e);
        }
    }

    @Override
    public List<TargetCounters> readings() {
        return targets.values().stream().map(Reading::snapshot).sorted(Comparator.comparing(TargetCounters::targetId))
                .toList();
    }

    @Override
    public List<TargetRuleHits> ruleHits(String ruleId) {
        List<TargetRuleHits> hits = new ArrayList<>();
        for (Reading r : targets.values()) {
            TargetRuleHits h = r.hits().get(ruleId);
            if (h != null) {
                hits.add(h);
            }
        }
        hits.sort(Comparator.comparing(TargetRuleHits::targetId));
        return hits;
    }

    @Override
    public Map<String, List<TargetRuleHits>> ruleHits() {
        Map<String, List<TargetRuleHits>> all = new TreeMap<>();
        for (Reading r : targets.values()) {
            r.hits().forEach((rule, h) -> all.computeIfAbsent(rule, k -> new ArrayList<>()).add(h));
        }
        all.values().forEach(l -> l.sort(Comparator.comparing(TargetRuleHits::targetId)));
        return all;
    }

    /** Stops the rounds; calls still running are left to return on their own (daemon) threads. */
    @Override
    public void close() {
        rounds.shutdownNow();
        calls.shutdownNow();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One target's latest answer, replaced whole (an immutable state swapped atomically). */
    private static final class Reading {
        final String targetId;
        final AtomicBoolean busy = new AtomicBoolean();
        private volatile State state;

        Reading(String targetId) {
            this.targetId = targetId;
            this.state = new State(new TargetCounters(targetId, List.of(), null, null, null), Map.of());
        }

        void read(List<RuleCounter> counters, Instant at) {
            Map<String, long[]> sums = new HashMap<>();
            for (RuleCounter c : counters) {
                long[] s = sums.computeIfAbsent(c.ruleId(), k -> new long[2]);
                s[0] += c.packets();
                s[1] += c.bytes();
            }
            Map<String, TargetRuleHits> hits = new HashMap<>();
            sums.forEach((rule, s) -> hits.put(rule, new TargetRuleHits(targetId, s[0], s[1], at)));
            // an error stays visible after a later good read, as a feed's does: failedAt tells which is newer
            TargetCounters before = state.counters;
            state = new State(new TargetCounters(targetId, counters, at, before.error(), before.failedAt()), hits);
        }

        void failed(String error, Instant at) {
            TargetCounters before = state.counters;
            LOG.log(System.Logger.Level.WARNING, "the counters of target " + targetId + " could not be read: " + error);
            state = new State(new TargetCounters(targetId, before.counters(), before.readAt(), error, at), state.hits);
        }

        TargetCounters snapshot() {
            return state.counters;
        }

        Map<String, TargetRuleHits> hits() {
            return state.hits;
        }

        private record State(TargetCounters counters, Map<String, TargetRuleHits> hits) {
        }
    }
}
