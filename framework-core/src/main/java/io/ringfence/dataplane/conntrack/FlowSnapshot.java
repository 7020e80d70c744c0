package io.ringfence.dataplane.conntrack;

import java.util.Objects;

/**
 * One tracked flow as it leaves a host's connection table for another's, when its VM moves: everything the
 * destination needs to go on deciding the flow's packets exactly as the source would have (key, state, the
 * rule and generation that allowed it, counters, what is attached to it).
 *
 * <p>Times are ages, not instants: the source and destination tables may run on different clocks, so the
 * flow's creation and last packet are carried as how long before the export they happened, and the
 * importing table dates them back from its own {@code now}. The timeout is not carried: the destination's
 * timeout for the state applies.
 *
 * @param key             the key of the packet that created the flow (its original direction)
 * @param state           its state
 * @param closerIsReply   in the closing TCP states, whether the responder sent the first FIN
 * @param ruleId          the rule that allowed it
 * @param generation      the generation of the vNIC's rule set that allowed it
 * @param originalPackets packets from the originator
 * @param originalBytes   their bytes
 * @param replyPackets    packets of the replies
 * @param replyBytes      their bytes
 * @param ageNanos        time from its creation to the export
 * @param idleNanos       time from its last valid packet to the export
 * @param attachment      what the data plane keeps with it (its steering through a service chain), handed
 *                        over with it; null for none
 * @since 0.4.0
 */
public record FlowSnapshot(FlowKey key, FlowState state, boolean closerIsReply, String ruleId, long generation,
                           long originalPackets, long originalBytes, long replyPackets, long replyBytes,
                           long ageNanos, long idleNanos, FlowAttachment attachment) {

    public FlowSnapshot {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        if (ageNanos < 0 || idleNanos < 0 || idleNanos > ageNanos) {
            throw new IllegalArgumentException("a flow's idle time lies within its age: age " + ageNanos + " ns, idle "
                    + idleNanos + " ns");
        }
    }
}
