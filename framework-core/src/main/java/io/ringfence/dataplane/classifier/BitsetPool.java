package io.ringfence.dataplane.classifier;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Interns the row bitsets of the elementary intervals of one dimension into one flat array.
 * Neighbouring intervals often accept the same rows (a port range split by another rule's edge,
 * the gaps between the prefixes of one group), so sharing equal bitsets keeps memory near the
 * number of distinct row sets rather than the number of intervals. Build-time only; not
 * thread-safe.
 */
final class BitsetPool {

    private final int words;
    private final Map<Key, Integer> offsets = new HashMap<>();
    private long[] flat = new long[0];
    private int used;

    BitsetPool(int words) {
        this.words = words;
    }

    /** Adds {@code bits} (length {@code words}) unless an equal set is in already; returns its offset. */
    int intern(long[] bits) {
        Key key = new Key(bits.clone());
        Integer known = offsets.get(key);
        if (known != null) {
            return known;
        }
        if (used + words > flat.length) {
            flat = Arrays.copyOf(flat, Math.max(words, flat.length * 2));
        }
        System.arraycopy(bits, 0, flat, used, words);
        int offset = used;
        used += words;
        offsets.put(key, offset);
        return offset;
    }

    /** The interned bitsets, trimmed. */
    long[] toArray() {
        return Arrays.copyOf(flat, used);
    }

    /** Array wrapper with value equality, for the intern map. */
    private record Key(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
