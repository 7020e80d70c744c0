package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;

/**
 * What the data plane decided for one packet.
 *
 * @param action        ALLOW, DROP or REJECT
 * @param ruleId        the deciding rule: a rule id, {@link #DEFAULT} for the default rule, or
 *                      {@link #NO_RULE_SET} / {@link #INVALID} when no rule was consulted; for a
 *                      flow-table hit, the rule that allowed the flow
 * @param fromFlowTable the packet belonged to (or was an ICMP error about) a tracked flow
 * @param reject        for REJECT, the TCP reset or ICMP unreachable to send back; null otherwise
 *                      (and null when the packet may not be answered, e.g. it is itself an ICMP error)
 * @param generation    the generation of the vNIC's tables the packet was decided on; -1 without tables
 */
public record Verdict(Action action, String ruleId, boolean fromFlowTable, Packet reject, long generation) {

    /** Rule id of verdicts made by the default rule. */
    public static final String DEFAULT = "default";
    /** Rule id of drops on a vNIC that has no rule set yet (default-deny). */
    public static final String NO_RULE_SET = "no rule set yet";
    /** Rule id of drops of packets connection tracking found invalid. */
    public static final String INVALID = "invalid";

    /** True when the packet may pass. */
    public boolean allowed() {
        return action == Action.ALLOW;
    }
}
