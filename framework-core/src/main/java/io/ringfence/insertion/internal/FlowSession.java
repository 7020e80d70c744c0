package io.ringfence.insertion.internal;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.HopResult;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One flow steered through one chain: its hops (one {@link HopSession} per profile, shared by the
 * forward and reverse paths) and the lock that makes the flow's packets, and the moves of its
 * sessions when an instance leaves, happen one at a time.
 *
 * <h2>Locking</h2>
 * One lock per flow. A packet holds it while it goes through its path; an instance that leaves takes
 * it to move this flow's session off, flow after flow. The lock is never held while waiting for
 * anything but partner calls, each bounded by the deadline, so a waiter waits a bounded time; packets
 * of other flows never wait for it. Nothing else is locked while it is held (the registry is read
 * from an immutable snapshot), so there is no lock order to get wrong.
 */
final class FlowSession implements ChainSession {

    private static final System.Logger LOG = System.getLogger(FlowSession.class.getName());

    private final FunctionRegistry registry;
    private final ChainSpec chain;
    private final FlowContext flow;
    private final Counters.Chain counters;
    private final HopSession[] forward;
    private final HopSession[] reverse;
    private final HopSession[] hops;
    private final long deadlineNanos;
    private final Verdict policyVerdict;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean rejected; // guarded by lock
    private boolean closed;   // guarded by lock

    FlowSession(FunctionRegistry registry, ChainSpec chain, FlowContext flow, Counters.Chain counters) {
        this.registry = registry;
        this.chain = chain;
        this.flow = flow;
        this.counters = counters;
        this.deadlineNanos = chain.deadline().toNanos();
        this.policyVerdict = chain.failurePolicy().verdict();
        Map<String, HopSession> byProfile = new LinkedHashMap<>();
        this.forward = path(chain.forward(), byProfile);
        this.reverse = path(chain.reverse(), byProfile);
        this.hops = byProfile.values().toArray(HopSession[]::new);
        counters.sessionOpened();
    }

    private HopSession[] path(List<ChainHop> path, Map<String, HopSession> byProfile) {
        return path.stream().map(h -> byProfile.computeIfAbsent(h.profileId(), id -> new HopSession(this, h)))
                .toArray(HopSession[]::new);
    }

    @Override
    public ChainVerdict process(InspectedPacket packet) {
        long start = System.nanoTime();
        ChainVerdict verdict;
        try {
            lock.lock();
            try {
                verdict = decide(packet);
            } finally {
                lock.unlock();
            }
        } catch (Throwable t) { // a bug of ours must not reach the data plane either
            LOG.log(System.Logger.Level.ERROR, "steering flow " + flow.flowId() + " through chain " + chain.chainId()
                    + " failed: the failure policy decides the packet", t);
            verdict = new ChainVerdict(policyVerdict, List.of());
        }
        counters.packet(verdict.verdict(), System.nanoTime() - start);
        return verdict;
    }

    private ChainVerdict decide(InspectedPacket packet) {
        if (closed) {
            return new ChainVerdict(policyVerdict, List.of());
        }
        if (rejected) {
            return new ChainVerdict(Verdict.REJECT, List.of());
        }
        HopSession[] path = packet.side() == PacketSide.REPLY ? reverse : forward;
        List<HopResult> results = new ArrayList<>(path.length);
        Verdict verdict = Verdict.PASS;
        for (HopSession hop : path) {
            HopResult r = hop.process(packet);
            results.add(r);
            counters.hop(r.outcome());
            if (r.verdict() == Verdict.DROP) {
                verdict = Verdict.DROP;
                break;
            }
            if (r.verdict() == Verdict.REJECT) {
                // the flow ends: no function sees it again, later packets of it are rejected too
                verdict = Verdict.REJECT;
                rejected = true;
                closeHops();
                break;
            }
        }
        if (verdict == Verdict.PASS && allFinished()) {
            verdict = Verdict.PASS_AND_BYPASS;
        }
        return new ChainVerdict(verdict, results);
    }

    private boolean allFinished() {
        for (HopSession h : hops) {
            if (!h.finished()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeHops();
        } finally {
            lock.unlock();
        }
        counters.sessionClosed();
    }

    private void closeHops() {
        for (HopSession h : hops) {
            h.close();
        }
    }

    /** Moves {@code hop}'s session off {@code instance}, which left, under this flow's lock. */
    void leave(HopSession hop, FunctionInstance instance) {
        lock.lock();
        try {
            hop.leave(instance);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "moving flow " + flow.flowId() + " off " + instance + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    FunctionRegistry registry() {
        return registry;
    }

    FlowContext context() {
        return flow;
    }

    long flowId() {
        return flow.flowId();
    }

    String chainId() {
        return chain.chainId();
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    FailurePolicy policy() {
        return chain.failurePolicy();
    }

    /** True when the failure policy drops packets (BLOCK). */
    boolean blocks() {
        return chain.failurePolicy() == FailurePolicy.BLOCK;
    }

    Verdict policyVerdict() {
        return policyVerdict;
    }
}
