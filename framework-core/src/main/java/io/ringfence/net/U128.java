package io.ringfence.net;

/** Unsigned 128-bit arithmetic on (high, low) pairs of longs: just what address ranges need. */
final class U128 {
    private U128() {
    }

    static int compare(long h1, long l1, long h2, long l2) {
        int c = Long.compareUnsigned(h1, h2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }

    static boolean isZero(long[] v) {
        return v[0] == 0 && v[1] == 0;
    }

    static long[] and(long h1, long l1, long h2, long l2) {
        return new long[] {h1 & h2, l1 & l2};
    }

    /** v + 1, wrapping at 2^128 (callers check for the maximum first). */
    static long[] increment(long h, long l) {
        return l == -1L ? new long[] {h + 1, 0} : new long[] {h, l + 1};
    }

    /** v - 1, wrapping at 0 (callers check for zero first). */
    static long[] decrement(long h, long l) {
        return l == 0 ? new long[] {h - 1, -1L} : new long[] {h, l - 1};
    }

    /** Number of trailing zero bits, 128 for zero. */
    static int trailingZeros(long h, long l) {
        return l != 0 ? Long.numberOfTrailingZeros(l) : 64 + (h == 0 ? 64 : Long.numberOfTrailingZeros(h));
    }

    /** v + 2^k - 1: the last address of an aligned block of 2^k starting at v. */
    static long[] blockEnd(long h, long l, int k) {
        if (k == 0) {
            return new long[] {h, l};
        }
        if (k < 64) {
            long add = (1L << k) - 1;
            long nl = l + add;
            long carry = Long.compareUnsigned(nl, l) < 0 ? 1 : 0;
            return new long[] {h + carry, nl};
        }
        // aligned on 2^k with k >= 64 means the low word is zero
        return new long[] {h + (k == 128 ? -1L : (1L << (k - 64)) - 1), -1L};
    }
}
