package io.ringfence.insertion.internal;

import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.SessionState;
import io.ringfence.spi.inspection.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A scriptable inspection function that checks the contract the runtime owes it: a session is never
 * called concurrently with itself, never after close() or exportState(), and closed at most once.
 * What it sees is recorded; {@link #violations} must stay empty.
 */
final class FakeFunction implements InspectionService {

    /** What a session answers to a packet (may throw, hang on {@link #hang}, return null). */
    volatile BiFunction<FakeSession, InspectedPacket, Verdict> behavior = (s, p) -> Verdict.PASS;
    /** Run by open() when set, before it opens. */
    volatile Runnable onOpen;
    /** Thrown by open() when set. */
    volatile RuntimeException openFails;
    /** Thrown by resume() when set (the runtime then opens fresh). */
    volatile RuntimeException resumeFails;
    /** Reported by health(); null reports null. */
    volatile Health health = Health.UP;
    /** When set, health() hangs. */
    volatile boolean healthHangs;
    /** When set, exportState() hangs. */
    volatile boolean exportHangs;

    final InspectionDescriptor descriptor;
    final Queue<FakeSession> sessions = new ConcurrentLinkedQueue<>();
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final CountDownLatch hang;
    private final Queue<String> trace;

    FakeFunction(String name, String version, boolean exportsState, boolean importsState, CountDownLatch hang,
                 Queue<String> trace) {
        this.descriptor = new InspectionDescriptor("acme", name, version, name + " for tests", ProfileSchema.EMPTY,
                exportsState, importsState);
        this.hang = hang;
        this.trace = trace;
    }

    String id() {
        return descriptor.definitionId();
    }

    /** Blocks the calling thread until the test ends. */
    void hang() {
        try {
            hang.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public InspectionDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
        if (onOpen != null) {
            onOpen.run();
        }
        if (openFails != null) {
            throw openFails;
        }
        FakeSession s = new FakeSession(flow, profile, alerts, null);
        sessions.add(s);
        return s;
    }

    @Override
    public InspectionSession resume(FlowContext flow, Profile profile, AlertSink alerts, SessionState state) {
        if (!descriptor.importsState()) {
            violations.add("resume() called although the function does not import state");
        }
        if (resumeFails != null) {
            throw resumeFails;
        }
        FakeSession s = new FakeSession(flow, profile, alerts, state);
        sessions.add(s);
        return s;
    }

    @Override
    public Health health() {
        if (healthHangs) {
            hang();
        }
        return health;
    }

    List<FakeSession> sessionsOf(long flowId) {
        List<FakeSession> out = new ArrayList<>();
        sessions.forEach(s -> {
            if (s.flow.flowId() == flowId) {
                out.add(s);
            }
        });
        return out;
    }

    long openSessions() {
        return sessions.stream().filter(s -> s.closes.get() == 0).count();
    }

    /** One session of the fake function. */
    final class FakeSession implements InspectionSession {
        final FlowContext flow;
        final Profile profile;
        final AlertSink alerts;
        final SessionState resumedFrom;
        final AtomicInteger packets = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        private final AtomicBoolean inCall = new AtomicBoolean();
        private volatile boolean exported;

        private FakeSession(FlowContext flow, Profile profile, AlertSink alerts, SessionState resumedFrom) {
            this.flow = flow;
            this.profile = profile;
            this.alerts = alerts;
            this.resumedFrom = resumedFrom;
        }

        @Override
        public Verdict inspect(InspectedPacket packet) {
            enter("inspect");
            try {
                packets.incrementAndGet();
                if (trace != null) {
                    trace.add(descriptor.name() + ":" + packet.side());
                }
                return behavior.apply(this, packet);
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public Optional<SessionState> exportState() {
            enter("exportState");
            try {
                if (exportHangs) {
                    hang();
                }
                exported = true;
                return Optional.of(new SessionState("fake/1",
                        (flow.flowId() + ":" + packets.get()).getBytes(StandardCharsets.UTF_8)));
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void close() {
            if (inCall.get()) {
                violations.add("close() during a call on flow " + flow.flowId());
            }
            if (closes.incrementAndGet() > 1) {
                violations.add("closed twice on flow " + flow.flowId());
            }
        }

        private void enter(String what) {
            if (!inCall.compareAndSet(false, true)) {
                violations.add(what + " concurrently with another call on flow " + flow.flowId());
            }
            if (closes.get() > 0) {
                violations.add(what + " after close() on flow " + flow.flowId());
            }
            if (exported) {
                violations.add(what + " after exportState() on flow " + flow.flowId());
            }
        }

        /** The exported state this session was resumed from, as text ("flowId:packets"). */
        String resumedFromText() {
            return resumedFrom == null ? null : new String(resumedFrom.data(), StandardCharsets.UTF_8);
        }
    }
}
