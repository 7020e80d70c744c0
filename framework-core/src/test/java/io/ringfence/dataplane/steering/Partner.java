package io.ringfence.dataplane.steering;

import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.Verdict;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A partner's inspection function for tests: answers what {@link #behavior} says (which may throw, return
 * null or hang until the test ends), records each call in a log shared by the functions of a test
 * ({@code name:SIDE}) and keeps its sessions, checking the contract the runtime owes it: a session is
 * never called concurrently with itself, never after close, and closed at most once. Its profile schema
 * takes one optional {@code mode} parameter, {@code strict} or {@code lenient}.
 */
final class Partner implements InspectionService {

    static final ProfileSchema SCHEMA = ProfileSchema.of(
            ProfileParameter.string("mode", "how hard to look", "strict").allowing("strict", "lenient"));

    /** What a session answers to a packet. */
    volatile Function<InspectedPacket, Verdict> behavior = p -> Verdict.PASS;

    final String name;
    final InspectionDescriptor descriptor;
    final Queue<Session> sessions = new ConcurrentLinkedQueue<>();
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Queue<String> log;
    private final CountDownLatch hang;

    Partner(String name, String version, Queue<String> log, CountDownLatch hang) {
        this.name = name;
        this.descriptor = new InspectionDescriptor("acme", name, version, name + " for tests", SCHEMA, false, false);
        this.log = log;
        this.hang = hang;
    }

    String definitionId() {
        return descriptor.definitionId();
    }

    /** A behavior that blocks until the test ends, then passes. */
    Function<InspectedPacket, Verdict> hangs() {
        return p -> {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Verdict.PASS;
        };
    }

    @Override
    public InspectionDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
        Session s = new Session(flow, profile);
        sessions.add(s);
        return s;
    }

    /** The sessions opened for the flow the data plane calls {@code flowId}. */
    List<Session> sessionsOf(long flowId) {
        return sessions.stream().filter(s -> s.flow.flowId() == flowId).toList();
    }

    /** One session. */
    final class Session implements InspectionSession {
        final FlowContext flow;
        final Profile profile;
        final AtomicInteger packets = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        private final AtomicBoolean inCall = new AtomicBoolean();

        private Session(FlowContext flow, Profile profile) {
            this.flow = flow;
            this.profile = profile;
        }

        @Override
        public Verdict inspect(InspectedPacket packet) {
            if (!inCall.compareAndSet(false, true)) {
                violations.add("inspect concurrently with another call on flow " + flow.flowId());
            }
            try {
                if (closes.get() > 0) {
                    violations.add("inspect after close on flow " + flow.flowId());
                }
                packets.incrementAndGet();
                log.add(name + ":" + packet.side());
                return behavior.apply(packet);
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void close() {
            if (closes.incrementAndGet() > 1) {
                violations.add("closed twice on flow " + flow.flowId());
            }
        }
    }
}
