package io.ringfence.insertion.internal;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Verdict;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One packet through a chain in throwaway sessions, for traceflow: each hop the packet reaches opens a
 * session on the newest instance accepting flows, inspects the packet once and closes the session, each
 * call with the chain's deadline and on the instance's threads, as for traffic.
 *
 * <p>A trace is not traffic: nothing is counted (chain or instance), no circuit breaker moves, no
 * session of a real flow is touched, and what the sessions report to their alert sink is dropped. The
 * functions do see the packet, though, as the first packet of a flow of their own: there is no other
 * way to learn their verdict.
 */
final class ChainTrace {

    private static final System.Logger LOG = System.getLogger(ChainTrace.class.getName());

    /** Where a traced session's alerts go: nowhere, since the packet is synthetic. */
    private static final AlertSink DROP_ALERTS = alert -> {
        if (alert == null) {
            throw new IllegalArgumentException("null alert");
        }
    };

    private ChainTrace() {
    }

    /** The chain's verdict on {@code packet}, as {@link io.ringfence.insertion.ChainSession#process} would give it. */
    static ChainVerdict trace(FunctionRegistry registry, ChainSpec chain, FlowContext flow, InspectedPacket packet) {
        Verdict policy = chain.failurePolicy().verdict();
        long deadline = chain.deadline().toNanos();
        List<HopResult> results = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        Verdict verdict = Verdict.PASS;
        for (ChainHop hop : packet.side() == PacketSide.REPLY ? chain.reverse() : chain.forward()) {
            HopResult r = hop(registry, hop, flow, packet, deadline, policy);
            results.add(r);
            boolean failedOpen = r.outcome().underFailurePolicy() && r.outcome() != HopOutcome.MISSING_INSTANCE
                    && policy == Verdict.PASS;
            if (r.verdict() == Verdict.PASS_AND_BYPASS || failedOpen) {
                finished.add(hop.profileId());
            }
            if (r.verdict() == Verdict.DROP || r.verdict() == Verdict.REJECT) {
                verdict = r.verdict();
                break;
            }
        }
        // as for a flow: the packet bypasses when no hop of either path would inspect the flow again
        if (verdict == Verdict.PASS && allFinished(chain, finished)) {
            verdict = Verdict.PASS_AND_BYPASS;
        }
        return new ChainVerdict(verdict, results);
    }

    private static boolean allFinished(ChainSpec chain, Set<String> finished) {
        for (List<ChainHop> path : List.of(chain.forward(), chain.reverse())) {
            for (ChainHop hop : path) {
                if (!finished.contains(hop.profileId())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static HopResult hop(FunctionRegistry registry, ChainHop hop, FlowContext flow, InspectedPacket packet,
                                 long deadline, Verdict policy) {
        if (!hop.usable()) {
            return new HopResult(hop.profileId(), hop.definitionId(), null, HopOutcome.INVALID_PROFILE, policy);
        }
        FunctionInstance on = registry.newestAccepting(hop.definitionId());
        if (on == null) {
            return new HopResult(hop.profileId(), hop.definitionId(), null, HopOutcome.MISSING_INSTANCE, policy);
        }
        on.hold(); // the instance keeps its threads until the throwaway session is closed
        PartnerCalls.Call<InspectionSession> opened = on.calls().call(
                () -> on.service().open(flow, hop.profile(), DROP_ALERTS), deadline, late -> closeAndRelease(on, late));
        HopOutcome failed = switch (opened.outcome()) {
            case RETURNED -> opened.value() == null ? HopOutcome.NULL_VERDICT : null;
            case THREW -> HopOutcome.EXCEPTION;
            case TIMED_OUT, OVERLOADED -> HopOutcome.DEADLINE;
            case GONE -> HopOutcome.MISSING_INSTANCE;
        };
        if (failed != null) {
            if (opened.outcome() != PartnerCalls.Call.Outcome.TIMED_OUT) {
                on.release(); // no session came of it (a late one is closed by the abandoned call)
            }
            return new HopResult(hop.profileId(), hop.definitionId(),
                    failed == HopOutcome.MISSING_INSTANCE ? null : on.version(), failed, policy);
        }
        InspectionSession session = opened.value();
        InspectedPacket view = new InspectedPacket(packet.side(), packet.tcpFlags(), packet.tcpSequence(),
                packet.length(), readOnly(packet.payload()));
        PartnerCalls.Call<Verdict> inspected = on.calls().call(() -> session.inspect(view), deadline,
                ignored -> closeAndRelease(on, session));
        if (inspected.outcome() != PartnerCalls.Call.Outcome.TIMED_OUT
                && !on.calls().submit(() -> closeAndRelease(on, session))) {
            on.release();
        }
        return switch (inspected.outcome()) {
            case RETURNED -> inspected.value() == null
                    ? new HopResult(hop.profileId(), hop.definitionId(), on.version(), HopOutcome.NULL_VERDICT, policy)
                    : new HopResult(hop.profileId(), hop.definitionId(), on.version(), HopOutcome.INSPECTED,
                    inspected.value());
            case THREW -> new HopResult(hop.profileId(), hop.definitionId(), on.version(), HopOutcome.EXCEPTION,
                    policy);
            case TIMED_OUT, OVERLOADED, GONE -> new HopResult(hop.profileId(), hop.definitionId(), on.version(),
                    HopOutcome.DEADLINE, policy);
        };
    }

    private static ByteBuffer readOnly(ByteBuffer payload) {
        return payload == null ? null : payload.asReadOnlyBuffer();
    }

    /** Closes a throwaway session (on the instance's threads) and lets go of the instance. */
    private static void closeAndRelease(FunctionInstance on, InspectionSession session) {
        try {
            if (session != null) {
                session.close();
            }
        } catch (Throwable t) { // partner code
            LOG.log(System.Logger.Level.WARNING, "a traced inspection session of " + on + " failed to close", t);
        } finally {
            on.release();
        }
    }
}
