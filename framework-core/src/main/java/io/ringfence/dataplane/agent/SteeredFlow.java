package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.conntrack.FlowAttachment;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.spi.inspection.PacketSide;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One flow steered through one service chain at one vNIC: attached to the flow in the connection
 * tracker, so that every allowed packet of the flow finds it, and told when the flow is removed,
 * whatever removes it, to close the flow's chain session.
 *
 * <p>Thread-safe; packets of the flow may come from several threads.
 *
 * @since 0.4.0
 */
@ConsumerType
public interface SteeredFlow extends FlowAttachment {

    /**
     * The flow ended: the tracker removed it, or the agent did not create it after all (its opening
     * packet was rejected, or another thread's flow held the tuple). Closes the chain session; later
     * packets get the chain's failure policy. Idempotent.
     */
    @Override
    void flowRemoved();

    /** The chain the flow is steered through. */
    String chainId();

    /**
     * Decides one packet of the flow that the firewall allowed: the chain's forward path for the
     * initiator's packets ({@link PacketSide#ORIGINAL}), its reverse path for replies. After a
     * PASS_AND_BYPASS the session is closed and every later packet gets PASS_AND_BYPASS without any
     * function being called; after the flow was removed, later packets get the chain's failure policy.
     *
     * @return the chain's verdict; never null, and nothing partner code does reaches the caller
     */
    ChainVerdict process(Packet packet, PacketSide side);

    /**
     * What the chain would make of {@code packet} of this flow, for traceflow: found in throwaway
     * sessions (the flow's own session is not touched), counting nothing. Partner functions do see it.
     */
    SteeringTrace trace(Packet packet, PacketSide side);
}
