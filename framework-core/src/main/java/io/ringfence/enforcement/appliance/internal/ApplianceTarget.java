package io.ringfence.enforcement.appliance.internal;

import io.ringfence.enforcement.appliance.ApplianceException;
import io.ringfence.enforcement.appliance.ApplianceException.Reason;
import io.ringfence.enforcement.appliance.ApplianceRegistration;
import io.ringfence.enforcement.appliance.ApplianceStatus;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One registration session of an appliance, as an enforcement target: {@link #apply} makes an
 * update available and returns a stage that the appliance's acknowledgement completes. The feed
 * sends one update at a time, so there is at most one pending; one that the feed gave up on (it
 * timed out) is replaced by the next.
 *
 * <p>A session ends when the appliance registers again or is deregistered ({@link #close}), and
 * becomes unreachable when its lease runs out ({@link #expireIfSilent}); either way the pending
 * update fails, and an unreachable session refuses polls until the appliance registers again.
 *
 * <p>Thread-safety: state is guarded by {@link #lock}; stages are completed after it is released.
 */
final class ApplianceTarget implements EnforcementTarget {

    /** Target ids of appliances: the prefix keeps them apart from other kinds of targets. */
    static final String TARGET_PREFIX = "appliance:";

    private final TargetDescriptor descriptor;
    private final String applianceId;
    private final String owner;
    private final Clock clock;
    private final Instant registeredAt;
    /** Random, so that a session of before a restart of the manager never matches one of after. */
    private final String session = UUID.randomUUID().toString();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Pending pending;
    /** The highest sequence made available in this session. */
    private long sequence;
    private long acknowledged;
    private final Map<String, Long> realized = new HashMap<>();
    private Instant lastSeen;
    /** Polls waiting right now: an appliance waiting in a poll is alive whatever the lease says. */
    private int polling;
    private boolean unreachable;
    private boolean closed;
    /** Closed because the appliance registered again: its requests are told their session ended. */
    private boolean superseded;
    private TargetError error;
    private Instant failedAt;

    private record Pending(RuleSetUpdate update, CompletableFuture<Acknowledgement> answer) {
    }

    ApplianceTarget(ApplianceRegistration registration, String owner, Clock clock) {
        this.descriptor = new TargetDescriptor(TARGET_PREFIX + registration.id(), TargetKind.VIRTUAL_APPLIANCE,
                registration.description(), registration.hosts(), registration.deltas());
        this.applianceId = registration.id();
        this.owner = owner;
        this.clock = clock;
        this.registeredAt = clock.instant();
        this.lastSeen = registeredAt;
    }

    @Override
    public TargetDescriptor descriptor() {
        return descriptor;
    }

    String owner() {
        return owner;
    }

    String session() {
        return session;
    }

    @Override
    public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
        CompletableFuture<Acknowledgement> answer = new CompletableFuture<>();
        Pending superseded;
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.completedFuture(Acknowledgement.failed(update.sequence(),
                        new TargetError("deregistered", "appliance " + applianceId + " is no longer registered", false)));
            }
            if (unreachable) {
                return CompletableFuture.completedFuture(Acknowledgement.failed(update.sequence(), unreachableError()));
            }
            superseded = pending;
            pending = new Pending(update, answer);
            sequence = update.sequence();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (superseded != null) {
            superseded.answer().complete(Acknowledgement.failed(superseded.update().sequence(),
                    new TargetError("superseded", "update " + superseded.update().sequence() + " was replaced by "
                            + update.sequence(), true)));
        }
        return answer;
    }

    /** See {@link io.ringfence.enforcement.appliance.ApplianceService#poll}; {@code wait} is already bounded. */
    Optional<RuleSetUpdate> poll(long after, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            checkUsable();
            lastSeen = clock.instant();
            if (after > sequence) {
                throw new ApplianceException(Reason.UNKNOWN_SEQUENCE, "appliance " + applianceId + " asks for updates after "
                        + after + " but this session has sent none beyond " + sequence + "; register again");
            }
            long nanos = wait.toNanos();
            polling++;
            try {
                while (pending == null || pending.update().sequence() <= after) {
                    if (nanos <= 0) {
                        return Optional.empty();
                    }
                    nanos = changed.awaitNanos(nanos);
                    checkUsable();
                }
                return Optional.of(pending.update());
            } finally {
                polling--;
                lastSeen = clock.instant();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Completes the pending update with the appliance's answer. */
    void acknowledge(Acknowledgement ack) {
        Pending answered;
        lock.lock();
        try {
            checkUsable();
            lastSeen = clock.instant();
            if (pending == null || pending.update().sequence() != ack.sequence()) {
                throw new ApplianceException(Reason.UNKNOWN_SEQUENCE, "appliance " + applianceId + " has no pending update "
                        + ack.sequence() + (pending == null ? "" : "; update " + pending.update().sequence() + " is pending"));
            }
            RuleSetUpdate update = pending.update();
            Set<String> carried = update.ruleSets().stream().map(TargetRuleSet::vnicId).collect(Collectors.toSet());
            Set<String> strangers = ack.realized().keySet().stream().filter(v -> !carried.contains(v))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!strangers.isEmpty()) {
                throw new ApplianceException(Reason.INVALID_ACKNOWLEDGEMENT, "update " + ack.sequence()
                        + " carried no rule set for " + strangers);
            }
            if (ack.ok()) {
                if (update.full()) {
                    realized.clear();
                }
                update.removedVnics().forEach(realized::remove);
                realized.putAll(ack.realized());
                acknowledged = ack.sequence();
            } else {
                error = ack.error();
                failedAt = lastSeen;
            }
            answered = pending;
            pending = null;
        } finally {
            lock.unlock();
        }
        answered.answer().complete(ack);
    }

    /**
     * Marks the session unreachable if the appliance has neither polled nor acknowledged for
     * {@code lease} and is not waiting in a poll; fails its pending update with the retryable
     * error {@code unreachable}, so that realization shows it.
     *
     * @return true if the session became unreachable now
     */
    boolean expireIfSilent(Duration lease) {
        Pending failed;
        lock.lock();
        try {
            Instant now = clock.instant();
            if (closed || unreachable || polling > 0 || !now.isAfter(lastSeen.plus(lease))) {
                return false;
            }
            unreachable = true;
            error = unreachableError();
            failedAt = now;
            failed = pending;
            pending = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            failed.answer().complete(Acknowledgement.failed(failed.update().sequence(), error));
        }
        return true;
    }

    /** Ends the session: waiting polls are refused, the pending update fails. */
    /**
     * Ends the session: it is no longer a target; a poll waiting in it, and every later request naming
     * it, is refused.
     *
     * @param superseded the appliance registered again (its requests are then told their session
     *                   ended, so that the process of this one stops instead of registering again)
     */
    void close(boolean superseded) {
        Pending failed;
        lock.lock();
        try {
            closed = true;
            this.superseded = superseded;
            failed = pending;
            pending = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            failed.answer().complete(Acknowledgement.failed(failed.update().sequence(), new TargetError("deregistered",
                    "appliance " + applianceId + " registered again or was deregistered", false)));
        }
    }

    ApplianceStatus status() {
        lock.lock();
        try {
            return new ApplianceStatus(applianceId, descriptor.id(), descriptor.description(), descriptor.hosts(),
                    descriptor.deltas(), owner, session, registeredAt, lastSeen, !unreachable, sequence, pending != null,
                    acknowledged, realized, error, failedAt);
        } finally {
            lock.unlock();
        }
    }

    /** Called holding the lock. */
    private void checkUsable() {
        if (closed && superseded) {
            throw new ApplianceException(Reason.SESSION_ENDED, "session " + session + " of appliance " + applianceId
                    + " ended: the appliance registered again; this process should stop");
        }
        if (closed) {
            throw new ApplianceException(Reason.UNKNOWN_APPLIANCE, "appliance " + applianceId + " was deregistered");
        }
        if (unreachable) {
            throw new ApplianceException(Reason.LEASE_EXPIRED, "appliance " + applianceId + " let its lease run out at "
                    + failedAt + "; register again to get the full state");
        }
    }

    private TargetError unreachableError() {
        return new TargetError("unreachable", "appliance " + applianceId + " has not polled since " + lastSeen, true);
    }
}
