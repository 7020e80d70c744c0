package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The steering of allowed flows through service chains (DESIGN, "How a packet is decided", step 3),
 * as a {@link HostAgent} consults it: once for each new flow the firewall allowed at a vNIC, and for
 * traceflow. The agent holds no chain, redirection policy or partner function itself; an
 * implementation over the redirection table and the service-insertion runtime does.
 *
 * <p>Implementations are thread-safe and never throw: a steering that cannot decide answers null
 * (the flow is not steered) and says why in its own log.
 *
 * @since 0.4.0
 */
@ConsumerType
public interface FlowSteering {

    /**
     * The steering of a new flow that the firewall allowed at {@code vnicId} in {@code direction}, opened
     * by {@code opening}; null when the redirection policy selects no chain for it. Called on the packet
     * path by the packet that opens the flow, which the agent then sends through the chain
     * ({@link SteeredFlow#process}) before it creates the flow; should the flow not be created after all,
     * the agent ends the steering ({@link SteeredFlow#flowRemoved}).
     */
    SteeredFlow steer(String vnicId, Direction direction, Packet opening);

    /**
     * What steering would make of {@code packet}, a new flow the firewall allows at {@code vnicId} in
     * {@code direction}, for traceflow: the chain selected and each hop's verdict, found in throwaway
     * sessions that count nothing; null when no chain is selected. Partner functions do see the packet.
     */
    SteeringTrace trace(String vnicId, Direction direction, Packet packet);
}
