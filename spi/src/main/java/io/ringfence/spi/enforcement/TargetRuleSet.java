package io.ringfence.spi.enforcement;

import java.util.List;

/**
 * The rule set of one vNIC: its inbound and outbound entries in evaluation order (first match
 * wins), then the default rule.
 *
 * @param vnicId        the vNIC
 * @param vmId          its VM
 * @param hostId        the host it runs on
 * @param mac           its MAC address ({@code aa:bb:cc:dd:ee:ff})
 * @param addresses     its addresses (single-address CIDRs)
 * @param generation    grows with every change of this rule set
 * @param inbound       entries for traffic towards the vNIC
 * @param outbound      entries for traffic from the vNIC
 * @param defaultAction what the default rule does
 * @param defaultLogged whether the default rule logs (it always logs drops)
 */
public record TargetRuleSet(String vnicId, String vmId, String hostId, String mac, List<String> addresses,
                            long generation, List<TargetRule> inbound, List<TargetRule> outbound,
                            RuleAction defaultAction, boolean defaultLogged) {

    public TargetRuleSet {
        addresses = List.copyOf(addresses);
        inbound = List.copyOf(inbound);
        outbound = List.copyOf(outbound);
    }
}
