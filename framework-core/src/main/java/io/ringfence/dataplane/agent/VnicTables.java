package io.ringfence.dataplane.agent;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.net.AddressSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The compiled tables of one vNIC for one generation: both directions and the default rule.
 * Immutable, so that the agent can swap a vNIC's tables with one reference write and a packet that
 * took a reference decides on one consistent set (never IN of one generation and OUT of another).
 *
 * <p>Staged entries (see {@link io.ringfence.compiler}) stay out of {@code in} and {@code out},
 * which hold the enforced entries only: decisions, revalidation and the flow table never see a
 * staged entry. A direction that has staged entries gets a second, {@link Staged} table holding
 * just those, so that the would-be decision costs one lookup in a table of the (few) staged
 * entries, and only on vNICs that have some; a full would-be table would double the lookup cost
 * of every new flow of the vNIC.
 *
 * @param ruleSet   the rule set the tables were built from (kept to know which address groups it names)
 * @param in        table of the enforced entries for packets entering the vNIC
 * @param out       table of the enforced entries for packets leaving the vNIC
 * @param stagedIn  the staged entries for packets entering the vNIC; null when there are none
 * @param stagedOut the staged entries for packets leaving the vNIC; null when there are none
 */
public record VnicTables(VnicRuleSet ruleSet, RuleTable in, RuleTable out, Staged stagedIn, Staged stagedOut) {

    /**
     * The staged entries of one direction, with, for each, how many enforced entries come before it
     * in evaluation order: a staged entry is the would-be first match of a packet when the packet
     * matches no staged entry before it and no enforced entry before it.
     *
     * @param table          the staged entries, in evaluation order
     * @param enforcedBefore for the staged entry at index i, the number of enforced entries ahead of it
     */
    public record Staged(RuleTable table, int[] enforcedBefore) {

        /** The staged entry that would come first for a packet whose enforced match is at {@code enforcedIndex} (-1: none). */
        CompiledRule before(Packet p, int enforcedIndex) {
            if (enforcedIndex >= 0 && enforcedIndex < enforcedBefore[0]) {
                return null; // the enforced match comes before every staged entry: no lookup needed
            }
            int i = table.classify(p);
            if (i < 0 || (enforcedIndex >= 0 && enforcedBefore[i] > enforcedIndex)) {
                return null;
            }
            return table.entry(i);
        }
    }

    /**
     * What the tables say about a packet that opens a flow.
     *
     * @param entry  the enforced entry that decides it; null when the default rule does
     * @param staged the staged entry that would decide it were the staged entries enforced; null when none would
     */
    public record Match(CompiledRule entry, CompiledRule staged) {
    }

    /**
     * Builds the tables of {@code ruleSet}, resolving address groups with {@code addressGroups}.
     *
     * @throws IllegalArgumentException if the rule set names an address group that is unknown
     */
    public static VnicTables build(VnicRuleSet ruleSet, Function<String, AddressSet> addressGroups) {
        List<CompiledRule> in = enforced(ruleSet.in());
        List<CompiledRule> out = enforced(ruleSet.out());
        return new VnicTables(ruleSet, RuleTable.build(Direction.IN, in, addressGroups),
                RuleTable.build(Direction.OUT, out, addressGroups),
                staged(Direction.IN, ruleSet.in(), in.size(), addressGroups),
                staged(Direction.OUT, ruleSet.out(), out.size(), addressGroups));
    }

    /**
     * The tables of {@code ruleSet}, compiled from {@code previous} (the vNIC's current tables) with
     * {@link RuleTable#update}: the same tables as {@link #build}, in microseconds rather than
     * milliseconds when the entries differ by a few (a rule change, or an address group change that
     * a few entries name). The staged tables, of a few entries, are built afresh.
     *
     * @throws IllegalArgumentException if the rule set names an address group that is unknown
     * @since 0.3.0
     */
    public static VnicTables update(VnicTables previous, VnicRuleSet ruleSet,
                                    Function<String, AddressSet> addressGroups) {
        List<CompiledRule> in = enforced(ruleSet.in());
        List<CompiledRule> out = enforced(ruleSet.out());
        return new VnicTables(ruleSet, RuleTable.update(previous.in(), in, addressGroups),
                RuleTable.update(previous.out(), out, addressGroups),
                staged(Direction.IN, ruleSet.in(), in.size(), addressGroups),
                staged(Direction.OUT, ruleSet.out(), out.size(), addressGroups));
    }

    /**
     * True when a direction's table carries enough changes that {@link #compacted} would classify
     * faster ({@link RuleTable#compactionDue}).
     *
     * @since 0.6.0
     */
    public boolean compactionDue() {
        return in.compactionDue() || out.compactionDue();
    }

    /**
     * These tables with each direction whose compaction is due compiled afresh: the same rule set and
     * generation, the same answers.
     *
     * @param addressGroups the address groups these tables were compiled with
     * @since 0.6.0
     */
    public VnicTables compacted(Function<String, AddressSet> addressGroups) {
        return new VnicTables(ruleSet, in.compactionDue() ? in.compacted(addressGroups) : in,
                out.compactionDue() ? out.compacted(addressGroups) : out, stagedIn, stagedOut);
    }

    private static List<CompiledRule> enforced(List<CompiledRule> entries) {
        if (entries.stream().noneMatch(CompiledRule::staged)) {
            return entries;
        }
        return entries.stream().filter(e -> !e.staged()).toList();
    }

    private static Staged staged(Direction direction, List<CompiledRule> entries, int enforced,
                                 Function<String, AddressSet> addressGroups) {
        if (enforced == entries.size()) {
            return null;
        }
        List<CompiledRule> staged = new ArrayList<>();
        int[] before = new int[entries.size() - enforced];
        int seen = 0;
        for (CompiledRule e : entries) {
            if (e.staged()) {
                before[staged.size()] = seen;
                staged.add(e);
            } else {
                seen++;
            }
        }
        return new Staged(RuleTable.build(direction, staged, addressGroups), before);
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

    /** The first enforced entry {@code p} matches in {@code direction}, or null when the default rule applies. */
    public CompiledRule match(Direction direction, Packet p) {
        RuleTable table = direction == Direction.IN ? in : out;
        int index = table.classify(p);
        return index < 0 ? null : table.entry(index);
    }

    /**
     * The enforced entry {@code p} matches first in {@code direction} and, when the direction has
     * staged entries, the staged one that would match first were they enforced.
     */
    public Match classify(Direction direction, Packet p) {
        RuleTable table = direction == Direction.IN ? in : out;
        int index = table.classify(p);
        CompiledRule entry = index < 0 ? null : table.entry(index);
        Staged staged = direction == Direction.IN ? stagedIn : stagedOut;
        return new Match(entry, staged == null ? null : staged.before(p, index));
    }

    /** What the tables decide for a new flow opened by {@code p} (staged entries decide nothing). */
    public Action decide(Direction direction, Packet p) {
        CompiledRule entry = match(direction, p);
        return entry == null ? ruleSet.defaultAction() : entry.action();
    }
}
