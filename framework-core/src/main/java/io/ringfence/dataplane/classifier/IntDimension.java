package io.ringfence.dataplane.classifier;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One integer field of the packet (protocol, a port, ICMP type or code) cut into elementary
 * intervals: between two consecutive boundaries every row either accepts every value or none, so
 * one bitset per interval says which rows accept the field. Immutable once built.
 */
final class IntDimension {

    // starts[i] is the first value of interval i; starts[0] is Integer.MIN_VALUE so every value falls in one
    private final int[] starts;
    // offsets[i] is where interval i's bitset begins in bits
    private final int[] offsets;
    private final long[] bits;

    private IntDimension(int[] starts, int[] offsets, long[] bits) {
        this.starts = starts;
        this.offsets = offsets;
        this.bits = bits;
    }

    /**
     * Builds the dimension.
     *
     * @param rowRanges per row, the accepted values as flat inclusive {@code from, to} pairs, or null for any value
     * @param words     longs per bitset
     */
    static IntDimension build(List<int[]> rowRanges, int words) {
        TreeSet<Integer> boundaries = new TreeSet<>();
        boundaries.add(Integer.MIN_VALUE);
        for (int[] ranges : rowRanges) {
            for (int k = 0; ranges != null && k < ranges.length; k += 2) {
                boundaries.add(ranges[k]);
                if (ranges[k + 1] != Integer.MAX_VALUE) {
                    boundaries.add(ranges[k + 1] + 1);
                }
            }
        }
        int[] starts = boundaries.stream().mapToInt(Integer::intValue).toArray();
        long[][] perInterval = new long[starts.length][words];
        for (int row = 0; row < rowRanges.size(); row++) {
            int[] ranges = rowRanges.get(row);
            if (ranges == null) {
                setBit(perInterval, row, 0, starts.length - 1);
                continue;
            }
            for (int k = 0; k < ranges.length; k += 2) {
                setBit(perInterval, row, indexOf(starts, ranges[k]), indexOf(starts, ranges[k + 1]));
            }
        }
        BitsetPool pool = new BitsetPool(words);
        int[] offsets = new int[starts.length];
        for (int i = 0; i < starts.length; i++) {
            offsets[i] = pool.intern(perInterval[i]);
        }
        return new IntDimension(starts, offsets, pool.toArray());
    }

    private static void setBit(long[][] perInterval, int row, int fromInterval, int toInterval) {
        for (int i = fromInterval; i <= toInterval; i++) {
            perInterval[i][row >>> 6] |= 1L << row;
        }
    }

    private static int indexOf(int[] starts, int value) {
        int i = Arrays.binarySearch(starts, value);
        return i >= 0 ? i : -i - 2;
    }

    /** Offset in {@link #bits()} of the bitset of the rows that accept {@code value}. */
    int offset(int value) {
        return offsets[indexOf(starts, value)];
    }

    /** The interned bitsets (not copied: read only). */
    long[] bits() {
        return bits;
    }

    /** Number of elementary intervals. */
    int intervals() {
        return starts.length;
    }
}
