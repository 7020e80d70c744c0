package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bit-vector classifier over a fixed list of entries (see {@link RuleTable} for the algorithm
 * and why): three dimensions (remote address of the packet's family, service key, source key), each
 * answering with the rows that accept the packet's value, and a word-by-word AND in row order that
 * stops at the first non-zero word. Summaries, one bit per word, let the AND visit only the words
 * where a match is possible. Immutable.
 */
final class BitVectorClassifier {

    private final int[] rowEntry;
    private final int entryCount;
    private final int words;
    private final int sums;
    private final AddressDimension v4;
    private final AddressDimension v6;
    private final IntDimension service;
    private final IntDimension source;
    // per service bitset: which words of (base of the family AND the bitset) are non-zero
    private final long[] serviceSummary4;
    private final long[] serviceSummary6;
    // per source bitset: which of its words are non-zero
    private final long[] sourceSummary;

    private BitVectorClassifier(List<CompiledRule> entries, List<Row> rows, Map<String, AddressSet> addressSets) {
        this.entryCount = entries.size();
        this.rowEntry = rows.stream().mapToInt(Row::entry).toArray();
        this.words = (rows.size() + 63) >>> 6;
        this.sums = (words + 63) >>> 6;
        List<int[]> serviceKeys = new ArrayList<>(rows.size());
        List<int[]> sourceKeys = new ArrayList<>(rows.size());
        for (Row row : rows) {
            serviceKeys.add(row.serviceKeys());
            sourceKeys.add(row.sourceKeys());
        }
        this.service = IntDimension.build(serviceKeys, words, Row.MAX_SERVICE_KEY);
        this.source = IntDimension.build(sourceKeys, words, Row.MAX_SOURCE_KEY);
        this.v4 = addresses(IpFamily.IPV4, entries, rows, addressSets);
        this.v6 = addresses(IpFamily.IPV6, entries, rows, addressSets);
        this.serviceSummary4 = service.summaries(v4.base(), sums);
        this.serviceSummary6 = service.summaries(v6.base(), sums);
        this.sourceSummary = source.summaries(null, sums);
    }

    /**
     * Builds the classifier of {@code entries}.
     *
     * @param addressSets the address set of every group the entries name
     */
    static BitVectorClassifier build(List<CompiledRule> entries, Map<String, AddressSet> addressSets) {
        return new BitVectorClassifier(entries, Row.expand(entries), addressSets);
    }

    private AddressDimension addresses(IpFamily family, List<CompiledRule> entries, List<Row> rows,
                                       Map<String, AddressSet> addressSets) {
        Map<String, long[]> rangesByGroup = new HashMap<>();
        List<AddressDimension.Constraint> constraints = new ArrayList<>(rows.size());
        for (Row row : rows) {
            CompiledRule e = entries.get(row.entry());
            if (e.remote() == null) {
                constraints.add(AddressDimension.Constraint.ANY);
                continue;
            }
            long[] ranges = rangesByGroup.computeIfAbsent(e.remote(), id -> addressSets.get(id).ranges(family));
            constraints.add(new AddressDimension.Constraint(ranges, e.remoteNegated()));
        }
        return AddressDimension.build(family, constraints, words);
    }

    /**
     * The first row accepting the packet, or -1.
     *
     * @param family        the packet's family
     * @param high          high half of the remote address (0 for IPv4)
     * @param low           low half of the remote address
     * @param serviceKey    the packet's {@link Row#serviceKey}
     * @param sourceKey     the packet's {@link Row#sourceKey}
     * @param live          rows that may match (one bit per row), or null for all of them
     */
    int classify(IpFamily family, long high, long low, int serviceKey, int sourceKey, long[] live) {
        boolean ipv4 = family == IpFamily.IPV4;
        AddressDimension a = ipv4 ? v4 : v6;
        int interval = a.interval(high, low);
        int fine = a.finePatch(interval);
        int coarse = a.coarsePatch(interval);
        int serviceId = service.id(serviceKey);
        int sourceId = source.id(sourceKey);
        long[] base = a.base();
        long[] patchBits = a.patchBits();
        long[] patchSummary = a.patchSummaries();
        long[] serviceBits = service.bits();
        long[] sourceBits = source.bits();
        long[] serviceSummary = ipv4 ? serviceSummary4 : serviceSummary6;
        int serviceOffset = serviceId * words;
        int sourceOffset = sourceId * words;
        int serviceSum = serviceId * sums;
        int sourceSum = sourceId * sums;
        int fineSum = fine * sums;
        int coarseSum = coarse * sums;
        // a patch's words are stored in ascending order: the one for word w is found by counting the
        // patch's summary bits below w (a rank), without walking the patch
        int fineWords = a.patchStarts()[fine];
        int coarseWords = a.patchStarts()[coarse];
        for (int j = 0; j < sums; j++) {
            long inFine = patchSummary[fineSum + j];
            long inCoarse = patchSummary[coarseSum + j];
            long candidates = (serviceSummary[serviceSum + j] | inFine | inCoarse) & sourceSummary[sourceSum + j];
            while (candidates != 0) {
                int bit = Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                int w = j << 6 | bit;
                long below = (1L << bit) - 1;
                long bits = base[w];
                if ((inFine >>> bit & 1) != 0) {
                    bits ^= patchBits[fineWords + Long.bitCount(inFine & below)];
                }
                if ((inCoarse >>> bit & 1) != 0) {
                    bits ^= patchBits[coarseWords + Long.bitCount(inCoarse & below)];
                }
                long match = bits & serviceBits[serviceOffset + w] & sourceBits[sourceOffset + w];
                if (live != null) {
                    match &= live[w];
                }
                if (match != 0) {
                    return w << 6 | Long.numberOfTrailingZeros(match);
                }
            }
            fineWords += Long.bitCount(inFine);
            coarseWords += Long.bitCount(inCoarse);
        }
        return -1;
    }

    /** The entry of {@code row}. */
    int entryOf(int row) {
        return rowEntry[row];
    }

    /** Number of entries. */
    int entries() {
        return entryCount;
    }

    /** Number of rows. */
    int rows() {
        return rowEntry.length;
    }

    /** Approximate heap held by the arrays, in bytes. */
    long bytes() {
        return 8 * (v4.longs() + v6.longs() + service.longs() + source.longs() + serviceSummary4.length
                + serviceSummary6.length + sourceSummary.length) + 4L * rowEntry.length;
    }

    @Override
    public String toString() {
        return entryCount + " entries, " + rowEntry.length + " rows; intervals: IPv4 " + v4.intervals() + " ("
                + v4.patchWordCount() + " patch words), IPv6 " + v6.intervals() + " (" + v6.patchWordCount()
                + " patch words), service " + service.intervals() + " (" + service.distinct() + " bitsets), source "
                + source.intervals() + " (" + source.distinct() + " bitsets); ~" + bytes() / 1024 + " KiB";
    }
}
