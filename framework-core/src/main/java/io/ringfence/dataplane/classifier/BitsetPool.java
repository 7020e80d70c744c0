package io.ringfence.dataplane.classifier;

import java.util.Arrays;

/**
 * Interns the row bitsets of the elementary intervals of one dense dimension into one flat array:
 * bitset {@code id} occupies {@code words} longs from {@code id * words}. Neighbouring intervals
 * often accept the same rows (a port range split by another rule's edge), so sharing equal bitsets
 * keeps memory near the number of distinct row sets rather than the number of intervals. Open
 * addressing over the flat array itself, so interning allocates nothing per interval. Build-time
 * only; not thread-safe.
 */
final class BitsetPool {

    private final int words;
    private long[] flat;
    private int count;
    /** Slots hold id + 1; 0 is free. Kept at most half full. */
    private int[] slots = new int[64];

    BitsetPool(int words) {
        this.words = words;
        this.flat = new long[Math.max(words, 1) * 16];
    }

    /** The id of a bitset equal to {@code bits} (length {@code words}), adding it if new. */
    int intern(long[] bits) {
        int hash = hash(bits, 0);
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                break;
            }
            int id = slot - 1;
            if (Arrays.equals(flat, id * words, id * words + words, bits, 0, words)) {
                return id;
            }
        }
        if ((count + 1) * words > flat.length) {
            flat = Arrays.copyOf(flat, Math.max(flat.length * 2, (count + 1) * words));
        }
        System.arraycopy(bits, 0, flat, count * words, words);
        int id = count++;
        if (count * 2 > slots.length) {
            rehash();
        } else {
            put(hash, id);
        }
        return id;
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
            put(hash(flat, id * words), id);
        }
    }

    private int hash(long[] a, int from) {
        long h = 0;
        for (int i = from; i < from + words; i++) {
            h = (h ^ a[i]) * 0x9E37_79B9_7F4A_7C15L;
        }
        return (int) (h ^ (h >>> 29));
    }

    /** Number of distinct bitsets. */
    int size() {
        return count;
    }

    /** The interned bitsets, trimmed. */
    long[] toArray() {
        return Arrays.copyOf(flat, count * words);
    }
}
