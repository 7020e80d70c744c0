package io.ringfence.spi.enforcement;

import java.util.List;

/**
 * One update for one target.
 *
 * @param sequence       numbers the updates sent to this target (grows by one per update; restarts
 *                       with a full update when the framework restarts)
 * @param full           true: {@code ruleSets} and {@code addressGroups} are the target's whole
 *                       desired state, anything else it holds is to be removed; false: a delta
 * @param ruleSets       new or changed rule sets
 * @param removedVnics   vNICs no longer enforced here (VM deleted or moved away)
 * @param addressGroups  new or changed address groups named by the rule sets
 * @param releasedGroups address groups no rule set here names any more
 * @param defaultRule    the default rule as it is now, in every update: what a vNIC of the target
 *                       enforces before its own rule set is realized (see the package's rules for
 *                       implementers)
 */
public record RuleSetUpdate(long sequence, boolean full, List<TargetRuleSet> ruleSets, List<String> removedVnics,
                            List<AddressGroupSet> addressGroups, List<String> releasedGroups, DefaultRule defaultRule) {

    public RuleSetUpdate {
        ruleSets = List.copyOf(ruleSets);
        removedVnics = List.copyOf(removedVnics);
        addressGroups = List.copyOf(addressGroups);
        releasedGroups = List.copyOf(releasedGroups);
        if (defaultRule == null) {
            throw new IllegalArgumentException("update " + sequence + " has no default rule");
        }
    }

    /** An update with the initial default rule, {@link DefaultRule#DENY}. */
    public RuleSetUpdate(long sequence, boolean full, List<TargetRuleSet> ruleSets, List<String> removedVnics,
                         List<AddressGroupSet> addressGroups, List<String> releasedGroups) {
        this(sequence, full, ruleSets, removedVnics, addressGroups, releasedGroups, DefaultRule.DENY);
    }

    /**
     * What happens to a flow no rule matches.
     *
     * @param action ALLOW or DROP (the model allows no other)
     * @param logged log the flows it decides (it always logs the flows it drops)
     */
    public record DefaultRule(RuleAction action, boolean logged) {

        /** The initial setting: drop (zero trust), log the drops only. */
        public static final DefaultRule DENY = new DefaultRule(RuleAction.DROP, false);

        public DefaultRule {
            if (action == null) {
                throw new IllegalArgumentException("a default rule has an action");
            }
        }
    }
}
