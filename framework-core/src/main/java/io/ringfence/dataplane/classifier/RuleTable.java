package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rule table of one vNIC in one direction, compiled for lookup: {@link #classify} returns the
 * first entry a packet matches (see {@link io.ringfence.compiler} for what matching means).
 *
 * <h2>Lookup: bit vectors over elementary intervals, with summaries</h2>
 * Each entry expands to one row per service entry ({@link Row}), so that a row is a conjunction over
 * independent keys: the remote address, a service key (protocol with destination port or ICMP
 * type) and a source key (source port or ICMP code). Per key, the edges of all rows cut the value
 * space into elementary intervals, and each interval says which rows accept it, as a bitset in row
 * order. A lookup does one binary search per key and ANDs the bitsets word by word: the lowest bit
 * of the first non-zero word is the first matching row, hence the first matching entry. Done
 * naively, at ten thousand entries that is 6 fields of 157 words each to AND for a deep match, and
 * tens of megabytes of bitsets. Four refinements keep a lookup to a few words and a table to a few
 * megabytes:
 * <ul>
 * <li><b>Summaries</b> (the aggregated bit vectors of Baboescu and Varghese): one bit per word says
 *     whether the word can hold a match, so the AND visits only candidate words instead of walking
 *     all of them up to a deep match or to the end on a miss. The service key's summaries are taken
 *     over the rows that accept any address (remote ANY, negated remotes), which makes them nearly
 *     exact for those rows.</li>
 * <li><b>Sparse dimensions</b> ({@link SparseDimension}): a key's rows are a dense base (the rows
 *     that accept any value) XOR per-interval patches of the few words whose rows name the value,
 *     fine ones for narrow ranges and coarse ones, shared between intervals, for wide ranges. A
 *     patch is a handful of words where a dense bitset per interval would be the whole row count.</li>
 * <li><b>Exact-port index</b> ({@link ExactIndex}): a short prefix is typically named by many rules,
 *     each for one port. Those rows are looked up by (coarse patch, service key) with one hash
 *     probe; as words, each would be a candidate the AND visits in vain.</li>
 * <li><b>The source key on matches only</b>: nearly every row takes any source port, so it is
 *     checked on the rows that match the other keys instead of costing a third search.</li>
 * </ul>
 * A lookup therefore costs two branch-free binary searches, one hash probe and a few words, whatever
 * the depth of the match.
 *
 * <p>Why not the alternatives: a linear scan costs the depth of the match; tuple space search (Open
 * vSwitch) needs one hash probe per distinct (prefix length, port shape) tuple, and port ranges
 * multiply tuples; decision trees (HiCuts, HyperSplit) are fast per packet but replicate rules with
 * wildcards, so their size depends on the overlap of the rules and is hard to bound, and they
 * rebuild poorly; RFC-style cross products are faster still and take far more memory.
 *
 * <h2>Change: a shared core and a small overlay</h2>
 * {@link #build} compiles everything in one sweep per dimension over the sorted edges (no per-row
 * pass over intervals). {@link #update} compiles a next generation from the previous table: the
 * previous table's core is shared as is; entries that are gone or changed are masked out of it with
 * a live-row bitset, and the entries that are new (or whose address group changed) go to a small
 * overlay classifier built from them alone. A lookup asks both and keeps the earlier entry. A one-rule
 * change thus costs an alignment of the entry lists (identity checks) and a classifier of a few
 * rows, not a rebuild of ten thousand.
 *
 * <p>Once the overlay holds more than {@code max(32, entries / 32)} entries or a quarter of the core
 * is dead, the table says {@link #compactionDue}: its owner compiles it afresh ({@link #compacted})
 * off the update path and swaps the result in, so that no update waits for a build. Until then
 * updates go on growing the overlay; only one that would take it past four times that size (or
 * leave half the core dead), a compaction lagging far behind, compiles afresh itself.
 *
 * <h2>Measured</h2>
 * {@code java -jar benchmarks/target/benchmarks.jar Classifier} (JMH; one benchmark thread, figures
 * per core as work per CPU second of that thread; a shared 2-core virtual machine whose load average
 * was about 7 during the run), on ClassBench-style IPv4 sets, IN tables, a trace aimed at every
 * depth: at 10,000 rules, 5.9 (ACL) and 5.5 (FW) million lookups per second, 142 and 184 times a
 * tight linear scan (41,700 and 29,700 per second), about 3.6 million on a table carrying the
 * overlay of 312 one-rule changes; 2.4 and 2.2 MB retained per table. At 1,000 rules, 11.0 and 9.9
 * million lookups per second (15 and 19 times the scan), 140 KB. A one-rule update at 10,000 rules
 * takes 0.57 ms of CPU at the median, 0.9 ms at p99 and at most 2.6 ms, where a build takes 13 to
 * 14 ms (the compaction due about once in 480 changes, off the update path, costs one). See
 * {@code benchmarks/README.md} for the method and all figures.
 *
 * <p>Immutable, hence safe for concurrent {@link #classify} calls; a new generation is a new table.
 */
public final class RuleTable {

    /** The overlay never needs to be smaller than this to be cheap. */
    private static final int MIN_OVERLAY = 32;
    /** How far past the size that makes a compaction due an update lets the overlay grow. */
    private static final int LAGGING_COMPACTION = 4;

    private final Direction direction;
    private final List<CompiledRule> entries;
    private final BitVectorClassifier core;
    private final CoreGroups coreGroups;
    /** Core entry → entry of this table, -1 when dead; null when the core is this table's entries. */
    private final int[] coreToEntry;
    /** Entry → core entry, -1 when in the overlay; null when the core is this table's entries. */
    private final int[] entryToCore;
    /** Core rows still in force, one bit per row; null when all are. */
    private final long[] live;
    private final BitVectorClassifier overlay;
    /** Overlay entry → entry of this table. */
    private final int[] overlayToEntry;
    private final boolean compactionDue;

    private RuleTable(Direction direction, List<CompiledRule> entries, BitVectorClassifier core,
                      CoreGroups coreGroups, int[] coreToEntry, int[] entryToCore, long[] live,
                      BitVectorClassifier overlay, int[] overlayToEntry) {
        this.direction = direction;
        this.entries = entries;
        this.core = core;
        this.coreGroups = coreGroups;
        this.coreToEntry = coreToEntry;
        this.entryToCore = entryToCore;
        this.live = live;
        this.overlay = overlay;
        this.overlayToEntry = overlayToEntry;
        int dead = core.entries() - (entries.size() - (overlayToEntry == null ? 0 : overlayToEntry.length));
        this.compactionDue = overlayToEntry != null && overlayToEntry.length > dueOverlay(entries.size())
                || dead > dueDead(core.entries());
    }

    /** An overlay larger than this makes a compaction due. */
    private static int dueOverlay(int entries) {
        return Math.max(MIN_OVERLAY, entries / 32);
    }

    /** More dead core entries than this make a compaction due. */
    private static int dueDead(int coreEntries) {
        return Math.max(MIN_OVERLAY, coreEntries / 4);
    }

    /**
     * Compiles a table.
     *
     * @param direction     IN (the remote side is the packet's source) or OUT (its destination)
     * @param entries       the entries in evaluation order, all of {@code direction}
     * @param addressGroups resolves the address group ids the entries name
     * @throws IllegalArgumentException if the direction is IN_OUT, an entry is of the other direction,
     *                                  or an address group is unknown (a table that silently ignored
     *                                  it would let traffic through or drop it without saying why)
     */
    public static RuleTable build(Direction direction, List<CompiledRule> entries,
                                  Function<String, AddressSet> addressGroups) {
        List<CompiledRule> copy = checked(direction, entries);
        Map<String, AddressSet> sets = new HashMap<>();
        for (CompiledRule e : copy) {
            if (e.remote() != null) {
                sets.computeIfAbsent(e.remote(), id -> resolve(id, addressGroups));
            }
        }
        return new RuleTable(direction, copy, BitVectorClassifier.build(copy, sets), CoreGroups.of(copy, sets), null,
                null, null, null, null);
    }

    /**
     * The address groups the core's entries name: their ids, the sets the core was built with, and
     * for each core entry the index of its group (-1: remote ANY). Shared by every table compiled
     * from the core, so that an update checks each group once and hashes no id per entry.
     */
    private record CoreGroups(String[] ids, AddressSet[] sets, int[] ofEntry) {

        static CoreGroups of(List<CompiledRule> entries, Map<String, AddressSet> sets) {
            Map<String, Integer> index = new HashMap<>();
            List<String> ids = new ArrayList<>();
            int[] ofEntry = new int[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                String remote = entries.get(i).remote();
                ofEntry[i] = remote == null ? -1 : index.computeIfAbsent(remote, id -> {
                    ids.add(id);
                    return ids.size() - 1;
                });
            }
            return new CoreGroups(ids.toArray(String[]::new), ids.stream().map(sets::get).toArray(AddressSet[]::new),
                    ofEntry);
        }

        /**
         * For each group, whether the entries carried over name it and its addresses are no longer
         * the ones the core was built with.
         *
         * @param carried the core entries carried over
         */
        boolean[] changed(boolean[] carried, Function<String, AddressSet> addressGroups) {
            boolean[] named = new boolean[ids.length];
            for (int c = 0; c < carried.length; c++) {
                if (carried[c] && ofEntry[c] >= 0) {
                    named[ofEntry[c]] = true;
                }
            }
            boolean[] changed = new boolean[ids.length];
            for (int g = 0; g < ids.length; g++) {
                if (named[g]) {
                    AddressSet now = resolve(ids[g], addressGroups);
                    changed[g] = now != sets[g] && !now.equals(sets[g]);
                }
            }
            return changed;
        }
    }

    /**
     * Compiles the table of {@code entries} from {@code previous}: the same table as
     * {@link #build build(previous.direction(), entries, addressGroups)} would give, faster when the
     * entries differ from the previous ones by a few entries and few of them name an address group
     * whose addresses changed (see the class comment); otherwise built afresh.
     *
     * @throws IllegalArgumentException as {@link #build} does
     * @since 0.2.0
     */
    public static RuleTable update(RuleTable previous, List<CompiledRule> entries,
                                   Function<String, AddressSet> addressGroups) {
        List<CompiledRule> copy = checked(previous.direction, entries);
        int maxOverlay = LAGGING_COMPACTION * dueOverlay(copy.size());
        int[] source = EntryAlignment.align(previous.entries, copy, maxOverlay);
        if (source == null) {
            return build(previous.direction, copy, addressGroups);
        }
        int coreEntries = previous.core.entries();
        boolean[] carried = new boolean[coreEntries];
        for (int j = 0; j < copy.size(); j++) {
            int c = source[j] < 0 ? -1 : previous.coreEntry(source[j]);
            if (c >= 0) {
                carried[c] = true;
            }
        }
        boolean[] changed = previous.coreGroups.changed(carried, addressGroups);
        int[] coreToEntry = new int[coreEntries];
        Arrays.fill(coreToEntry, -1);
        int[] entryToCore = new int[copy.size()];
        List<CompiledRule> overlayEntries = new ArrayList<>();
        Map<String, AddressSet> overlaySets = new HashMap<>();
        int[] overlayToEntry = new int[copy.size()];
        int kept = 0;
        for (int j = 0; j < copy.size(); j++) {
            int c = source[j] < 0 ? -1 : previous.coreEntry(source[j]);
            int group = c < 0 ? -1 : previous.coreGroups.ofEntry()[c];
            if (c >= 0 && (group < 0 || !changed[group])) {
                entryToCore[j] = c;
                coreToEntry[c] = j;
                kept++;
            } else {
                CompiledRule e = copy.get(j);
                if (e.remote() != null) {
                    overlaySets.computeIfAbsent(e.remote(), id -> resolve(id, addressGroups));
                }
                entryToCore[j] = -1;
                overlayToEntry[overlayEntries.size()] = j;
                overlayEntries.add(e);
            }
        }
        if (overlayEntries.size() > maxOverlay || coreEntries - kept > 2 * dueDead(coreEntries)) {
            return build(previous.direction, copy, addressGroups);
        }
        long[] live = null;
        if (kept < coreEntries) {
            live = new long[(previous.core.rows() + 63) >>> 6];
            for (int row = 0; row < previous.core.rows(); row++) {
                if (coreToEntry[previous.core.entryOf(row)] >= 0) {
                    live[row >>> 6] |= 1L << row;
                }
            }
        }
        BitVectorClassifier overlay = overlayEntries.isEmpty() ? null
                : BitVectorClassifier.build(overlayEntries, overlaySets);
        return new RuleTable(previous.direction, copy, previous.core, previous.coreGroups, coreToEntry, entryToCore,
                live, overlay, Arrays.copyOf(overlayToEntry, overlayEntries.size()));
    }

    private static List<CompiledRule> checked(Direction direction, List<CompiledRule> entries) {
        if (direction == null || direction == Direction.IN_OUT) {
            throw new IllegalArgumentException("a rule table is IN or OUT");
        }
        List<CompiledRule> copy = List.copyOf(entries);
        for (CompiledRule e : copy) {
            if (e.direction() != direction) {
                throw new IllegalArgumentException("entry of rule " + e.ruleId() + " is " + e.direction()
                        + " in an " + direction + " table");
            }
        }
        return copy;
    }

    private static AddressSet resolve(String id, Function<String, AddressSet> addressGroups) {
        AddressSet set = addressGroups.apply(id);
        if (set == null) {
            throw new IllegalArgumentException("unknown address group " + id);
        }
        return set;
    }

    /**
     * True when this table carries enough changes on its core (the overlay, dead core entries) that
     * its owner should replace it with {@link #compacted}: lookups on a compacted table are faster.
     *
     * @since 0.3.0
     */
    public boolean compactionDue() {
        return compactionDue;
    }

    /**
     * This table compiled afresh: the same entries, hence the same answers, without an overlay.
     *
     * @param addressGroups resolves the address groups the entries name, to the sets this table has
     * @throws IllegalArgumentException as {@link #build} does
     * @since 0.3.0
     */
    public RuleTable compacted(Function<String, AddressSet> addressGroups) {
        return build(direction, entries, addressGroups);
    }

    /** The core entry behind entry {@code index}, or -1 when it is in the overlay. */
    private int coreEntry(int index) {
        return entryToCore == null ? index : entryToCore[index];
    }

    /** Index of the first entry {@code p} matches, or -1 when none does (the default rule applies). */
    public int classify(Packet p) {
        IpPrefix remote = direction == Direction.OUT ? p.destination() : p.source();
        int serviceKey = Row.serviceKey(p);
        int sourceKey = Row.sourceKey(p);
        int row = core.classify(p.family(), remote.high(), remote.low(), serviceKey, sourceKey, live);
        int found = row < 0 ? -1 : coreToEntry == null ? core.entryOf(row) : coreToEntry[core.entryOf(row)];
        // the overlay's entries are in ascending order: it cannot beat a core match ahead of them all
        if (overlay != null && (found < 0 || found > overlayToEntry[0])) {
            int overlayRow = overlay.classify(p.family(), remote.high(), remote.low(), serviceKey, sourceKey, null);
            if (overlayRow >= 0) {
                int entry = overlayToEntry[overlay.entryOf(overlayRow)];
                found = found < 0 ? entry : Math.min(found, entry);
            }
        }
        return found;
    }

    /** The entry at {@code index} (as returned by {@link #classify}). */
    public CompiledRule entry(int index) {
        return entries.get(index);
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** The direction the table is for. */
    public Direction direction() {
        return direction;
    }

    /** True when this table was compiled from {@code other} by reusing its core (for tests). */
    boolean sharesCoreWith(RuleTable other) {
        return core == other.core;
    }

    @Override
    public String toString() {
        return "RuleTable[" + direction + ", " + entries.size() + " entries; core: " + core
                + (overlay == null ? "" : "; overlay: " + overlay)
                + (live == null ? "" : "; " + (core.entries() - entries.size() + overlayToEntry.length)
                + " dead core entries") + "]";
    }
}
