package io.ringfence.enforcement.internal;

import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.HostRuleSetConsumer;
import io.ringfence.enforcement.RealizationError;
import io.ringfence.enforcement.RealizationState;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Feeds one enforcement target from the compiler, and reconciles it: subscribed for each host the
 * target covers, it merges the hosts' deltas into the target's desired state and sends the target
 * one update at a time, the next only once the previous one was answered or timed out. Whatever
 * arrives meanwhile is merged into that next update, so a slow target gets fewer, larger updates
 * rather than a queue. The first update is full; so is the first one after a failure or a timeout
 * (the target's state is then unknown).
 *
 * <p>The reconciler (settings in {@link ReconcilerSettings}):
 * <ul>
 * <li>a retryable failure or a timeout is retried with the full state after an exponential,
 *     jittered backoff; changes that arrive meanwhile wait for the retry and go with it;</li>
 * <li>a non-retryable failure (the target refused the update: it would refuse it again) is
 *     retried on the next change, on a resync, or after the slow refused-retry period;</li>
 * <li>a resync sends the full state at once, whatever the reconciler waits for;</li>
 * <li>a full state goes out at least every resync interval (anti-entropy), for targets that lost
 *     their state without the framework noticing.</li>
 * </ul>
 * Nothing is dropped on the way: the desired state is the compiler's, and a full update carries
 * all of it.
 *
 * <p>Thread-safety: {@link #accept} runs on the compiler's thread and only merges and hands off;
 * the target is called, and its answers and the timers handled, on the executor. State is guarded
 * by this feed's monitor; the target is never called while it is held.
 */
public final class TargetFeed implements HostRuleSetConsumer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TargetFeed.class.getName());

    /** What the feed waits for before it sends again, after a failure. */
    private enum Hold {
        /** Nothing: it sends whenever something is pending. */
        NONE,
        /** The retry timer, after a retryable failure: changes are merged, not sent. */
        BACKOFF,
        /** A change, a resync or the slow retry timer, after the target refused an update. */
        REFUSED
    }

    private final EnforcementTarget target;
    private final TargetDescriptor descriptor;
    private final String targetId;
    private final VnicDirectory directory;
    private final ReconcilerSettings settings;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final DoubleSupplier jitter;

    private final TargetState state = new TargetState();
    private long sequence;
    private InFlight inFlight;
    private Hold hold = Hold.NONE;
    private boolean closed;
    private final Map<String, Long> realized = new HashMap<>();
    private Acknowledgement acknowledgement;
    private Instant acknowledgedAt;
    private TargetError error;
    private Instant failedAt;
    private int failures;
    private ScheduledFuture<?> retryTimer;
    private Instant nextRetryAt;
    private ScheduledFuture<?> resyncTimer;
    private Instant lastFullAt;
    /** The vNICs not realized, with since when. */
    private final Map<String, Instant> pendingSince = new HashMap<>();
    /** The last failure that kept each vNIC from being realized. */
    private final Map<String, RealizationError> vnicErrors = new HashMap<>();

    /**
     * One update on its way, with the timer that gives up on it. The update is taken from the
     * pending changes only when the executor gets to send it, so that the deltas one change makes
     * for several hosts of the target go out together.
     */
    private static final class InFlight {
        RuleSetUpdate update;
        ScheduledFuture<?> timer;
    }

    /**
     * A feed with the default reconciler settings but the given acknowledgement timeout.
     *
     * @param directory where the vNICs' MAC and addresses come from
     * @param timeout   how long an update may go unanswered
     * @param executor  calls the target and handles its answers and the timers
     */
    public TargetFeed(EnforcementTarget target, VnicDirectory directory, Duration timeout,
                      ScheduledExecutorService executor, Clock clock) {
        this(target, directory, ReconcilerSettings.DEFAULT.withAcknowledgementTimeout(timeout), executor, clock,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param directory where the vNICs' MAC and addresses come from
     * @param settings  timeout, backoff and resync periods
     * @param executor  calls the target and handles its answers and the timers
     * @param jitter    random numbers in [0, 1] that spread the retries of the backoff
     */
    public TargetFeed(EnforcementTarget target, VnicDirectory directory, ReconcilerSettings settings,
                      ScheduledExecutorService executor, Clock clock, DoubleSupplier jitter) {
        this.target = target;
        this.descriptor = target.descriptor();
        this.targetId = descriptor.id();
        this.directory = directory;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
        this.jitter = jitter;
    }

    public String targetId() {
        return targetId;
    }

    public TargetDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public void accept(HostDelta delta) {
        InFlight next;
        synchronized (this) {
            if (closed || !descriptor.hosts().contains(delta.hostId())) {
                return;
            }
            TargetState.Applied applied = state.apply(delta, directory);
            track(applied);
            if (hold == Hold.REFUSED) {
                // the change may be what the target refused to take: try it
                release();
            }
            next = takeNext();
        }
        dispatch(next);
    }

    /** Sends the target its full state as the next update, at once, whatever the reconciler waits for. */
    public void resync() {
        InFlight next;
        synchronized (this) {
            state.forceFull();
            release();
            next = takeNext();
        }
        dispatch(next);
    }

    public synchronized TargetFeedStatus status() {
        return new TargetFeedStatus(targetId, sequence, inFlight != null, state.desiredGenerations(), realized,
                acknowledgement, acknowledgedAt, error, failedAt);
    }

    /** The target's summary: counts per state and the reconciler's standing. */
    public synchronized TargetRealization realization() {
        int done = 0;
        int notDone = 0;
        for (TargetRuleSet s : state.ruleSets()) {
            if (isRealized(s)) {
                done++;
            } else {
                notDone++;
            }
        }
        boolean failing = failures > 0;
        return new TargetRealization(targetId, descriptor.kind(), descriptor.description(), descriptor.hosts(),
                done + notDone, done, failing ? 0 : notDone, failing ? notDone : 0, failing, failures, nextRetryAt,
                lastError(), acknowledgedAt, lastFullAt, sequence, inFlight != null);
    }

    /** Each vNIC of the target, ordered by vNIC id. */
    public synchronized List<VnicRealization> vnics() {
        List<VnicRealization> out = new ArrayList<>();
        for (TargetRuleSet s : state.ruleSets()) {
            out.add(vnic(s));
        }
        return out;
    }

    /** One vNIC of the target, or null when the target does not enforce it. */
    public synchronized VnicRealization vnic(String vnicId) {
        TargetRuleSet s = state.ruleSet(vnicId);
        return s == null ? null : vnic(s);
    }

    /** Stops sending and retrying; an answer still on its way is ignored. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (inFlight != null && inFlight.timer != null) {
                inFlight.timer.cancel(false);
            }
            inFlight = null;
            release();
            if (resyncTimer != null) {
                resyncTimer.cancel(false);
                resyncTimer = null;
            }
        }
    }

    // ---- realization, called holding the monitor

    private boolean isRealized(TargetRuleSet s) {
        Long r = realized.get(s.vnicId());
        return r != null && r == s.generation();
    }

    private VnicRealization vnic(TargetRuleSet s) {
        Long r = realized.get(s.vnicId());
        RealizationState st = isRealized(s) ? RealizationState.REALIZED
                : failures > 0 ? RealizationState.FAILED : RealizationState.PENDING;
        return new VnicRealization(targetId, s.vnicId(), s.vmId(), s.hostId(), s.generation(), r == null ? 0 : r, st,
                st == RealizationState.REALIZED ? null : pendingSince.get(s.vnicId()), vnicErrors.get(s.vnicId()));
    }

    private RealizationError lastError() {
        return error == null ? null : RealizationError.of(error, failedAt);
    }

    /** Notes since when the vNICs a delta changed are not realized; forgets the removed ones. */
    private void track(TargetState.Applied applied) {
        Instant now = null;
        for (String vnic : applied.changed()) {
            TargetRuleSet s = state.ruleSet(vnic);
            if (!isRealized(s) && !pendingSince.containsKey(vnic)) {
                now = now == null ? clock.instant() : now;
                pendingSince.put(vnic, now);
            }
            if (failures > 0) {
                // it waits for the failing target's retry: the failure is what keeps it back
                vnicErrors.put(vnic, lastError());
            }
        }
        for (String vnic : applied.removed()) {
            pendingSince.remove(vnic);
            vnicErrors.remove(vnic);
        }
    }

    // ---- sending, called holding the monitor unless said otherwise

    /** The next update, if one may go now; marks it in flight. */
    private InFlight takeNext() {
        if (closed || inFlight != null || hold != Hold.NONE || !state.hasPending()) {
            return null;
        }
        inFlight = new InFlight();
        return inFlight;
    }

    /** Stops waiting for a retry. */
    private void release() {
        hold = Hold.NONE;
        nextRetryAt = null;
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    /** Called without the monitor. */
    private void dispatch(InFlight f) {
        if (f != null) {
            executor.execute(() -> send(f));
        }
    }

    /** Runs on the executor, without the monitor. */
    private void send(InFlight f) {
        synchronized (this) {
            if (inFlight != f) {
                return;
            }
            f.update = state.take(++sequence, !descriptor.deltas());
            f.timer = executor.schedule(() -> answered(f, null, null, true),
                    settings.acknowledgementTimeout().toNanos(), TimeUnit.NANOSECONDS);
            if (f.update.full()) {
                lastFullAt = clock.instant();
                scheduleResync();
            }
        }
        CompletionStage<Acknowledgement> answer;
        try {
            answer = target.apply(f.update);
        } catch (RuntimeException e) {
            answered(f, null, e, false);
            return;
        }
        answer.whenComplete((ack, failure) -> executor.execute(() -> answered(f, ack, failure, false)));
    }

    /** The next anti-entropy resync, one interval after the full update just sent. */
    private void scheduleResync() {
        if (resyncTimer != null) {
            resyncTimer.cancel(false);
            resyncTimer = null;
        }
        Duration interval = settings.resyncInterval();
        if (!interval.isZero()) {
            resyncTimer = executor.schedule(this::antiEntropy, interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Runs on the executor: the full state again, unless a retry (which is full) is on its way anyway. */
    private void antiEntropy() {
        InFlight next;
        synchronized (this) {
            resyncTimer = null;
            if (closed || hold == Hold.BACKOFF) {
                return;
            }
            state.forceFull();
            release();
            next = takeNext(); // null while an update is in flight: the full state follows it
        }
        dispatch(next);
    }

    /** Runs on the executor: the wait after a failure is over. */
    private void retryDue(ScheduledFuture<?>[] self) {
        InFlight next;
        synchronized (this) {
            if (retryTimer != self[0]) {
                return; // cancelled meanwhile
            }
            retryTimer = null;
            hold = Hold.NONE;
            nextRetryAt = null;
            next = takeNext();
        }
        dispatch(next);
    }

    /** Runs on the executor, without the monitor. */
    private void answered(InFlight f, Acknowledgement ack, Throwable failure, boolean timedOut) {
        InFlight next;
        synchronized (this) {
            if (inFlight != f) {
                return; // late: the update timed out, or the feed closed
            }
            if (f.timer != null) {
                f.timer.cancel(false);
            }
            inFlight = null;
            long seq = f.update.sequence();
            TargetError failed = null;
            if (timedOut) {
                failed = new TargetError("timeout", "update " + seq + " was not answered within "
                        + settings.acknowledgementTimeout(), true);
            } else if (failure != null) {
                failed = new TargetError("exception", "update " + seq + " failed: " + failure, true);
            } else if (ack == null || ack.sequence() != seq) {
                failed = new TargetError("bad-acknowledgement", "update " + seq + " was answered with "
                        + (ack == null ? "nothing" : "the acknowledgement of update " + ack.sequence()), true);
            } else if (!ack.ok()) {
                failed = ack.error();
            }
            if (failed == null) {
                realize(f.update, ack);
            } else {
                fail(failed);
            }
            next = takeNext();
        }
        dispatch(next);
    }

    private void realize(RuleSetUpdate update, Acknowledgement ack) {
        if (update.full()) {
            realized.clear();
        }
        update.removedVnics().forEach(realized::remove);
        realized.putAll(ack.realized());
        for (String vnic : ack.realized().keySet()) {
            TargetRuleSet s = state.ruleSet(vnic);
            if (s == null || isRealized(s)) {
                pendingSince.remove(vnic);
            }
        }
        acknowledgement = ack;
        acknowledgedAt = clock.instant();
        failures = 0;
    }

    private void fail(TargetError failed) {
        error = failed;
        failedAt = clock.instant();
        failures++;
        state.forceFull();
        RealizationError seen = lastError();
        pendingSince.keySet().forEach(vnic -> vnicErrors.put(vnic, seen));
        Duration wait;
        if (failed.retryable()) {
            hold = Hold.BACKOFF;
            wait = settings.backoff(failures, jitter.getAsDouble());
        } else {
            hold = Hold.REFUSED;
            wait = settings.refusedRetry();
        }
        if (!wait.isZero()) {
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            retryTimer = executor.schedule(() -> retryDue(self), wait.toNanos(), TimeUnit.NANOSECONDS);
            self[0] = retryTimer;
            nextRetryAt = failedAt.plus(wait);
        }
        LOG.log(System.Logger.Level.WARNING, "enforcement target " + targetId + ": " + failed.code() + ": "
                + failed.message() + " (failure " + failures + " in a row; "
                + (nextRetryAt == null ? "waiting for a change or a resync" : "retrying in " + wait) + ")");
    }
}
