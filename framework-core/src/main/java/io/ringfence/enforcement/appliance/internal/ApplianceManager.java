package io.ringfence.enforcement.appliance.internal;

import io.ringfence.enforcement.appliance.ApplianceException;
import io.ringfence.enforcement.appliance.ApplianceException.Reason;
import io.ringfence.enforcement.appliance.ApplianceRegistration;
import io.ringfence.enforcement.appliance.ApplianceService;
import io.ringfence.enforcement.appliance.ApplianceStatus;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Registers appliances, one {@link ApplianceTarget} per session, and publishes each session as an
 * enforcement target; retires the previous session of an appliance that registers again. Leases
 * are checked when {@link #expireLeases} is called (the OSGi component calls it every second).
 *
 * <p>Thread-safety: the registry is guarded by this manager's monitor, which is also held while a
 * session is published or withdrawn so that an appliance registering twice at once ends up with
 * one target. Polls and acknowledgements take only their session's lock.
 */
public final class ApplianceManager implements ApplianceService {

    private static final System.Logger LOG = System.getLogger(ApplianceManager.class.getName());

    private final Predicate<String> knownHost;
    private final TargetPublisher publisher;
    private final Clock clock;
    private final Duration lease;
    private final Duration maxWait;
    private final Map<String, ApplianceTarget> sessions = new TreeMap<>();

    /**
     * @param knownHost whether the inventory has a host
     * @param lease     how long an appliance may stay silent (not polling, not waiting in a poll)
     * @param maxWait   the longest wait of a poll; less than the lease, so that an appliance polling
     *                  back to back never loses it
     */
    public ApplianceManager(Predicate<String> knownHost, TargetPublisher publisher, Clock clock, Duration lease,
                            Duration maxWait) {
        if (maxWait.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the longest poll (" + maxWait + ") must be shorter than the lease ("
                    + lease + ")");
        }
        this.knownHost = knownHost;
        this.publisher = publisher;
        this.clock = clock;
        this.lease = lease;
        this.maxWait = maxWait;
    }

    @Override
    public synchronized ApplianceStatus register(ApplianceRegistration registration, String principal) {
        List<String> unknown = registration.hosts().stream().filter(knownHost.negate()).toList();
        if (!unknown.isEmpty()) {
            throw new ApplianceException(Reason.UNKNOWN_HOST, "appliance " + registration.id()
                    + " names hosts the inventory does not have: " + unknown);
        }
        ApplianceTarget previous = sessions.get(registration.id());
        if (previous != null && !previous.owner().equals(principal)) {
            throw notOwner(registration.id(), principal);
        }
        ApplianceTarget session = new ApplianceTarget(registration, principal, clock);
        if (previous != null) {
            // the old session leaves before the new one comes: one target per id at any time
            publisher.withdraw(previous);
            previous.close(true);
        }
        sessions.put(registration.id(), session);
        publisher.publish(session);
        LOG.log(System.Logger.Level.INFO, "appliance " + registration.id() + (previous == null ? " registered" : " registered again")
                + " by " + principal + " for hosts " + registration.hosts());
        return session.status();
    }

    @Override
    public synchronized List<ApplianceStatus> appliances() {
        return sessions.values().stream().map(ApplianceTarget::status).toList();
    }

    @Override
    public synchronized Optional<ApplianceStatus> appliance(String id) {
        return Optional.ofNullable(sessions.get(id)).map(ApplianceTarget::status);
    }

    @Override
    public synchronized boolean deregister(String id) {
        ApplianceTarget session = sessions.remove(id);
        if (session == null) {
            return false;
        }
        publisher.withdraw(session);
        session.close(false);
        LOG.log(System.Logger.Level.INFO, "appliance " + id + " deregistered");
        return true;
    }

    @Override
    public Optional<RuleSetUpdate> poll(String id, String principal, String session, long after, Duration wait)
            throws InterruptedException {
        Duration bounded = wait.isNegative() ? Duration.ZERO : wait.compareTo(maxWait) > 0 ? maxWait : wait;
        return session(id, principal, session).poll(after, bounded);
    }

    @Override
    public void acknowledge(String id, String principal, String session, Acknowledgement acknowledgement) {
        session(id, principal, session).acknowledge(acknowledgement);
    }

    @Override
    public Duration maxWait() {
        return maxWait;
    }

    /** Marks the appliances silent for longer than the lease unreachable. */
    public void expireLeases() {
        List<ApplianceTarget> all;
        synchronized (this) {
            all = List.copyOf(sessions.values());
        }
        for (ApplianceTarget session : all) {
            if (session.expireIfSilent(lease)) {
                LOG.log(System.Logger.Level.WARNING, "enforcement target " + session.descriptor().id()
                        + ": the appliance let its lease of " + lease + " run out, it is unreachable");
            }
        }
    }

    /** Withdraws every session (the manager is going away). */
    public synchronized void close() {
        List.copyOf(sessions.keySet()).forEach(this::deregister);
    }

    private synchronized ApplianceTarget session(String id, String principal, String sessionId) {
        ApplianceTarget session = sessions.get(id);
        if (session == null) {
            throw new ApplianceException(Reason.UNKNOWN_APPLIANCE, "no appliance is registered as " + id);
        }
        if (!session.owner().equals(principal)) {
            throw notOwner(id, principal);
        }
        if (sessionId != null && !sessionId.equals(session.session())) {
            throw new ApplianceException(Reason.SESSION_ENDED, "session " + sessionId + " of appliance " + id
                    + " ended: the appliance registered again since (session " + session.session() + ", "
                    + session.status().registeredAt() + "); this process should stop");
        }
        return session;
    }

    private static ApplianceException notOwner(String id, String principal) {
        return new ApplianceException(Reason.NOT_OWNER, "appliance " + id + " was registered by another user than "
                + principal);
    }
}
