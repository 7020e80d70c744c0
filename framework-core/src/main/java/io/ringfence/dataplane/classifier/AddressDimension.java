package io.ringfence.dataplane.classifier;

import io.ringfence.net.IpFamily;
import java.util.Arrays;
import java.util.List;

/**
 * The remote address of one family cut into elementary intervals of the 32- or 128-bit address
 * space. The rows accepting an address are {@code base XOR patch}: the dense {@code base} holds the
 * rows that accept addresses nobody named (remote ANY, and negated remotes); each interval's sparse
 * patch flips the rows whose group covers it (a named row turns on, a negated one off). Large
 * tables are mostly rows naming a few prefixes each, so a patch is a handful of words where a dense
 * bitset per interval would be thousands of intervals times the whole row count. Patches come in
 * two levels (see {@link #build}). Addresses are
 * unsigned 128-bit values held as two longs (high is 0 for IPv4). Immutable once built.
 */
final class AddressDimension {

    private final long[] base;
    // IPv4: interval starts as signed ints (start ^ 0x8000_0000), so that int order is address order
    private final int[] starts32;
    // IPv6: interval starts as unsigned (high, low)
    private final long[] startHigh;
    private final long[] startLow;
    private final int[] fineOf;
    private final int[] coarseOf;
    private final int[] patchStart;
    private final int[] patchWord;
    private final long[] patchBits;
    private final long[] patchSummary;

    /** Ranges spanning more elementary intervals than this are coarse (see {@link #build}). */
    static final int FINE_SPAN = 16;

    private AddressDimension(long[] base, int[] starts32, long[] startHigh, long[] startLow, int[] fineOf,
                             int[] coarseOf, PatchPool patches) {
        this.base = base;
        this.starts32 = starts32;
        this.startHigh = startHigh;
        this.startLow = startLow;
        this.fineOf = fineOf;
        this.coarseOf = coarseOf;
        this.patchStart = patches.starts();
        this.patchWord = patches.words();
        this.patchBits = patches.bits();
        this.patchSummary = patches.summaries();
    }

    /** What one row accepts: null ranges for any address, else a group's ranges, possibly negated. */
    record Constraint(long[] ranges, boolean negated) {
        static final Constraint ANY = new Constraint(null, false);
    }

    /**
     * Builds the dimension in one sweep over the sorted range edges, flipping a row's patch bit at
     * each edge (a group's ranges are disjoint, so every flip in is followed by a flip out).
     *
     * <p>A range that spans more than {@value #FINE_SPAN} elementary intervals (a short prefix with
     * longer ones inside) goes to the coarse patches, the others to the fine ones: an interval's
     * rows are {@code base ^ fine ^ coarse}. Coarse patches change only at coarse edges, so the
     * intervals between them share one, where a single level would copy the rows of every short
     * prefix into the patch of every interval inside it.
     *
     * @param family      the family (fixes the last address)
     * @param constraints per row; ranges are sorted, disjoint, inclusive {@code fromHigh, fromLow, toHigh, toLow} quadruples
     * @param words       longs per bitset
     */
    static AddressDimension build(IpFamily family, List<Constraint> constraints, int words) {
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

        // elementary interval of each edge (interval 0 starts at address 0), and each range's span
        int[] intervalOf = new int[n];
        int points = 0;
        for (int e = 0; e < n; e++) {
            int edge = order[e];
            boolean same = e > 0 && high[order[e - 1]] == high[edge] && low[order[e - 1]] == low[edge];
            if (!same && (e > 0 || high[edge] != 0 || low[edge] != 0)) {
                points++;
            }
            intervalOf[edge] = points;
        }
        int[] rangeStart = new int[ranges];
        int[] rangeEnd = new int[ranges];
        Arrays.fill(rangeEnd, points + 1);
        boolean[] seen = new boolean[ranges];
        for (int edge = 0; edge < n; edge++) {
            int range = rangeOf[edge];
            if (seen[range]) {
                rangeEnd[range] = intervalOf[edge];
            } else {
                rangeStart[range] = intervalOf[edge];
                seen[range] = true;
            }
        }

        int sums = (words + 63) >>> 6;
        Level fine = new Level(words, sums);
        Level coarse = new Level(words, sums);
        PatchPool patches = new PatchPool(sums);
        int empty = patches.intern(fine.current, fine.nonZero);
        long[] startsHigh = new long[points + 1];
        long[] startsLow = new long[points + 1];
        int[] fineOf = new int[points + 1];
        int[] coarseOf = new int[points + 1];
        int intervals = 0;
        int finePatch = empty;
        int coarsePatch = empty;
        int e = 0;
        long h = 0;
        long l = 0;
        while (true) {
            boolean fineChanged = false;
            boolean coarseChanged = false;
            while (e < n && high[order[e]] == h && low[order[e]] == l) {
                int range = rangeOf[order[e++]];
                if (rangeEnd[range] - rangeStart[range] > FINE_SPAN) {
                    coarse.flip(rowOf[range]);
                    coarseChanged = true;
                } else {
                    fine.flip(rowOf[range]);
                    fineChanged = true;
                }
            }
            finePatch = fineChanged ? patches.intern(fine.current, fine.nonZero) : finePatch;
            coarsePatch = coarseChanged ? patches.intern(coarse.current, coarse.nonZero) : coarsePatch;
            if (intervals == 0 || fineOf[intervals - 1] != finePatch || coarseOf[intervals - 1] != coarsePatch) {
                startsHigh[intervals] = h;
                startsLow[intervals] = l;
                fineOf[intervals] = finePatch;
                coarseOf[intervals++] = coarsePatch;
            }
            if (e == n) {
                break;
            }
            h = high[order[e]];
            l = low[order[e]];
        }
        fineOf = Arrays.copyOf(fineOf, intervals);
        coarseOf = Arrays.copyOf(coarseOf, intervals);
        if (family == IpFamily.IPV4) {
            int[] starts32 = new int[intervals];
            for (int i = 0; i < intervals; i++) {
                starts32[i] = (int) startsLow[i] ^ Integer.MIN_VALUE;
            }
            return new AddressDimension(base, starts32, null, null, fineOf, coarseOf, patches);
        }
        return new AddressDimension(base, null, Arrays.copyOf(startsHigh, intervals),
                Arrays.copyOf(startsLow, intervals), fineOf, coarseOf, patches);
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

    /** Edge indices in address order, for 32-bit addresses: one primitive sort of (address, index) packed in a long. */
    private static int[] order32(long[] low, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (low[i] - (1L << 31)) << 32 | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
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

    /** The elementary interval holding the address. */
    int interval(long high, long low) {
        int lo = 0;
        if (starts32 != null) {
            int[] s = starts32;
            int key = (int) low ^ Integer.MIN_VALUE;
            int hi = s.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (s[mid] <= key) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
        } else {
            int hi = startHigh.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                int c = Long.compareUnsigned(startHigh[mid], high);
                if (c < 0 || c == 0 && Long.compareUnsigned(startLow[mid], low) <= 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
        }
        return lo;
    }

    /** The fine patch of an interval. */
    int finePatch(int interval) {
        return fineOf[interval];
    }

    /** The coarse patch of an interval. */
    int coarsePatch(int interval) {
        return coarseOf[interval];
    }

    /** Rows accepting every address no patch flips (not copied: read only). */
    long[] base() {
        return base;
    }

    /** {@code patchStarts()[p]} .. {@code patchStarts()[p + 1]} index the words of patch {@code p} (read only). */
    int[] patchStarts() {
        return patchStart;
    }

    /** Word indices of the patches, ascending within each patch (read only). */
    int[] patchWords() {
        return patchWord;
    }

    /** The bits of each patch word (read only). */
    long[] patchBits() {
        return patchBits;
    }

    /** Per patch, one long per 64 words: bit {@code w} says whether the patch has word {@code w} (read only). */
    long[] patchSummaries() {
        return patchSummary;
    }

    /** Number of elementary intervals. */
    int intervals() {
        return fineOf.length;
    }

    /** Number of (word, bits) pairs over all distinct patches. */
    int patchWordCount() {
        return patchWord.length;
    }

    /** Longs held. */
    long longs() {
        long starts = starts32 != null ? starts32.length / 2 : startHigh.length * 2L;
        return base.length + starts + fineOf.length + patchStart.length / 2 + patchWord.length / 2
                + patchBits.length + patchSummary.length;
    }
}
