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
 * bitset per interval would be thousands of intervals times the whole row count. Addresses are
 * unsigned 128-bit values held as two longs (high is 0 for IPv4). Immutable once built.
 */
final class AddressDimension {

    private final long[] base;
    // IPv4: interval starts as signed ints (start ^ 0x8000_0000), so that int order is address order
    private final int[] starts32;
    // IPv6: interval starts as unsigned (high, low)
    private final long[] startHigh;
    private final long[] startLow;
    private final int[] patchOf;
    private final int[] patchStart;
    private final int[] patchWord;
    private final long[] patchBits;

    private AddressDimension(long[] base, int[] starts32, long[] startHigh, long[] startLow, int[] patchOf,
                             PatchPool patches) {
        this.base = base;
        this.starts32 = starts32;
        this.startHigh = startHigh;
        this.startLow = startLow;
        this.patchOf = patchOf;
        this.patchStart = patches.starts();
        this.patchWord = patches.words();
        this.patchBits = patches.bits();
    }

    /** What one row accepts: null ranges for any address, else a group's ranges, possibly negated. */
    record Constraint(long[] ranges, boolean negated) {
        static final Constraint ANY = new Constraint(null, false);
    }

    /**
     * Builds the dimension in one sweep over the sorted range edges, flipping a row's patch bit at
     * each edge (a group's ranges are disjoint, so every flip in is followed by a flip out).
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
        long[] high = new long[count];
        long[] low = new long[count];
        int[] rows = new int[count];
        int n = 0;
        for (int row = 0; row < constraints.size(); row++) {
            long[] r = constraints.get(row).ranges();
            for (int k = 0; r != null && k < r.length; k += 4) {
                high[n] = r[k];
                low[n] = r[k + 1];
                rows[n++] = row;
                if (!isLast(family, r[k + 2], r[k + 3])) {
                    low[n] = r[k + 3] + 1;
                    high[n] = low[n] == 0 ? r[k + 2] + 1 : r[k + 2];
                    rows[n++] = row;
                }
            }
        }
        int[] order = family == IpFamily.IPV4 ? order32(low, n) : order128(high, low, n);

        int sums = (words + 63) >>> 6;
        long[] current = new long[words];
        long[] nonZero = new long[sums];
        PatchPool patches = new PatchPool();
        long[] startsHigh = new long[n + 1];
        long[] startsLow = new long[n + 1];
        int[] patchOf = new int[n + 1];
        int intervals = 0;
        int e = 0;
        long h = 0;
        long l = 0;
        while (true) {
            while (e < n && high[order[e]] == h && low[order[e]] == l) {
                int row = rows[order[e++]];
                int w = row >>> 6;
                current[w] ^= 1L << row;
                if (current[w] == 0) {
                    nonZero[w >>> 6] &= ~(1L << w);
                } else {
                    nonZero[w >>> 6] |= 1L << w;
                }
            }
            int patch = patches.intern(current, nonZero);
            if (intervals == 0 || patchOf[intervals - 1] != patch) {
                startsHigh[intervals] = h;
                startsLow[intervals] = l;
                patchOf[intervals++] = patch;
            }
            if (e == n) {
                break;
            }
            h = high[order[e]];
            l = low[order[e]];
        }
        patchOf = Arrays.copyOf(patchOf, intervals);
        if (family == IpFamily.IPV4) {
            int[] starts32 = new int[intervals];
            for (int i = 0; i < intervals; i++) {
                starts32[i] = (int) startsLow[i] ^ Integer.MIN_VALUE;
            }
            return new AddressDimension(base, starts32, null, null, patchOf, patches);
        }
        return new AddressDimension(base, null, Arrays.copyOf(startsHigh, intervals),
                Arrays.copyOf(startsLow, intervals), patchOf, patches);
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

    /** The patch of the interval holding the address. */
    int patch(long high, long low) {
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
        return patchOf[lo];
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

    /** Number of elementary intervals. */
    int intervals() {
        return patchOf.length;
    }

    /** Number of (word, bits) pairs over all distinct patches. */
    int patchWordCount() {
        return patchWord.length;
    }

    /** Longs held. */
    long longs() {
        long starts = starts32 != null ? starts32.length / 2 : startHigh.length * 2L;
        return base.length + starts + patchOf.length / 2 + patchStart.length / 2 + patchWord.length / 2
                + patchBits.length;
    }
}
