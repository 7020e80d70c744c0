package io.ringfence.dataplane.api;

import io.ringfence.dataplane.conntrack.FlowKey;
import io.ringfence.dataplane.conntrack.FlowState;
import java.time.Instant;

/**
 * One flow of a connection table, as of one moment.
 *
 * @param key             the key of the packet that created it (vNIC, direction, protocol, addresses, ports)
 * @param state           its state
 * @param ruleId          the rule that allowed it
 * @param generation      the generation of the rule set it was allowed by
 * @param originalPackets packets in the original direction
 * @param originalBytes   their bytes
 * @param replyPackets    packets in the reply direction
 * @param replyBytes      their bytes
 * @param created         when it was created
 * @param lastSeen        when its last valid packet was seen
 * @param expiresAt       when it expires unless another packet comes
 */
public record FlowEntry(FlowKey key, FlowState state, String ruleId, long generation, long originalPackets,
                        long originalBytes, long replyPackets, long replyBytes, Instant created, Instant lastSeen,
                        Instant expiresAt) {
}
