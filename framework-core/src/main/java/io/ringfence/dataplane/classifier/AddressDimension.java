package io.ringfence.dataplane.classifier;

import io.ringfence.net.IpFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * The remote address of one family cut into elementary intervals of the 32- or 128-bit address
 * space, with, per interval, the bitset of the rows whose remote side accepts it. A negated remote
 * is its group's complement: the row is set everywhere, then cleared on the group's intervals.
 * Addresses are unsigned 128-bit values held as two longs (high is 0 for IPv4). Immutable once built.
 */
final class AddressDimension {

    private final long[] startHigh;
    private final long[] startLow;
    private final int[] offsets;
    private final long[] bits;

    private AddressDimension(long[] startHigh, long[] startLow, int[] offsets, long[] bits) {
        this.startHigh = startHigh;
        this.startLow = startLow;
        this.offsets = offsets;
        this.bits = bits;
    }

    /** What one row accepts: null ranges for any address, else a group's ranges, possibly negated. */
    record Constraint(long[] ranges, boolean negated) {
        static final Constraint ANY = new Constraint(null, false);
    }

    /**
     * Builds the dimension.
     *
     * @param family      the family (fixes the last address)
     * @param constraints per row; ranges are flat inclusive {@code fromHigh, fromLow, toHigh, toLow} quadruples
     * @param words       longs per bitset
     */
    static AddressDimension build(IpFamily family, List<Constraint> constraints, int words) {
        List<long[]> points = new ArrayList<>();
        points.add(new long[] {0, 0});
        for (Constraint c : constraints) {
            for (int k = 0; c.ranges() != null && k < c.ranges().length; k += 4) {
                points.add(new long[] {c.ranges()[k], c.ranges()[k + 1]});
                if (!isLast(family, c.ranges()[k + 2], c.ranges()[k + 3])) {
                    long low = c.ranges()[k + 3] + 1;
                    points.add(new long[] {low == 0 ? c.ranges()[k + 2] + 1 : c.ranges()[k + 2], low});
                }
            }
        }
        points.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
        List<long[]> distinct = new ArrayList<>();
        for (long[] p : points) {
            if (distinct.isEmpty() || compare(distinct.get(distinct.size() - 1)[0], distinct.get(distinct.size() - 1)[1],
                    p[0], p[1]) != 0) {
                distinct.add(p);
            }
        }
        long[] high = new long[distinct.size()];
        long[] low = new long[distinct.size()];
        for (int i = 0; i < high.length; i++) {
            high[i] = distinct.get(i)[0];
            low[i] = distinct.get(i)[1];
        }
        long[][] perInterval = new long[high.length][words];
        for (int row = 0; row < constraints.size(); row++) {
            Constraint c = constraints.get(row);
            if (c.ranges() == null || c.negated()) {
                flip(perInterval, row, 0, high.length - 1);
            }
            for (int k = 0; c.ranges() != null && k < c.ranges().length; k += 4) {
                flip(perInterval, row, indexOf(high, low, c.ranges()[k], c.ranges()[k + 1]),
                        indexOf(high, low, c.ranges()[k + 2], c.ranges()[k + 3]));
            }
        }
        BitsetPool pool = new BitsetPool(words);
        int[] offsets = new int[high.length];
        for (int i = 0; i < high.length; i++) {
            offsets[i] = pool.intern(perInterval[i]);
        }
        return new AddressDimension(high, low, offsets, pool.toArray());
    }

    private static boolean isLast(IpFamily family, long high, long low) {
        return family == IpFamily.IPV4 ? low == 0xFFFF_FFFFL : high == -1L && low == -1L;
    }

    // a group's ranges are disjoint, so flipping sets the row on them (or clears it from a negated row's "everywhere")
    private static void flip(long[][] perInterval, int row, int fromInterval, int toInterval) {
        for (int i = fromInterval; i <= toInterval; i++) {
            perInterval[i][row >>> 6] ^= 1L << row;
        }
    }

    private static int compare(long h1, long l1, long h2, long l2) {
        int c = Long.compareUnsigned(h1, h2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }

    /** Index of the last interval starting at or before the address; interval 0 starts at 0. */
    private static int indexOf(long[] startHigh, long[] startLow, long high, long low) {
        int lo = 0;
        int hi = startHigh.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (compare(startHigh[mid], startLow[mid], high, low) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Offset in {@link #bits()} of the bitset of the rows that accept the address. */
    int offset(long high, long low) {
        return offsets[indexOf(startHigh, startLow, high, low)];
    }

    /** The interned bitsets (not copied: read only). */
    long[] bits() {
        return bits;
    }

    /** Number of elementary intervals. */
    int intervals() {
        return startHigh.length;
    }
}
