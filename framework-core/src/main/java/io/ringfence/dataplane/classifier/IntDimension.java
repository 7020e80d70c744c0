package io.ringfence.dataplane.classifier;

import java.util.Arrays;
import java.util.List;

/**
 * One integer key of the packet ({@link Row}'s service key or source key) cut into elementary
 * intervals: between two consecutive boundaries every row either accepts every key or none, so one
 * dense bitset per interval says which rows accept it. Few intervals (one per distinct port edge),
 * each a full bitset: what the lookup ANDs word by word. Immutable once built.
 */
final class IntDimension {

    // starts[i] is the first key of interval i; starts[0] is 0, below every key
    private final int[] starts;
    // ids[i] is the bitset of interval i: words longs from ids[i] * words in bits
    private final int[] ids;
    private final long[] bits;
    private final int words;
    private final int distinct;

    private IntDimension(int[] starts, int[] ids, long[] bits, int words, int distinct) {
        this.starts = starts;
        this.ids = ids;
        this.bits = bits;
        this.words = words;
        this.distinct = distinct;
    }

    /**
     * Builds the dimension in one sweep over the sorted edges, flipping a row's bit at each edge of
     * its ranges (they are disjoint, so a flip in is always followed by a flip out).
     *
     * @param rowRanges per row, the accepted keys as sorted, disjoint, inclusive {@code from, to} pairs
     * @param words     longs per bitset
     * @param maxKey    the largest key (a range ending there has no edge after it)
     */
    static IntDimension build(List<int[]> rowRanges, int words, int maxKey) {
        int count = 0;
        for (int[] ranges : rowRanges) {
            count += ranges.length;
        }
        long[] edges = new long[count];
        int n = 0;
        for (int row = 0; row < rowRanges.size(); row++) {
            int[] ranges = rowRanges.get(row);
            for (int k = 0; k < ranges.length; k += 2) {
                edges[n++] = (long) ranges[k] << 32 | row;
                if (ranges[k + 1] < maxKey) {
                    edges[n++] = (long) (ranges[k + 1] + 1) << 32 | row;
                }
            }
        }
        Arrays.sort(edges, 0, n);
        BitsetPool pool = new BitsetPool(words);
        long[] current = new long[words];
        int[] starts = new int[n + 1];
        int[] ids = new int[n + 1];
        int intervals = 0;
        int e = 0;
        int key = 0;
        while (true) {
            while (e < n && (int) (edges[e] >>> 32) == key) {
                int row = (int) edges[e++];
                current[row >>> 6] ^= 1L << row;
            }
            int id = pool.intern(current);
            if (intervals == 0 || ids[intervals - 1] != id) {
                starts[intervals] = key;
                ids[intervals++] = id;
            }
            if (e == n) {
                break;
            }
            key = (int) (edges[e] >>> 32);
        }
        return new IntDimension(Arrays.copyOf(starts, intervals), Arrays.copyOf(ids, intervals), pool.toArray(),
                words, pool.size());
    }

    /** The bitset id of the interval holding {@code key}; its words start at {@code id * words}. */
    int id(int key) {
        int[] s = starts;
        int lo = 0;
        int hi = s.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (s[mid] <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return ids[lo];
    }

    /** The interned bitsets (not copied: read only). */
    long[] bits() {
        return bits;
    }

    /**
     * Per bitset, {@code sums} longs whose bit {@code w} says whether word {@code w} of the bitset
     * ANDed with {@code mask} (null: all ones) is non-zero: which words a lookup may skip.
     */
    long[] summaries(long[] mask, int sums) {
        long[] out = new long[distinct * sums];
        for (int id = 0; id < distinct; id++) {
            for (int w = 0; w < words; w++) {
                long word = bits[id * words + w] & (mask == null ? -1L : mask[w]);
                if (word != 0) {
                    out[id * sums + (w >>> 6)] |= 1L << w;
                }
            }
        }
        return out;
    }

    /** Number of elementary intervals. */
    int intervals() {
        return starts.length;
    }

    /** Number of distinct bitsets. */
    int distinct() {
        return distinct;
    }

    /** Longs held. */
    long longs() {
        return bits.length + (starts.length + ids.length) / 2;
    }
}
