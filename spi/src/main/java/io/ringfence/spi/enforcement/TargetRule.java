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
 */
public record TargetRule(String ruleId, String policyId, RuleAction action, boolean logged, boolean staged,
                         String remoteGroup, boolean remoteNegated, List<TargetService> services) {

    public TargetRule {
        services = List.copyOf(services);
    }
}
