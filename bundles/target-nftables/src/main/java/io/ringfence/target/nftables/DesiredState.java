package io.ringfence.target.nftables;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the target should enforce: the rule sets of its vNICs, the address groups they name, and the
 * default rule (what a configured vNIC enforces before its rule set comes). Immutable: an update
 * makes a new state, which becomes the target's only once nft applied it.
 */
record DesiredState(SortedMap<String, TargetRuleSet> ruleSets, SortedMap<String, AddressGroupSet> groups,
                    RuleSetUpdate.DefaultRule defaultRule) {

    static final DesiredState EMPTY = new DesiredState(new TreeMap<>(), new TreeMap<>(),
            RuleSetUpdate.DefaultRule.DENY);

    DesiredState {
        ruleSets = Collections.unmodifiableSortedMap(new TreeMap<>(ruleSets));
        groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
    }

    /**
     * This state with an update applied.
     *
     * @throws IllegalArgumentException when a rule set names an address group the state does not have
     */
    DesiredState with(RuleSetUpdate update) {
        TreeMap<String, TargetRuleSet> sets = new TreeMap<>(update.full() ? Map.of() : ruleSets);
        TreeMap<String, AddressGroupSet> gs = new TreeMap<>(update.full() ? Map.of() : groups);
        update.removedVnics().forEach(sets::remove);
        update.releasedGroups().forEach(gs::remove);
        update.ruleSets().forEach(s -> sets.put(s.vnicId(), s));
        update.addressGroups().forEach(g -> gs.put(g.id(), g));
        for (TargetRuleSet s : sets.values()) {
            for (TargetRule r : concat(s)) {
                if (r.remoteGroup() != null && !gs.containsKey(r.remoteGroup())) {
                    throw new IllegalArgumentException("rule " + r.ruleId() + " of vNIC " + s.vnicId()
                            + " names address group " + r.remoteGroup() + ", which the target does not have");
                }
            }
        }
        return new DesiredState(sets, gs, update.defaultRule());
    }

    private static List<TargetRule> concat(TargetRuleSet s) {
        List<TargetRule> all = new ArrayList<>(s.inbound());
        all.addAll(s.outbound());
        return all;
    }
}
