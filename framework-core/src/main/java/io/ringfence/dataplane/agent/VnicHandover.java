package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.conntrack.FlowSnapshot;
import java.util.List;
import java.util.Objects;

/**
 * What a vNIC takes from one host's agent to another's when its VM moves: its tracked flows and its
 * counters, so that its connections go on and its statistics add up across the move.
 *
 * @param vnicId   the vNIC
 * @param counters its counters on the host it leaves
 * @param flows    its flows as that host's connection table handed them over
 * @since 0.5.0
 */
public record VnicHandover(String vnicId, VnicStats counters, List<FlowSnapshot> flows) {

    public VnicHandover {
        Objects.requireNonNull(vnicId, "vnicId");
        Objects.requireNonNull(counters, "counters");
        flows = List.copyOf(flows);
        for (FlowSnapshot f : flows) {
            if (!f.key().vnicId().equals(vnicId)) {
                throw new IllegalArgumentException("a flow of " + f.key().vnicId() + " in the handover of " + vnicId);
            }
        }
    }
}
