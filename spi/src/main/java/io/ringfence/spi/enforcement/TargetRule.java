package io.ringfence.spi.enforcement;

import java.util.List;

/**
 * One entry of a vNIC's rule set, in one direction.
 *
 * @param ruleId        the admin's rule (counters are reported against it)
 * @param policyId      its policy
 * @param action        what a match does
 * @param logged        log the flows it decides
 * @param staged        audit mode: count would-be hits, decide nothing (targets that cannot, skip the entry)
 * @param remoteGroup   id of the address group the other end must be in, or null for any address
 * @param remoteNegated the other end must NOT be in {@code remoteGroup}
 * @param services      what the packet must match (any of them); empty for any protocol and port
 * @param tag           the admin's tag of the rule, or null: a target that logs the flows a rule
 *                      decides names it beside the rule (as the admins' own flow log does)
 */
public record TargetRule(String ruleId, String policyId, RuleAction action, boolean logged, boolean staged,
                         String remoteGroup, boolean remoteNegated, List<TargetService> services, String tag) {

    public TargetRule {
        services = List.copyOf(services);
    }

    /** An entry of a rule without a tag. */
    public TargetRule(String ruleId, String policyId, RuleAction action, boolean logged, boolean staged,
                      String remoteGroup, boolean remoteNegated, List<TargetService> services) {
        this(ruleId, policyId, action, logged, staged, remoteGroup, remoteNegated, services, null);
    }
}
