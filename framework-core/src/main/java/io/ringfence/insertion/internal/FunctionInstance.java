package io.ringfence.insertion.internal;

import io.ringfence.insertion.ServiceInstance;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registered {@link InspectionService}: its descriptor (read once), the threads that call it
 * (one pool for sessions, one thread for health polls, so that a busy or hung function cannot hide
 * its health and a hung {@code health()} cannot take a session's thread), its cached health, circuit
 * breaker and counters, and the sessions pinned to it (to move them when it leaves).
 *
 * <p>When it leaves, its session threads stop only once nothing holds them: every session it opened
 * (and every open in flight) holds them until its {@code close()} ran, so that a session
 * opened while it was leaving can still be closed properly.
 */
final class FunctionInstance {

    private final InspectionService service;
    private final InspectionDescriptor descriptor;
    private final long serviceId;
    private final int ranking;
    private final PartnerCalls calls;
    private final ExecutorService healthThread;
    private final CircuitBreaker breaker;
    private final Counters.Function counters = new Counters.Function();
    private final Set<HopSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger holds = new AtomicInteger();
    private volatile Health health = Health.UP;
    private volatile boolean removed;
    private Future<Health> healthPoll; // guarded by this

    FunctionInstance(InspectionService service, InspectionDescriptor descriptor, long serviceId, int ranking,
                     PartnerCalls calls, ExecutorService healthThread, CircuitBreaker breaker) {
        this.service = service;
        this.descriptor = descriptor;
        this.serviceId = serviceId;
        this.ranking = ranking;
        this.calls = calls;
        this.healthThread = healthThread;
        this.breaker = breaker;
    }

    InspectionService service() {
        return service;
    }

    InspectionDescriptor descriptor() {
        return descriptor;
    }

    String definitionId() {
        return descriptor.definitionId();
    }

    String version() {
        return descriptor.version();
    }

    long serviceId() {
        return serviceId;
    }

    int ranking() {
        return ranking;
    }

    PartnerCalls calls() {
        return calls;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    Counters.Function counters() {
        return counters;
    }

    Health health() {
        return health;
    }

    /** Caches a polled health; true when it changed. */
    boolean health(Health polled) {
        Health before = health;
        health = polled;
        return before != polled;
    }

    /**
     * Starts a health poll on the health thread unless one is still running (a hung {@code health()}
     * is waited for again, never piled up); the poll's future.
     */
    synchronized Future<Health> pollHealth() {
        if (healthPoll == null || healthPoll.isDone()) {
            try {
                healthPoll = healthThread.submit(service::health);
            } catch (RejectedExecutionException gone) {
                return CompletableFuture.completedFuture(Health.DOWN);
            }
        }
        return healthPoll;
    }

    /** True when new flows may come here: registered, not DOWN, breaker closed. */
    boolean acceptsFlows() {
        return !removed && health != Health.DOWN && !breaker.isOpen();
    }

    boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    void attach(HopSession session) {
        sessions.add(session);
    }

    void detach(HopSession session) {
        sessions.remove(session);
    }

    long sessionsOpen() {
        return sessions.size();
    }

    /**
     * Moves every session pinned here off (it left): each exports its state and is closed, one at a
     * time under its own flow's lock, so that only the flow being moved waits.
     *
     * @return the sessions moved
     */
    int evacuate() {
        List<HopSession> pinned = List.copyOf(sessions);
        for (HopSession s : pinned) {
            s.flow().leave(s, this);
        }
        return pinned.size();
    }

    /** A session, or an open in flight, needs the session threads. */
    void hold() {
        holds.incrementAndGet();
    }

    /** ...no longer; the last release after the instance left stops the threads. */
    void release() {
        // with markRemoved then retire(): each side writes then reads the other's variable, so at least
        // one of them sees both the removal and no holds
        if (holds.decrementAndGet() == 0 && removed) {
            calls.shutdown();
        }
    }

    /** It left and its sessions moved off: the threads stop now, or at the last release. */
    void retire() {
        healthThread.shutdownNow();
        if (holds.get() == 0) {
            calls.shutdown();
        }
    }

    /** Stops the threads now (the runtime closes): queued calls still run, hung calls keep their thread. */
    void shutdown() {
        calls.shutdown();
        healthThread.shutdownNow();
    }

    ServiceInstance describe() {
        boolean open = breaker.isOpen();
        return new ServiceInstance(serviceId, version(), health, open, !removed && health != Health.DOWN && !open,
                descriptor.exportsState(), descriptor.importsState(), sessionsOpen());
    }

    @Override
    public String toString() {
        return definitionId() + " " + version() + " (service " + serviceId + ")";
    }
}
