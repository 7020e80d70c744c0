package io.ringfence.dataplane.classifier;

import java.util.Arrays;

/**
 * Interns the patches of a {@link SparseDimension}: sparse bitsets stored in one flat array, each as
 * its summary ({@code sums} longs, bit {@code w} set iff word {@code w} is non-zero) followed by its
 * non-zero words in ascending order. A lookup reads a patch's summary and the words it needs from
 * one place, and finds word {@code w} by counting the summary bits below it (a rank). The intervals
 * between the prefixes of one group, or between two coarse edges, carry equal patches, so interning
 * keeps memory near the number of distinct row sets. Build-time only; not thread-safe.
 */
final class PatchPool {

    private final int sums;
    private long[] data;
    private int used;
    private int[] offsets = new int[16];
    private int count;
    /** Slots hold id + 1; 0 is free. Kept at most half full. */
    private int[] slots = new int[64];

    /** @param sums longs of a summary: one bit per word of the bitsets */
    PatchPool(int sums) {
        this.sums = sums;
        this.data = new long[Math.max(16, 4 * sums)];
    }

    /**
     * The offset in {@link #data()} of the patch holding the non-zero words of {@code dense};
     * {@code nonZero} has bit {@code w} set iff {@code dense[w] != 0}.
     */
    int intern(long[] dense, long[] nonZero) {
        int length = sums;
        long h = 0;
        for (int j = 0; j < sums; j++) {
            h = (h ^ nonZero[j]) * 0x9E37_79B9_7F4A_7C15L;
            for (long c = nonZero[j]; c != 0; c &= c - 1) {
                h = (h ^ dense[j << 6 | Long.numberOfTrailingZeros(c)]) * 0xC2B2_AE3D_27D4_EB4FL;
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
            if (sameAs(offsets[slot - 1], dense, nonZero)) {
                return offsets[slot - 1];
            }
        }
        if (used + length > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, used + length));
        }
        int offset = used;
        System.arraycopy(nonZero, 0, data, used, sums);
        used += sums;
        for (int j = 0; j < sums; j++) {
            for (long c = nonZero[j]; c != 0; c &= c - 1) {
                data[used++] = dense[j << 6 | Long.numberOfTrailingZeros(c)];
            }
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = offset;
        if (count * 2 > slots.length) {
            rehash();
        } else {
            put(hash, count - 1);
        }
        return offset;
    }

    private boolean sameAs(int offset, long[] dense, long[] nonZero) {
        int k = offset + sums;
        for (int j = 0; j < sums; j++) {
            if (data[offset + j] != nonZero[j]) {
                return false;
            }
            for (long c = nonZero[j]; c != 0; c &= c - 1) {
                if (data[k++] != dense[j << 6 | Long.numberOfTrailingZeros(c)]) {
                    return false;
                }
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
            int offset = offsets[id];
            long h = 0;
            int k = offset + sums;
            for (int j = 0; j < sums; j++) {
                h = (h ^ data[offset + j]) * 0x9E37_79B9_7F4A_7C15L;
                for (long c = data[offset + j]; c != 0; c &= c - 1) {
                    h = (h ^ data[k++]) * 0xC2B2_AE3D_27D4_EB4FL;
                }
            }
            put((int) (h ^ (h >>> 31)), id);
        }
    }

    /** The patches, trimmed: at a patch's offset, its summary, then its words. */
    long[] data() {
        return Arrays.copyOf(data, used);
    }

    /** The offsets of the distinct patches, in the order they were first interned. */
    int[] offsets() {
        return Arrays.copyOf(offsets, count);
    }

    /** Number of distinct patches. */
    int size() {
        return count;
    }
}
