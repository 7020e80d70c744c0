package io.ringfence.dataplane.classifier;

import java.util.Arrays;

/**
 * Interns the patches of an address dimension: sparse bitsets stored as their non-zero words only,
 * {@code (word index, bits)} pairs in ascending word order. Patch {@code id} is the pairs from
 * {@code start[id]} to {@code start[id + 1]}. The intervals between the prefixes of one group, or
 * inside one prefix between nested ones, carry equal patches, so interning keeps memory near the
 * number of distinct row sets. Build-time only; not thread-safe.
 */
final class PatchPool {

    private final int sums;
    private int[] start = new int[17];
    private long[] summary;
    private int count;
    private int[] word = new int[64];
    private long[] bits = new long[64];
    private int used;
    /** Slots hold id + 1; 0 is free. Kept at most half full. */
    private int[] slots = new int[64];

    /** @param sums longs of a summary: one bit per word of the bitsets */
    PatchPool(int sums) {
        this.sums = sums;
        this.summary = new long[16 * sums];
    }

    /**
     * The id of the patch holding the non-zero words of {@code dense}; {@code nonZero} has bit
     * {@code w} set iff {@code dense[w] != 0}.
     */
    int intern(long[] dense, long[] nonZero) {
        int length = 0;
        long h = 0;
        for (int j = 0; j < nonZero.length; j++) {
            for (long c = nonZero[j]; c != 0; c &= c - 1) {
                int w = (j << 6) | Long.numberOfTrailingZeros(c);
                h = ((h ^ w) * 0x9E37_79B9_7F4A_7C15L ^ dense[w]) * 0xC2B2_AE3D_27D4_EB4FL;
                length++;
            }
        }
        int hash = (int) (h ^ (h >>> 31));
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                break;
            }
            if (sameAs(slot - 1, length, dense, nonZero)) {
                return slot - 1;
            }
        }
        if (used + length > word.length) {
            int capacity = Math.max(word.length * 2, used + length);
            word = Arrays.copyOf(word, capacity);
            bits = Arrays.copyOf(bits, capacity);
        }
        for (int j = 0; j < nonZero.length; j++) {
            for (long c = nonZero[j]; c != 0; c &= c - 1) {
                int w = (j << 6) | Long.numberOfTrailingZeros(c);
                word[used] = w;
                bits[used++] = dense[w];
            }
        }
        if (count + 2 > start.length) {
            start = Arrays.copyOf(start, start.length * 2);
            summary = Arrays.copyOf(summary, start.length * sums);
        }
        System.arraycopy(nonZero, 0, summary, count * sums, sums);
        int id = count++;
        start[count] = used;
        if (count * 2 > slots.length) {
            rehash();
        } else {
            put(hash, id);
        }
        return id;
    }

    private boolean sameAs(int id, int length, long[] dense, long[] nonZero) {
        int k = start[id];
        if (start[id + 1] - k != length) {
            return false;
        }
        for (int j = 0; j < nonZero.length; j++) {
            for (long c = nonZero[j]; c != 0; c &= c - 1) {
                int w = (j << 6) | Long.numberOfTrailingZeros(c);
                if (word[k] != w || bits[k] != dense[w]) {
                    return false;
                }
                k++;
            }
        }
        return true;
    }

    private void put(int hash, int id) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = id + 1;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        for (int id = 0; id < count; id++) {
            long h = 0;
            for (int k = start[id]; k < start[id + 1]; k++) {
                h = ((h ^ word[k]) * 0x9E37_79B9_7F4A_7C15L ^ bits[k]) * 0xC2B2_AE3D_27D4_EB4FL;
            }
            put((int) (h ^ (h >>> 31)), id);
        }
    }

    /** {@code start[id]} .. {@code start[id + 1]} index the pairs of patch {@code id}; trimmed. */
    int[] starts() {
        return Arrays.copyOf(start, count + 1);
    }

    /** Per patch, {@code sums} longs with bit {@code w} set iff the patch has word {@code w}; trimmed. */
    long[] summaries() {
        return Arrays.copyOf(summary, count * sums);
    }

    int[] words() {
        return Arrays.copyOf(word, used);
    }

    long[] bits() {
        return Arrays.copyOf(bits, used);
    }

    /** Number of distinct patches. */
    int size() {
        return count;
    }
}
