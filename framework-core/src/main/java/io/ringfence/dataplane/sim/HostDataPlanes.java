package io.ringfence.dataplane.sim;

import io.ringfence.dataplane.agent.HostAgent;
import java.util.Collection;
import java.util.Optional;

/**
 * The data center's host agents as a VM move uses them ({@link VmMover}): each host's agent, the clock its
 * packets are timed with, and a way to keep a VM's packets waiting while its flows change host.
 */
public interface HostDataPlanes {

    /** The agent of a host, if the host is in the model. */
    Optional<HostAgent> agent(String hostId);

    /** The current time of the packet clock (nanoseconds), as the agents are given it. */
    long now();

    /**
     * Holds the packets of the vNICs from now until the hold is closed: a packet for one of them waits before
     * it is routed to a host, and is routed (as the data center then routes it) once the hold is closed.
     * When this returns, no packet of theirs is being decided anywhere. Close it on the thread that took it.
     */
    PacketHold hold(Collection<String> vnicIds);

    /** Packets held; closing lets them go on. */
    interface PacketHold extends AutoCloseable {
        @Override
        void close();
    }
}
