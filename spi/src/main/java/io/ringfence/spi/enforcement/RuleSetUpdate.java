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
 */
public record RuleSetUpdate(long sequence, boolean full, List<TargetRuleSet> ruleSets, List<String> removedVnics,
                            List<AddressGroupSet> addressGroups, List<String> releasedGroups) {

    public RuleSetUpdate {
        ruleSets = List.copyOf(ruleSets);
        removedVnics = List.copyOf(removedVnics);
        addressGroups = List.copyOf(addressGroups);
        releasedGroups = List.copyOf(releasedGroups);
    }
}
