package io.ringfence.enforcement.internal;

import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.HostRuleSetConsumer;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Feeds one enforcement target from the compiler: subscribed for each host the target covers, it
 * merges the hosts' deltas into the target's desired state and sends the target one update at a
 * time, the next only once the previous one was answered or timed out. Whatever arrives meanwhile
 * is merged into that next update, so a slow target gets fewer, larger updates rather than a
 * queue. The first update is full; so is the first one after a failure or a timeout (the target's
 * state is then unknown). A failure is not retried by itself: the next change or {@link #resync}
 * sends the full state; retrying with backoff is realization tracking's business.
 *
 * <p>Thread-safety: {@link #accept} runs on the compiler's thread and only merges and hands off;
 * the target is called, and its answers handled, on the executor. State is guarded by this
 * feed's monitor; the target is never called while it is held.
 */
public final class TargetFeed implements HostRuleSetConsumer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TargetFeed.class.getName());

    private final EnforcementTarget target;
    private final String targetId;
    private final boolean deltas;
    private final VnicDirectory directory;
    private final Duration timeout;
    private final ScheduledExecutorService executor;
    private final Clock clock;

    private final TargetState state = new TargetState();
    private long sequence;
    private InFlight inFlight;
    /** A failure happened: wait for a change or a resync before sending again. */
    private boolean holding;
    private boolean closed;
    private final Map<String, Long> realized = new HashMap<>();
    private Acknowledgement acknowledgement;
    private Instant acknowledgedAt;
    private TargetError error;
    private Instant failedAt;

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
     * @param directory where the vNICs' MAC and addresses come from
     * @param timeout   how long an update may go unanswered
     * @param executor  calls the target and handles its answers and the timeouts
     */
    public TargetFeed(EnforcementTarget target, VnicDirectory directory, Duration timeout,
                      ScheduledExecutorService executor, Clock clock) {
        this.target = target;
        this.targetId = target.descriptor().id();
        this.deltas = target.descriptor().deltas();
        this.directory = directory;
        this.timeout = timeout;
        this.executor = executor;
        this.clock = clock;
    }

    public String targetId() {
        return targetId;
    }

    @Override
    public void accept(HostDelta delta) {
        InFlight next;
        synchronized (this) {
            if (closed || !target.descriptor().hosts().contains(delta.hostId())) {
                return;
            }
            state.apply(delta, directory);
            holding = false;
            next = takeNext();
        }
        dispatch(next);
    }

    /** Sends the target its full state as the next update. */
    public void resync() {
        InFlight next;
        synchronized (this) {
            state.forceFull();
            holding = false;
            next = takeNext();
        }
        dispatch(next);
    }

    public synchronized TargetFeedStatus status() {
        return new TargetFeedStatus(targetId, sequence, inFlight != null, state.desiredGenerations(), realized,
                acknowledgement, acknowledgedAt, error, failedAt);
    }

    /** Stops sending; an answer still on its way is ignored. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (inFlight != null && inFlight.timer != null) {
                inFlight.timer.cancel(false);
            }
            inFlight = null;
        }
    }

    /** The next update, if one may go now; marks it in flight. Called holding the monitor. */
    private InFlight takeNext() {
        if (closed || inFlight != null || holding || !state.hasPending()) {
            return null;
        }
        inFlight = new InFlight();
        return inFlight;
    }

    private void dispatch(InFlight f) {
        if (f != null) {
            executor.execute(() -> send(f));
        }
    }

    private void send(InFlight f) {
        synchronized (this) {
            if (inFlight != f) {
                return;
            }
            f.update = state.take(++sequence, !deltas);
            f.timer = executor.schedule(() -> answered(f, null, null, true), timeout.toNanos(), TimeUnit.NANOSECONDS);
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
                failed = new TargetError("timeout", "update " + seq + " was not answered within " + timeout, true);
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
                error = failed;
                failedAt = clock.instant();
                state.forceFull();
                holding = true;
                LOG.log(System.Logger.Level.WARNING, "enforcement target " + targetId + ": " + failed.code() + ": "
                        + failed.message());
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
        acknowledgement = ack;
        acknowledgedAt = clock.instant();
    }
}
