package io.ringfence.dataplane.sim;

import io.ringfence.dataplane.agent.HostAgent;
import java.util.Collection;
import java.util.Optional;

/**
 * The data center's host agents as a VM move uses them ({@link VmMover}): each host's agent, the clock its
 * packets are timed with, and handovers, which hold a VM's packets while its flows change host and then send
 * them to the new host before the model says it.
 */
public interface HostDataPlanes {

    /** The agent of a host, if the host is in the model. */
    Optional<HostAgent> agent(String hostId);

    /** The current time of the packet clock (nanoseconds), as the agents are given it. */
    long now();

    /**
     * Starts handing the vNICs over to another host: from now until {@link Handover#release} their packets
     * wait before they are routed. When this returns, no packet of theirs is being decided anywhere. Use the
     * handover on the thread that started it.
     *
     * @throws IllegalStateException when one of them is being handed over already
     */
    Handover handover(Collection<String> vnicIds);

    /** vNICs changing host: their packets held, then sent where the handover says until it is closed. */
    interface Handover extends AutoCloseable {

        /** Holds the packets again; returns once none of them is being decided. */
        void hold();

        /** Lets the held packets go, to {@code hostId}'s agent (null: where the model says). */
        void release(String hostId);

        /** Ends the handover: the packets go where the model says (held ones are let go). */
        @Override
        void close();
    }
}
