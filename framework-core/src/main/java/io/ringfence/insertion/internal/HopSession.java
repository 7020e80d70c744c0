package io.ringfence.insertion.internal;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.SessionState;
import io.ringfence.spi.inspection.Verdict;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One hop of one flow: the session of a function that inspects the flow at this hop, through its
 * life. Every method runs under the flow's lock ({@link FlowSession}), from a packet thread or from
 * the thread removing an instance, so a session is never called concurrently with itself and each
 * packet sees one consistent state.
 *
 * <pre>
 *   PARKED ──pin──▶ PINNED ──PASS_AND_BYPASS──▶ BYPASSED
 *     ▲  │            │  └──throws, hangs, null──▶ FAILED
 *     │  └─fails─▶ FAILED
 *     └──instance left (state exported)──┘          any ──flow closed──▶ CLOSED
 * </pre>
 *
 * A hop starts PARKED (FAILED when its profile is unusable, {@link ChainHop#unusable}): its session
 * is opened lazily, on the first packet that reaches it, on the newest instance accepting flows.
 * When that instance leaves, the session exports its state and is closed, and the hop is PARKED
 * again with that state: the next packet resumes it on the newest instance then, with the state if
 * that instance imports state. While no instance accepts flows, a PARKED hop applies the failure
 * policy to each packet. A FAILED hop applies it for good.
 *
 * <p>Every session opened holds its instance ({@link FunctionInstance#hold()}) until its close ran on
 * the instance's threads, so that an instance that leaves keeps its threads until the last session
 * it opened is closed, even one opened while it was leaving or one whose close waited for room.
 */
final class HopSession {

    private static final System.Logger LOG = System.getLogger(HopSession.class.getName());

    /** How often a packet tries to pin the hop when the instances it picks keep leaving under it. */
    private static final int PIN_ATTEMPTS = 3;

    private enum State { PARKED, PINNED, BYPASSED, FAILED, CLOSED }

    /** Who closes a session let go of. */
    private enum Closing {
        /** Closed now, on the instance's threads. */
        NOW,
        /** The abandoned call that holds it closes it when it returns. */
        BY_ABANDONED_CALL,
        /** Nobody: the instance's threads are gone (the runtime closed). */
        NEVER
    }

    private final FlowSession flow;
    private final ChainHop hop;
    private State state;
    private FunctionInstance instance;     // PINNED
    private InspectionSession session;     // PINNED
    private SessionAlerts alerts;          // PINNED
    private Consumer<Object> closeLate;    // PINNED: what an abandoned call on the session does when it returns
    private SessionState carried;          // PARKED: what the instance that left exported
    private String version;                // of the instance the hop is or was on, for traceflow

    HopSession(FlowSession flow, ChainHop hop) {
        this.flow = flow;
        this.hop = hop;
        // a hop without a valid profile never calls a function: under the failure policy from the start
        this.state = hop.usable() ? State.PARKED : State.FAILED;
    }

    FlowSession flow() {
        return flow;
    }

    /** True when no packet will go to a function at this hop again. */
    boolean finished() {
        return state == State.BYPASSED || state == State.CLOSED || state == State.FAILED && !flow.blocks();
    }

    /** This hop's verdict on a packet, never null; calls partner code only through the instance's threads. */
    HopResult process(InspectedPacket packet) {
        switch (state) {
            case BYPASSED:
                return result(HopOutcome.BYPASSED, Verdict.PASS);
            case FAILED:
                return underPolicy(hop.usable() ? HopOutcome.ABANDONED : HopOutcome.INVALID_PROFILE);
            case CLOSED:
                return underPolicy(HopOutcome.ABANDONED);
            default:
                break;
        }
        if (state == State.PINNED && instance.removed()) {
            leave(instance);
        }
        if (state == State.PARKED) {
            HopOutcome failed = pin();
            if (failed != null) {
                return underPolicy(failed);
            }
        }
        return inspect(packet);
    }

    private HopResult inspect(InspectedPacket packet) {
        FunctionInstance on = instance;
        InspectionSession s = session;
        InspectedPacket view = view(packet);
        PartnerCalls.Call<Verdict> call = on.calls().call(() -> s.inspect(view), flow.deadlineNanos(), closeLate);
        switch (call.outcome()) {
            case RETURNED -> {
                on.counters().inspected(call.nanos());
                Verdict v = call.value();
                if (v == null) {
                    return fail(on, HopOutcome.NULL_VERDICT, null, Closing.NOW);
                }
                on.breaker().success();
                on.counters().verdict(v);
                if (v == Verdict.PASS_AND_BYPASS) {
                    unpin(Closing.NOW);
                    state = State.BYPASSED;
                }
                return result(HopOutcome.INSPECTED, v);
            }
            case THREW -> {
                on.counters().inspected(call.nanos());
                return fail(on, HopOutcome.EXCEPTION, call.error(), Closing.NOW);
            }
            case TIMED_OUT -> {
                on.counters().inspected(call.nanos());
                return fail(on, HopOutcome.DEADLINE, null, Closing.BY_ABANDONED_CALL);
            }
            case OVERLOADED -> {
                return fail(on, HopOutcome.DEADLINE, null, Closing.NOW);
            }
            default -> {
                // GONE: only once the whole runtime closed (a session holds its instance's threads)
                unpin(Closing.NEVER);
                state = State.PARKED;
                version = null;
                return underPolicy(HopOutcome.MISSING_INSTANCE);
            }
        }
    }

    /**
     * A call failed: the session (if one was opened) is abandoned for good, the flow under the failure
     * policy at this hop.
     */
    private HopResult fail(FunctionInstance on, HopOutcome why, Throwable error, Closing closing) {
        on.counters().failure(why);
        trip(on);
        LOG.log(System.Logger.Level.WARNING, "inspection function " + on + " failed on flow " + flow.flowId()
                + " (" + why + ", chain " + flow.chainId() + ", profile " + hop.profileId() + "): the hop is abandoned, "
                + flow.policy() + " from now on", error);
        if (instance != null) {
            unpin(closing);
        }
        version = on.version();
        carried = null;
        state = State.FAILED;
        return underPolicy(why);
    }

    private void trip(FunctionInstance on) {
        if (on.breaker().failure()) {
            LOG.log(System.Logger.Level.WARNING, "inspection function " + on + " failed "
                    + flow.registry().config().breakerThreshold() + " calls in a row: no new flows for "
                    + flow.registry().config().breakerCoolDown());
        }
    }

    /**
     * Opens (or resumes) the hop's session on the newest instance accepting flows.
     *
     * @return null when pinned, else why not: MISSING_INSTANCE (stays PARKED), or a failure (FAILED)
     */
    private HopOutcome pin() {
        for (int attempt = 0; attempt < PIN_ATTEMPTS; attempt++) {
            FunctionInstance candidate = flow.registry().newestAccepting(hop.definitionId());
            if (candidate == null) {
                return HopOutcome.MISSING_INSTANCE;
            }
            SessionAlerts sink = new SessionAlerts(flow.registry().alertLog(hop.definitionId()), flow.registry().clock(),
                    hop.definitionId(), candidate.version(), flow.chainId(), hop.profileId(), flow.context());
            candidate.hold();
            PartnerCalls.Call<InspectionSession> opened = start(candidate, sink);
            PartnerCalls.Call.Outcome outcome = opened.outcome();
            if (outcome != PartnerCalls.Call.Outcome.TIMED_OUT
                    && (outcome != PartnerCalls.Call.Outcome.RETURNED || opened.value() == null)) {
                candidate.release(); // no session came of it (a late one is closed by the abandoned call)
            }
            switch (outcome) {
                case GONE -> {
                    continue; // it left since we picked it: pick again
                }
                case RETURNED -> {
                    if (opened.value() == null) {
                        fail(candidate, HopOutcome.NULL_VERDICT, null, Closing.NOW);
                        return HopOutcome.NULL_VERDICT;
                    }
                }
                case THREW -> {
                    fail(candidate, HopOutcome.EXCEPTION, opened.error(), Closing.NOW);
                    return HopOutcome.EXCEPTION;
                }
                default -> {
                    fail(candidate, HopOutcome.DEADLINE, null, Closing.NOW);
                    return HopOutcome.DEADLINE;
                }
            }
            candidate.breaker().success();
            instance = candidate;
            session = opened.value();
            alerts = sink;
            closeLate = closeWhenReturned(candidate, session, sink);
            version = candidate.version();
            carried = null;
            state = State.PINNED;
            candidate.attach(this);
            if (!candidate.removed()) {
                return null;
            }
            // it left while we opened, perhaps after it moved its sessions: move this one ourselves
            leave(candidate);
        }
        return HopOutcome.MISSING_INSTANCE;
    }

    /** A resume from the carried state if the candidate imports state, falling back to a fresh open. */
    private PartnerCalls.Call<InspectionSession> start(FunctionInstance candidate, SessionAlerts sink) {
        InspectionService service = candidate.service();
        Consumer<InspectionSession> closeLate = late -> {
            closeNow(late, sink);
            candidate.release();
        };
        SessionState exported = carried;
        if (exported != null && candidate.descriptor().importsState()) {
            PartnerCalls.Call<InspectionSession> resumed = candidate.calls().call(
                    () -> service.resume(flow.context(), hop.profile(), sink, exported), flow.deadlineNanos(), closeLate);
            if (resumed.outcome() != PartnerCalls.Call.Outcome.THREW) {
                if (resumed.outcome() == PartnerCalls.Call.Outcome.RETURNED && resumed.value() != null) {
                    candidate.counters().resumed();
                }
                return resumed;
            }
            LOG.log(System.Logger.Level.INFO, "inspection function " + candidate + " refused the state of flow "
                    + flow.flowId() + " (" + exported.format() + "): opening a fresh session", resumed.error());
        }
        PartnerCalls.Call<InspectionSession> opened = candidate.calls().call(
                () -> service.open(flow.context(), hop.profile(), sink), flow.deadlineNanos(), closeLate);
        if (opened.outcome() == PartnerCalls.Call.Outcome.RETURNED && opened.value() != null) {
            candidate.counters().opened();
        }
        return opened;
    }

    /**
     * The instance {@code from} left: if the hop is pinned to it, export the session's state (if the
     * function exports state and its breaker is closed: an instance whose calls keep failing is not
     * waited for session after session), close the session and park the hop with the state.
     */
    void leave(FunctionInstance from) {
        if (state != State.PINNED || instance != from) {
            return;
        }
        SessionState exported = null;
        Closing closing = Closing.NOW;
        if (from.descriptor().exportsState() && !from.breaker().isOpen()) {
            PartnerCalls.Call<Optional<SessionState>> call = from.calls().call(session::exportState, flow.deadlineNanos(),
                    closeLate);
            switch (call.outcome()) {
                case RETURNED -> {
                    if (call.value() == null) {
                        from.counters().failure(HopOutcome.NULL_VERDICT);
                        trip(from);
                    } else {
                        from.breaker().success();
                        exported = call.value().orElse(null);
                        if (exported != null) {
                            from.counters().exported();
                        }
                    }
                }
                case THREW, OVERLOADED -> {
                    from.counters().failure(call.outcome() == PartnerCalls.Call.Outcome.THREW
                            ? HopOutcome.EXCEPTION : HopOutcome.DEADLINE);
                    trip(from);
                    LOG.log(System.Logger.Level.WARNING, "inspection function " + from + " could not export the state"
                            + " of flow " + flow.flowId() + ": it moves without", call.error());
                }
                case TIMED_OUT -> {
                    from.counters().failure(HopOutcome.DEADLINE);
                    trip(from);
                    closing = Closing.BY_ABANDONED_CALL;
                }
                case GONE -> closing = Closing.NEVER;
            }
        }
        unpin(closing);
        state = State.PARKED;
        carried = exported;
        version = null;
    }

    /** The flow ended (or was rejected): closes the session. */
    void close() {
        if (state == State.PINNED) {
            unpin(Closing.NOW);
        }
        carried = null;
        state = State.CLOSED;
    }

    /** Lets go of the instance, and of the session as {@code closing} says. */
    private void unpin(Closing closing) {
        FunctionInstance on = instance;
        InspectionSession s = session;
        SessionAlerts sink = alerts;
        on.detach(this);
        instance = null;
        session = null;
        alerts = null;
        closeLate = null;
        switch (closing) {
            case NOW -> {
                // the close holds the instance until it ran, so that its threads are there to run it
                if (!on.calls().submit(() -> {
                    closeNow(s, sink);
                    on.release();
                })) {
                    sink.invalidate();
                    on.release();
                    LOG.log(System.Logger.Level.WARNING, "inspection function " + on + " has no threads any more:"
                            + " the session of flow " + flow.flowId() + " is dropped without close()");
                }
            }
            case NEVER -> {
                sink.invalidate();
                on.release();
            }
            case BY_ABANDONED_CALL -> {
                // closeWhenReturned does both when the call returns
            }
        }
    }

    /** What an abandoned call on a session does when it returns: close the session and let go of the instance. */
    private static Consumer<Object> closeWhenReturned(FunctionInstance on, InspectionSession s, SessionAlerts sink) {
        return ignored -> {
            closeNow(s, sink);
            on.release();
        };
    }

    /** Closes a session; runs on the instance's threads. */
    private static void closeNow(InspectionSession s, SessionAlerts sink) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (Throwable t) { // partner code
            LOG.log(System.Logger.Level.WARNING, "an inspection session failed to close", t);
        } finally {
            sink.invalidate();
        }
    }

    private HopResult underPolicy(HopOutcome why) {
        return result(why, flow.policyVerdict());
    }

    private HopResult result(HopOutcome outcome, Verdict verdict) {
        return new HopResult(hop.profileId(), hop.definitionId(), version, outcome, verdict);
    }

    /** The packet as this hop's function sees it: its own read-only view of the payload. */
    private static InspectedPacket view(InspectedPacket p) {
        ByteBuffer payload = p.payload();
        return payload == null ? p
                : new InspectedPacket(p.side(), p.tcpFlags(), p.tcpSequence(), p.length(), payload.asReadOnlyBuffer());
    }
}
