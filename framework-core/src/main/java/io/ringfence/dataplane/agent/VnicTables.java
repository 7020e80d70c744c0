package io.ringfence.dataplane.agent;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.net.AddressSet;
import java.util.function.Function;

/**
 * The compiled tables of one vNIC for one generation: both directions and the default rule.
 * Immutable, so that the agent can swap a vNIC's tables with one reference write and a packet that
 * took a reference decides on one consistent set (never IN of one generation and OUT of another).
 *
 * @param ruleSet       the rule set the tables were built from (kept to know which address groups it names)
 * @param in            table for packets entering the vNIC
 * @param out           table for packets leaving the vNIC
 */
public record VnicTables(VnicRuleSet ruleSet, RuleTable in, RuleTable out) {

    /**
     * Builds the tables of {@code ruleSet}, resolving address groups with {@code addressGroups}.
     *
     * @throws IllegalArgumentException if the rule set names an address group that is unknown
     */
    public static VnicTables build(VnicRuleSet ruleSet, Function<String, AddressSet> addressGroups) {
        return new VnicTables(ruleSet, RuleTable.build(Direction.IN, ruleSet.in(), addressGroups),
                RuleTable.build(Direction.OUT, ruleSet.out(), addressGroups));
    }

    /** The generation of the rule set. */
    public long generation() {
        return ruleSet.generation();
    }

    /** True when an entry of either direction names the address group {@code id}. */
    public boolean refersTo(String id) {
        return refersTo(ruleSet.in(), id) || refersTo(ruleSet.out(), id);
    }

    private static boolean refersTo(Iterable<CompiledRule> entries, String id) {
        for (CompiledRule e : entries) {
            if (id.equals(e.remote())) {
                return true;
            }
        }
        return false;
    }

    /** The first entry {@code p} matches in {@code direction}, or null when the default rule applies. */
    public CompiledRule match(Direction direction, Packet p) {
        RuleTable table = direction == Direction.IN ? in : out;
        int index = table.classify(p);
        return index < 0 ? null : table.entry(index);
    }

    /** What the tables decide for a new flow opened by {@code p}. */
    public Action decide(Direction direction, Packet p) {
        CompiledRule entry = match(direction, p);
        return entry == null ? ruleSet.defaultAction() : entry.action();
    }
}
