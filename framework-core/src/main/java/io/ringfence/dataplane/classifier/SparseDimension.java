package io.ringfence.dataplane.classifier;

import io.ringfence.net.IpFamily;
import java.util.Arrays;
import java.util.List;

/**
 * One field of the packet cut into elementary intervals: the remote address of one family (a 32- or
 * 128-bit value), or {@link Row}'s service key within one protocol (a 32-bit value). Between two
 * consecutive edges of the rows' ranges every row either accepts every value or none. The rows
 * accepting a value are {@code base XOR patches}: the dense {@code base} holds the rows that accept
 * every value no range names (remote ANY and negated remotes; every port of the protocol, or
 * protocol ANY); the sparse patches of
 * the value's interval flip the rows whose ranges cover it (a named row turns on, a negated one
 * off). A patch is a handful of words where a dense bitset per interval would be the whole row count
 * for every interval: the difference between megabytes and tens of kilobytes at ten thousand rows,
 * and between a lookup that misses the cache on every word and one that does not.
 *
 * <p>An interval has three patches, by the kind of range that covers it:
 * <ul>
 * <li><b>fine</b>: ranges spanning at most {@value #FINE_SPAN} elementary intervals (hosts, small
 *     subnets, exact ports): one patch per interval, a few words;</li>
 * <li><b>coarse</b>: wider ranges (a short prefix with longer ones inside, the ephemeral ports). Their patch changes only at coarse edges, so the intervals in between share
 *     it, where a single level would copy the rows of every wide range into the patch of every
 *     interval inside it;</li>
 * <li><b>exact</b> (addresses only): the coarse ranges of rows that accept exactly one service key,
 *     kept out of the words and looked up by (patch, service key) in an {@link ExactIndex}. A short
 *     prefix is typically named by many rules, each for another port: as words, each of them would
 *     be a candidate the AND visits in vain.</li>
 * </ul>
 * Values are unsigned, held as two longs (high is 0 for 32-bit values). Immutable once built.
 */
final class SparseDimension {

    /** Starts per block of the two-level interval search. */
    private static final int BLOCK = 32;
    /** Ranges spanning more elementary intervals than this are coarse. */
    static final int FINE_SPAN = 16;
    /** The offset of the patch of no row (the first interned). */
    static final int NONE = 0;

    private final long[] base;
    // IPv4: interval starts as signed ints (start ^ 0x8000_0000), so that int order is address order
    private final int[] starts32;
    // every BLOCK-th start of starts32: searched first, it is small enough to stay in the L1 cache,
    // and leaves a search within BLOCK consecutive starts (two cache lines) instead of a search whose
    // every step lands on another line of a large array
    private final int[] sample32;
    // IPv6: interval starts as unsigned (high, low)
    private final long[] startHigh;
    private final long[] startLow;
    // per interval: its fine, coarse and exact patches, side by side (one cache line, not three)
    private final int[] patchesOf;
    private final long[] patches;
    private final int sums;
    private final boolean baseEmpty;
    private final ExactIndex exact;

    private SparseDimension(long[] base, int[] starts32, long[] startHigh, long[] startLow, int[] patchesOf,
                            PatchPool patches, ExactIndex exact) {
        this.base = base;
        this.starts32 = starts32;
        this.sample32 = starts32 == null ? null : sample(starts32);
        this.startHigh = startHigh;
        this.startLow = startLow;
        this.patchesOf = patchesOf;
        this.patches = patches.data();
        this.sums = (base.length + 63) >>> 6;
        this.baseEmpty = Arrays.stream(base).allMatch(w -> w == 0);
        this.exact = exact;
    }

    /**
     * What one row accepts: null ranges for any value, else ranges, possibly negated; for an address,
     * the one service key the row accepts, or -1 when it accepts several (or constrains the source).
     */
    record Constraint(long[] ranges, boolean negated, int exactServiceKey) {
        static final Constraint ANY = new Constraint(null, false, -1);
        static final Constraint NONE = new Constraint(new long[0], false, -1);

        /** Keys in {@code from, to} int pairs (as from {@link Row#serviceKeys}), as value ranges. */
        static Constraint ofKeys(int[] keys) {
            long[] ranges = new long[keys.length * 2];
            for (int i = 0; i < keys.length; i += 2) {
                ranges[2 * i + 1] = keys[i];
                ranges[2 * i + 3] = keys[i + 1];
            }
            return new Constraint(ranges, false, -1);
        }
    }

    /**
     * Builds the dimension in one sweep over the sorted range edges, flipping a row's patch bit at
     * each edge (a group's ranges are disjoint, so every flip in is followed by a flip out).
     *
     * @param family      IPv4 for 32-bit values (addresses and keys), IPv6 for 128-bit ones
     * @param constraints per row; ranges are sorted, disjoint, inclusive {@code fromHigh, fromLow, toHigh, toLow} quadruples
     * @param words       longs per bitset
     */
    static SparseDimension build(IpFamily family, List<Constraint> constraints, int words) {
        long[] base = new long[words];
        int count = 0;
        for (int row = 0; row < constraints.size(); row++) {
            Constraint c = constraints.get(row);
            if (c.ranges() == null || c.negated()) {
                base[row >>> 6] |= 1L << row;
            }
            count += c.ranges() == null ? 0 : c.ranges().length / 2;
        }
        // edges: a range's start, and the address after its end unless it ends the space
        long[] high = new long[count];
        long[] low = new long[count];
        int[] rangeOf = new int[count];
        int[] rowOf = new int[count / 2 + 1];
        int n = 0;
        int ranges = 0;
        for (int row = 0; row < constraints.size(); row++) {
            long[] r = constraints.get(row).ranges();
            for (int k = 0; r != null && k < r.length; k += 4) {
                rowOf[ranges] = row;
                high[n] = r[k];
                low[n] = r[k + 1];
                rangeOf[n++] = ranges;
                if (!isLast(family, r[k + 2], r[k + 3])) {
                    low[n] = r[k + 3] + 1;
                    high[n] = low[n] == 0 ? r[k + 2] + 1 : r[k + 2];
                    rangeOf[n++] = ranges;
                }
                ranges++;
            }
        }
        int[] order = family == IpFamily.IPV4 ? order32(low, n) : order128(high, low, n);
        // the edges in order, so that the passes below read them one after the other
        long[] sortedHigh = new long[n];
        long[] sortedLow = new long[n];
        int[] sortedRange = new int[n];
        for (int e = 0; e < n; e++) {
            sortedHigh[e] = high[order[e]];
            sortedLow[e] = low[order[e]];
            sortedRange[e] = rangeOf[order[e]];
        }
        high = sortedHigh;
        low = sortedLow;
        rangeOf = sortedRange;
        int[] level = levels(constraints, high, low, rangeOf, rowOf, ranges, n);

        int sums = (words + 63) >>> 6;
        Level[] state = {new Level(words, sums), new Level(words, sums), new Level(words, sums)};
        PatchPool patches = new PatchPool(sums);
        PatchPool exactPatches = new PatchPool(sums);
        int[] current = {patches.intern(state[0].current, state[0].nonZero), NONE,
            exactPatches.intern(state[2].current, state[2].nonZero)};
        long[] startsHigh = new long[n + 1];
        long[] startsLow = new long[n + 1];
        int[][] of = {new int[n + 1], new int[n + 1], new int[n + 1]};
        int intervals = 0;
        int e = 0;
        long h = 0;
        long l = 0;
        while (true) {
            int changed = 0;
            while (e < n && high[e] == h && low[e] == l) {
                int range = rangeOf[e++];
                state[level[range]].flip(rowOf[range]);
                changed |= 1 << level[range];
            }
            for (int k = 0; k < 3; k++) {
                if ((changed >>> k & 1) != 0) {
                    current[k] = (k == 2 ? exactPatches : patches).intern(state[k].current, state[k].nonZero);
                }
            }
            boolean same = intervals > 0;
            for (int k = 0; k < 3 && same; k++) {
                same = of[k][intervals - 1] == current[k];
            }
            if (!same) {
                startsHigh[intervals] = h;
                startsLow[intervals] = l;
                for (int k = 0; k < 3; k++) {
                    of[k][intervals] = current[k];
                }
                intervals++;
            }
            if (e == n) {
                break;
            }
            h = high[e];
            l = low[e];
        }
        ExactIndex exact = exactIndex(exactPatches, constraints, sums);
        int[] patchesOf = new int[3 * intervals];
        for (int i = 0; i < intervals; i++) {
            for (int k = 0; k < 3; k++) {
                patchesOf[3 * i + k] = of[k][i];
            }
        }
        if (family == IpFamily.IPV4) {
            int[] starts32 = new int[intervals];
            for (int i = 0; i < intervals; i++) {
                starts32[i] = (int) startsLow[i] ^ Integer.MIN_VALUE;
            }
            return new SparseDimension(base, starts32, null, null, patchesOf, patches, exact);
        }
        return new SparseDimension(base, null, Arrays.copyOf(startsHigh, intervals),
                Arrays.copyOf(startsLow, intervals), patchesOf, patches, exact);
    }

    /**
     * Per range: 0 fine, 1 coarse, 2 coarse of a row with one exact service key (see the class
     * comment). The edges are sorted.
     */
    private static int[] levels(List<Constraint> constraints, long[] high, long[] low, int[] rangeOf, int[] rowOf,
                                int ranges, int n) {
        int[] start = new int[ranges];
        int[] end = new int[ranges];
        Arrays.fill(start, -1);
        int points = 0;
        for (int e = 0; e < n; e++) {
            // elementary interval of the edge (interval 0 starts at 0)
            boolean same = e > 0 && high[e - 1] == high[e] && low[e - 1] == low[e];
            if (!same && (e > 0 || high[e] != 0 || low[e] != 0)) {
                points++;
            }
            int range = rangeOf[e];
            if (start[range] < 0) {
                start[range] = points;
                end[range] = -1;
            } else {
                end[range] = points;
            }
        }
        int[] level = new int[ranges];
        for (int range = 0; range < ranges; range++) {
            int last = end[range] < 0 ? points + 1 : end[range];
            if (last - start[range] > FINE_SPAN) {
                Constraint c = constraints.get(rowOf[range]);
                level[range] = !c.negated() && c.exactServiceKey() >= 0 ? 2 : 1;
            }
        }
        return level;
    }

    /** The (exact patch, service key) → rows index of the distinct exact patches. */
    private static ExactIndex exactIndex(PatchPool exactPatches, List<Constraint> constraints, int sums) {
        long[] data = exactPatches.data();
        int[] offsets = exactPatches.offsets();
        int count = 0;
        for (int offset : offsets) {
            int words = 0;
            for (int j = 0; j < sums; j++) {
                words += Long.bitCount(data[offset + j]);
            }
            for (int k = offset + sums; k < offset + sums + words; k++) {
                count += Long.bitCount(data[k]);
            }
        }
        long[] keys = new long[count];
        int[] rows = new int[count];
        long[] byKey = new long[count];
        int n = 0;
        Arrays.sort(offsets);
        for (int offset : offsets) {
            // a patch's rows sorted by (service key, row); patches in ascending offset order
            int m = 0;
            int k = offset + sums;
            for (int j = 0; j < sums; j++) {
                for (long c = data[offset + j]; c != 0; c &= c - 1) {
                    int w = j << 6 | Long.numberOfTrailingZeros(c);
                    for (long b = data[k++]; b != 0; b &= b - 1) {
                        int row = w << 6 | Long.numberOfTrailingZeros(b);
                        byKey[m++] = (long) constraints.get(row).exactServiceKey() << 32 | row;
                    }
                }
            }
            Arrays.sort(byKey, 0, m);
            for (int i = 0; i < m; i++) {
                keys[n] = (long) offset << 32 | byKey[i] >>> 32;
                rows[n++] = (int) byKey[i];
            }
        }
        return ExactIndex.of(keys, rows, n);
    }

    /** The rows whose ranges of one level cover the sweep's current address, with its non-zero words. */
    private static final class Level {
        final long[] current;
        final long[] nonZero;

        Level(int words, int sums) {
            current = new long[words];
            nonZero = new long[sums];
        }

        void flip(int row) {
            int w = row >>> 6;
            current[w] ^= 1L << row;
            if (current[w] == 0) {
                nonZero[w >>> 6] &= ~(1L << w);
            } else {
                nonZero[w >>> 6] |= 1L << w;
            }
        }
    }

    private static boolean isLast(IpFamily family, long high, long low) {
        return family == IpFamily.IPV4 ? low == 0xFFFF_FFFFL : high == -1L && low == -1L;
    }

    /**
     * Edge indices in value order, for 32-bit values: a radix sort, three passes of 11 bits (a
     * count array of 2,048 that stays in the L1 cache), for the tens of thousands of edges of a
     * large table; a primitive sort of (value, index) packed in a long for small ones.
     */
    private static int[] order32(long[] low, int n) {
        int[] order = new int[n];
        if (n < 4096) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = (low[i] - (1L << 31)) << 32 | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                order[i] = (int) keys[i];
            }
            return order;
        }
        int[] from = new int[n];
        for (int i = 0; i < n; i++) {
            from[i] = i;
        }
        int[] count = new int[2049];
        for (int shift = 0; shift < 32; shift += 11) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (low[i] >>> shift & 0x7FF) + 1]++;
            }
            for (int b = 0; b < 2048; b++) {
                count[b + 1] += count[b];
            }
            for (int i = 0; i < n; i++) {
                int edge = from[i];
                order[count[(int) (low[edge] >>> shift & 0x7FF)]++] = edge;
            }
            int[] swap = from;
            from = order;
            order = swap;
        }
        return from;
    }

    /**
     * Edge indices in address order, for 128-bit addresses: the high and low halves are ranked apart
     * (two primitive sorts), the pair of ranks is ranked again, and that rank packs with the index
     * into a long for a last primitive sort, instead of sorting boxed indices with a comparator.
     */
    private static int[] order128(long[] high, long[] low, int n) {
        long[] highs = distinctUnsigned(high, n);
        long[] lows = distinctUnsigned(low, n);
        long[] pairs = new long[n];
        for (int i = 0; i < n; i++) {
            pairs[i] = (long) Arrays.binarySearch(highs, high[i] ^ Long.MIN_VALUE) * lows.length
                    + Arrays.binarySearch(lows, low[i] ^ Long.MIN_VALUE);
        }
        long[] ranks = pairs.clone();
        Arrays.sort(ranks);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (long) Arrays.binarySearch(ranks, pairs[i]) << 32 | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /** The distinct values, sign-flipped so that signed order is their unsigned order, sorted. */
    private static long[] distinctUnsigned(long[] values, int n) {
        long[] flipped = new long[n];
        for (int i = 0; i < n; i++) {
            flipped[i] = values[i] ^ Long.MIN_VALUE;
        }
        Arrays.sort(flipped);
        int d = 0;
        for (int i = 0; i < n; i++) {
            if (d == 0 || flipped[d - 1] != flipped[i]) {
                flipped[d++] = flipped[i];
            }
        }
        return Arrays.copyOf(flipped, d);
    }

    private static int[] sample(int[] starts) {
        int[] sample = new int[(starts.length + BLOCK - 1) / BLOCK];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = starts[i * BLOCK];
        }
        return sample;
    }

    /**
     * The elementary interval holding the value: branch-free binary searches (the comparison picks
     * the half with a conditional move, which the CPU cannot mispredict), for 32-bit values first in
     * the sample of every {@value #BLOCK}-th start, then within the block it picks.
     */
    int interval(long high, long low) {
        int at = 0;
        if (starts32 != null) {
            int key = (int) low ^ Integer.MIN_VALUE;
            int[] sample = sample32;
            for (int n = sample.length; n > 1; ) {
                int half = n >>> 1;
                at = sample[at + half] <= key ? at + half : at;
                n -= half;
            }
            int[] s = starts32;
            at *= BLOCK;
            for (int n = Math.min(BLOCK, s.length - at); n > 1; ) {
                int half = n >>> 1;
                at = s[at + half] <= key ? at + half : at;
                n -= half;
            }
            return at;
        }
        long[] sh = startHigh;
        long[] sl = startLow;
        long h = high ^ Long.MIN_VALUE;
        long l = low ^ Long.MIN_VALUE;
        for (int n = sh.length; n > 1; ) {
            int half = n >>> 1;
            long mh = sh[at + half] ^ Long.MIN_VALUE;
            boolean below = mh < h | mh == h & (sl[at + half] ^ Long.MIN_VALUE) <= l;
            at = below ? at + half : at;
            n -= half;
        }
        return at;
    }

    /**
     * True when no row accepts the values of the interval: no patch names it and no row accepts any
     * value (a lookup there can stop at once; a small overlay of changed entries answers so for
     * most packets).
     */
    boolean empty(int interval) {
        return baseEmpty && patchesOf[3 * interval] == NONE && patchesOf[3 * interval + 1] == NONE
                && patchesOf[3 * interval + 2] == NONE;
    }

    /** The fine patch of an interval. */
    int finePatch(int interval) {
        return patchesOf[3 * interval];
    }

    /** The coarse patch of an interval. */
    int coarsePatch(int interval) {
        return patchesOf[3 * interval + 1];
    }

    /** The first live row of the interval's exact patch that accepts {@code serviceKey}, or -1. */
    int exactRow(int interval, int serviceKey, long[] live) {
        int patch = patchesOf[3 * interval + 2];
        return patch == NONE ? -1 : exact.first(patch, serviceKey, live);
    }

    /**
     * Writes into {@code out} the rows accepting the values of an interval, as a dense bitset,
     * leaving out the exact patch (for summaries, at build time).
     */
    void rows(int interval, long[] out) {
        System.arraycopy(base, 0, out, 0, base.length);
        for (int k = 0; k < 2; k++) {
            int patch = patchesOf[3 * interval + k];
            int at = patch + sums;
            for (int j = 0; j < sums; j++) {
                for (long c = patches[patch + j]; c != 0; c &= c - 1) {
                    out[j << 6 | Long.numberOfTrailingZeros(c)] ^= patches[at++];
                }
            }
        }
    }

    /** Rows accepting every value no patch flips (not copied: read only). */
    long[] base() {
        return base;
    }

    /**
     * The patches (read only): at a patch's offset its summary ({@code sums} longs, bit {@code w}
     * set iff the patch has word {@code w}), then its words in ascending order.
     */
    long[] patches() {
        return patches;
    }

    /** Number of elementary intervals. */
    int intervals() {
        return patchesOf.length / 3;
    }

    /** Longs of patch data (summaries and words). */
    int patchLongs() {
        return patches.length;
    }

    /** Number of (patch, service key) pairs in the exact index. */
    int exactKeys() {
        return exact.size();
    }

    /** Longs held. */
    long longs() {
        long starts = starts32 != null ? (starts32.length + sample32.length) / 2 : startHigh.length * 2L;
        return base.length + starts + patchesOf.length / 2 + patches.length + exact.longs();
    }
}
