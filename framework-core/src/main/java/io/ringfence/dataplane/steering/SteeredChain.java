package io.ringfence.dataplane.steering;

import io.ringfence.dataplane.agent.SteeredFlow;
import io.ringfence.dataplane.agent.SteeringTrace;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Verdict;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One flow at one vNIC steered through one chain, with what was decided when the flow was created
 * (the chain's spec, the redirection rule, the VM): later changes of the redirection policy or of the
 * chain apply to new flows only.
 *
 * <h2>Life</h2>
 * Its chain session is opened by the flow's opening packet, which goes through the chain before the
 * flow is created. It ends once: at PASS_AND_BYPASS (the functions are done with the flow), when the
 * tracker removes the flow, or when the flow is not created after all, whichever comes first; ending
 * closes the session. Later packets (packets racing the end of their flow) get PASS_AND_BYPASS after a
 * bypass, else the chain's failure policy from the closed session, without any function being called.
 *
 * <h2>Locking</h2>
 * Its monitor orders the opening, the packets and the end, so that a session is never opened after the
 * flow ended nor closed under a packet; the session itself lets one packet at a time through anyway,
 * so the monitor adds no waiting a packet would not have had. It is never held while the tracker's
 * locks are taken.
 */
final class SteeredChain implements SteeredFlow {

    private static final System.Logger LOG = System.getLogger(SteeredChain.class.getName());

    private final ServiceInsertion insertion;
    private final ChainSpec spec;
    private final ChainSelection selection;
    private final FlowContext flow;
    private final LongSupplier flowIds;
    private ChainSession session; // guarded by this
    private boolean ended;        // guarded by this
    private boolean bypassed;     // guarded by this

    /**
     * @param flow    the flow as the functions see it
     * @param flowIds ids for the throwaway flows of traces
     */
    SteeredChain(ServiceInsertion insertion, ChainSpec spec, ChainSelection selection, FlowContext flow,
                 LongSupplier flowIds) {
        this.insertion = insertion;
        this.spec = spec;
        this.selection = selection;
        this.flow = flow;
        this.flowIds = flowIds;
    }

    @Override
    public String chainId() {
        return spec.chainId();
    }

    @Override
    public synchronized ChainVerdict process(Packet packet, PacketSide side) {
        if (bypassed) {
            return new ChainVerdict(Verdict.PASS_AND_BYPASS, List.of());
        }
        if (ended && session == null) {
            return new ChainVerdict(policyVerdict(), List.of()); // ended before its first packet: opens nothing
        }
        ChainVerdict decided;
        try {
            if (session == null) {
                session = insertion.open(spec, flow);
            }
            // a closed session answers with the failure policy, and counts the packet for the chain
            decided = session.process(PartnerViews.packet(packet, side));
        } catch (RuntimeException e) { // the runtime never throws from process; a bug must not reach the data plane
            LOG.log(System.Logger.Level.ERROR, "steering flow " + flow.flowId() + " through chain " + spec.chainId()
                    + " failed: the failure policy decides it", e);
            return new ChainVerdict(policyVerdict(), List.of());
        }
        if (decided.verdict() == Verdict.PASS_AND_BYPASS) {
            bypassed = true;
            end();
        }
        return decided;
    }

    @Override
    public synchronized void flowRemoved() {
        end();
    }

    private void end() {
        if (!ended) {
            ended = true;
            if (session != null) {
                session.close();
            }
        }
    }

    /** Through throwaway sessions of a copy of the flow with an id of its own: the flow's session is untouched. */
    @Override
    public SteeringTrace trace(Packet packet, PacketSide side) {
        FlowContext throwaway = new FlowContext(flowIds.getAsLong(), flow.vnicId(), flow.direction(), flow.vmId(),
                flow.vmName(), flow.vmTags(), flow.protocol(), flow.source(), flow.sourcePort(), flow.destination(),
                flow.destinationPort());
        return SteeringTrace.of(selection.policyId(), selection.ruleId(), spec.chainId(),
                insertion.trace(spec, throwaway, PartnerViews.packet(packet, side)));
    }

    private Verdict policyVerdict() {
        return spec.failurePolicy().verdict();
    }
}
