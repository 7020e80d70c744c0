package io.ringfence.dataplane.api;

import io.ringfence.dataplane.agent.TraceStep;
import io.ringfence.model.Action;
import java.util.List;

/**
 * The result of a traceflow: what the data plane would do with one packet from a source vNIC to a
 * destination, step by step, found without touching counters or flow tables.
 *
 * @param sourceVnic         the vNIC the packet leaves
 * @param destinationVnic    the vNIC it is addressed to; null for an address of no vNIC of the data center
 * @param protocol           IANA protocol number of the packet
 * @param sourceAddress      its source address
 * @param destinationAddress its destination address
 * @param sourcePort         its TCP/UDP source port, else 0
 * @param destinationPort    its TCP/UDP destination port, else 0
 * @param steps              OUT at the source vNIC, then (when that allowed it and the destination is a
 *                           vNIC) IN at the destination vNIC
 * @param verdict            the final action of the first step that did not allow the packet (the firewall's,
 *                           or the service chain's after it), else ALLOW
 */
public record Traceflow(String sourceVnic, String destinationVnic, int protocol, String sourceAddress,
                        String destinationAddress, int sourcePort, int destinationPort, List<TraceStep> steps,
                        Action verdict) {

    public Traceflow {
        steps = List.copyOf(steps);
    }
}
