package io.ringfence.dataplane.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;

/**
 * What the data plane of one host would decide for one packet at one vNIC in one direction, found
 * without changing anything (no counter, no flow, no session of a steered flow): one step of a
 * traceflow. The functions of a service chain do see the packet (see {@link FlowSteering#trace}).
 *
 * @param hostId     the host whose agent decided
 * @param vnicId     the vNIC the packet crosses
 * @param direction  IN or OUT
 * @param generation the generation of the vNIC's tables; -1 without tables
 * @param decidedBy  what decided
 * @param ruleId     the deciding rule (for a flow-table hit, the rule that allowed the flow);
 *                   {@link Verdict#DEFAULT}, {@link Verdict#NO_RULE_SET} or {@link Verdict#INVALID}
 *                   when no rule decided
 * @param policyId   the policy of the deciding rule; null when no rule of a policy decided
 * @param action     the firewall's action: ALLOW, DROP or REJECT (see {@link #finalAction()} for the
 *                   action after a service chain)
 * @param staged     when a rule or the default rule decided: the staged rule that would have decided
 *                   instead were the staged rules enforced; null when none would (and for the other
 *                   kinds of step: staged rules are evaluated on new flows only)
 * @param steering   when {@code action} is ALLOW and the packet's flow is steered through a service
 *                   chain (a new flow the redirection policy selects a chain for, or a tracked flow that
 *                   was steered when it was created): the chain, each function's verdict and the action
 *                   after the chain; null otherwise
 */
public record TraceStep(String hostId, String vnicId, Direction direction, long generation, DecidedBy decidedBy,
                        String ruleId, String policyId, Action action,
                        @JsonInclude(JsonInclude.Include.NON_NULL) StagedDecision staged,
                        @JsonInclude(JsonInclude.Include.NON_NULL) SteeringTrace steering) {

    /** A step at which no service chain was consulted. */
    public TraceStep(String hostId, String vnicId, Direction direction, long generation, DecidedBy decidedBy,
                     String ruleId, String policyId, Action action, StagedDecision staged) {
        this(hostId, vnicId, direction, generation, decidedBy, ruleId, policyId, action, staged, null);
    }

    /**
     * What a staged rule would have decided in the step's place.
     *
     * @param ruleId   the staged rule
     * @param policyId its policy
     * @param action   the verdict it would have given
     */
    public record StagedDecision(String ruleId, String policyId, Action action) {
    }

    /** What decided a packet. */
    public enum DecidedBy {
        /** A tracked flow (or an ICMP error about one): the packet passes without classification. */
        FLOW_TABLE,
        /** Connection tracking found the packet invalid (e.g. a TCP non-SYN without a flow). */
        INVALID,
        /** A rule of the vNIC's tables. */
        RULE,
        /** No rule matched, or the vNIC has no tables (yet) on its host: the default rule. */
        DEFAULT_RULE,
        /** The vNIC is on no host the data plane knows (its VM is not placed): dropped. */
        NO_RULE_SET
    }

    /**
     * What the step does with the packet in the end: the firewall's {@code action}, or the action after
     * the service chain when the packet went through one.
     *
     * @since 0.4.0
     */
    public Action finalAction() {
        return steering == null ? action : steering.action();
    }

    /** True when the packet would pass, the firewall and any service chain having allowed it. */
    public boolean allowed() {
        return finalAction() == Action.ALLOW;
    }
}
