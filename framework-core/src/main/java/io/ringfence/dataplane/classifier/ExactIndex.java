package io.ringfence.dataplane.classifier;

import java.util.Arrays;

/**
 * For the rows that accept exactly one service key (an exact destination port, or an ICMP type,
 * with any source), grouped by the patch that names them: (patch, service key) → those rows, in
 * row order. A lookup finds the first of them with one hash probe, where the bit-vector AND would
 * visit every word holding such a row of the patch only to find that its port is another one.
 * Open addressing on one long key; immutable once built.
 */
final class ExactIndex {

    private static final long FREE = -1L;
    static final ExactIndex EMPTY = new ExactIndex(new long[] {FREE, 0}, new int[0]);

    // open addressing, a slot being two longs: the key (patch << 32 | service key), then its value:
    // the row itself when one row has the key (the common case: one probe, one cache line), else
    // -1 - the offset in runs of the key's rows (their count, then the rows in ascending order)
    private final long[] table;
    private final int[] runs;

    private ExactIndex(long[] table, int[] runs) {
        this.table = table;
        this.runs = runs;
    }

    /**
     * Builds the index of {@code count} (patch, key, row) triples, sorted by patch and key packed as
     * {@code patch << 32 | key}, then by row.
     */
    static ExactIndex of(long[] patchKeys, int[] rowsOf, int count) {
        if (count == 0) {
            return EMPTY;
        }
        int distinct = 0;
        int shared = 0;
        for (int i = 0; i < count; ) {
            int j = i + 1;
            while (j < count && patchKeys[j] == patchKeys[i]) {
                j++;
            }
            distinct++;
            shared += j - i > 1 ? j - i + 1 : 0;
            i = j;
        }
        // at most three quarters full: probes stay short, and the table small
        int capacity = Integer.highestOneBit(Math.max(4, distinct * 4 / 3)) << 1;
        long[] table = new long[2 * capacity];
        for (int slot = 0; slot < capacity; slot++) {
            table[2 * slot] = FREE;
        }
        int[] runs = new int[shared];
        int n = 0;
        for (int i = 0; i < count; ) {
            int j = i + 1;
            while (j < count && patchKeys[j] == patchKeys[i]) {
                j++;
            }
            int slot = slot(patchKeys[i], capacity - 1);
            while (table[2 * slot] != FREE) {
                slot = (slot + 1) & (capacity - 1);
            }
            table[2 * slot] = patchKeys[i];
            if (j - i == 1) {
                table[2 * slot + 1] = rowsOf[i];
            } else {
                table[2 * slot + 1] = -1 - n;
                runs[n++] = j - i;
                for (int k = i; k < j; k++) {
                    runs[n++] = rowsOf[k];
                }
            }
            i = j;
        }
        return new ExactIndex(table, runs);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }

    /** The first row of {@code patch} accepting exactly {@code serviceKey} that is live, or -1. */
    int first(int patch, int serviceKey, long[] live) {
        long key = (long) patch << 32 | serviceKey;
        long[] t = table;
        int mask = (t.length >>> 1) - 1;
        for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
            long k = t[2 * slot];
            if (k == key) {
                long value = t[2 * slot + 1];
                if (value >= 0) {
                    int row = (int) value;
                    return live == null || (live[row >>> 6] >>> row & 1) != 0 ? row : -1;
                }
                int at = (int) (-1 - value);
                for (int i = at + 1; i <= at + runs[at]; i++) {
                    int row = runs[i];
                    if (live == null || (live[row >>> 6] >>> row & 1) != 0) {
                        return row;
                    }
                }
                return -1;
            }
            if (k == FREE) {
                return -1;
            }
        }
    }

    /** Number of (patch, service key) pairs. */
    int size() {
        int n = 0;
        for (int slot = 0; slot < table.length; slot += 2) {
            n += table[slot] == FREE ? 0 : 1;
        }
        return n;
    }

    /** Longs held. */
    long longs() {
        return table.length + runs.length / 2;
    }
}
