package io.ringfence.dataplane.agent;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;

/**
 * What the data plane decided for one packet.
 *
 * @param action        ALLOW, DROP or REJECT: the firewall's, and for a packet of a steered flow the
 *                      service chain's after that ({@code inspection})
 * @param ruleId        the deciding rule: a rule id, {@link #DEFAULT} for the default rule, or
 *                      {@link #NO_RULE_SET} / {@link #INVALID} when no rule was consulted; for a
 *                      flow-table hit, the rule that allowed the flow. A packet the chain dropped or
 *                      rejected still names the rule that allowed its flow
 * @param fromFlowTable the packet belonged to (or was an ICMP error about) a tracked flow
 * @param reject        for REJECT, the TCP reset or ICMP unreachable to send back; null otherwise
 *                      (and null when the packet may not be answered, e.g. it is itself an ICMP error)
 * @param generation    the generation of the vNIC's tables the packet was decided on; -1 without tables
 * @param chainId       the service chain the packet went through (the firewall allowed it and its flow is
 *                      steered); null when it went through none
 * @param inspection    the chain's verdict when it went through one: PASS and PASS_AND_BYPASS (no function
 *                      inspects the flow again) leave the packet allowed, DROP and REJECT make the action;
 *                      null otherwise
 */
public record Verdict(Action action, String ruleId, boolean fromFlowTable, Packet reject, long generation,
                      String chainId, io.ringfence.spi.inspection.Verdict inspection) {

    /** Rule id of verdicts made by the default rule. */
    public static final String DEFAULT = "default";
    /**
     * Rule id of drops of a vNIC on no host the data plane knows (its VM is not placed, or unknown).
     * A vNIC of a known host that has no rule set yet is decided by the default rule ({@link #DEFAULT}).
     */
    public static final String NO_RULE_SET = "no rule set yet";
    /** Rule id of drops of packets connection tracking found invalid. */
    public static final String INVALID = "invalid";

    /** A verdict of the firewall alone: the packet went through no service chain. */
    public Verdict(Action action, String ruleId, boolean fromFlowTable, Packet reject, long generation) {
        this(action, ruleId, fromFlowTable, reject, generation, null, null);
    }

    /** True when the packet may pass. */
    public boolean allowed() {
        return action == Action.ALLOW;
    }
}
