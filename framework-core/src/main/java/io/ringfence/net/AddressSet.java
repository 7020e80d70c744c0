package io.ringfence.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 addresses, held as sorted, disjoint, non-adjacent ranges.
 *
 * <p>Groups resolve to address sets; union and subtraction are exact, and {@link #toPrefixes()}
 * gives the minimal list of CIDR blocks that covers the set exactly (what a rule renderer needs).
 */
public final class AddressSet {

    /** The empty set. */
    public static final AddressSet EMPTY = new AddressSet(new long[0], new long[0]);

    // each range is four longs: fromHigh, fromLow, toHigh, toLow (inclusive); sorted, merged
    private final long[] v4;
    private final long[] v6;

    private AddressSet(long[] v4, long[] v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    /** The set of all addresses covered by {@code prefixes}. */
    public static AddressSet of(Collection<IpPrefix> prefixes) {
        List<long[]> r4 = new ArrayList<>();
        List<long[]> r6 = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            long[] last = p.last();
            long[] range = {p.high(), p.low(), last[0], last[1]};
            (p.family() == IpFamily.IPV4 ? r4 : r6).add(range);
        }
        return new AddressSet(normalize(r4), normalize(r6));
    }

    /** The set of the given prefixes. */
    public static AddressSet of(IpPrefix... prefixes) {
        return of(Arrays.asList(prefixes));
    }

    public boolean isEmpty() {
        return v4.length == 0 && v6.length == 0;
    }

    /** True when every address of {@code prefix} is in this set. */
    public boolean contains(IpPrefix prefix) {
        long[] ranges = prefix.family() == IpFamily.IPV4 ? v4 : v6;
        long[] last = prefix.last();
        // binary search for the last range starting at or before the prefix's first address
        int lo = 0;
        int hi = ranges.length / 4 - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (U128.compare(ranges[mid * 4], ranges[mid * 4 + 1], prefix.high(), prefix.low()) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && U128.compare(ranges[found * 4 + 2], ranges[found * 4 + 3], last[0], last[1]) >= 0;
    }

    /** This set plus {@code other}. */
    public AddressSet union(AddressSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return new AddressSet(merge(v4, other.v4), merge(v6, other.v6));
    }

    /** True when some address is in both sets. */
    public boolean intersects(AddressSet other) {
        return overlaps(v4, other.v4) || overlaps(v6, other.v6);
    }

    private static boolean overlaps(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (U128.compare(a[i + 2], a[i + 3], b[j], b[j + 1]) < 0) {
                i += 4;
            } else if (U128.compare(b[j + 2], b[j + 3], a[i], a[i + 1]) < 0) {
                j += 4;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * Union of two normalized range lists in one linear pass (both are sorted already): adding
     * one address to a large set costs a copy, not a sort.
     */
    private static long[] merge(long[] a, long[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        long[] out = new long[a.length + b.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            long[] src;
            int k;
            if (j >= b.length || (i < a.length && U128.compare(a[i], a[i + 1], b[j], b[j + 1]) <= 0)) {
                src = a;
                k = i;
                i += 4;
            } else {
                src = b;
                k = j;
                j += 4;
            }
            if (n > 0 && touches(out[n - 2], out[n - 1], src[k], src[k + 1])) {
                if (U128.compare(src[k + 2], src[k + 3], out[n - 2], out[n - 1]) > 0) {
                    out[n - 2] = src[k + 2];
                    out[n - 1] = src[k + 3];
                }
            } else {
                System.arraycopy(src, k, out, n, 4);
                n += 4;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** True when a range ending at (eh, el) overlaps or is adjacent to one starting at (sh, sl) (sorted order). */
    private static boolean touches(long eh, long el, long sh, long sl) {
        if (eh == -1L && el == -1L) {
            return true;
        }
        long[] next = U128.increment(eh, el);
        return U128.compare(next[0], next[1], sh, sl) >= 0;
    }

    /** This set without the addresses of {@code other}. */
    public AddressSet minus(AddressSet other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        return new AddressSet(subtract(v4, other.v4), subtract(v6, other.v6));
    }

    /**
     * The addresses of one family as sorted, disjoint, non-adjacent inclusive ranges, four longs per
     * range: {@code fromHigh, fromLow, toHigh, toLow} (high is 0 for IPv4). A copy. For matchers that
     * index ranges (the data plane's classifier), which would otherwise re-merge {@link #toPrefixes()}.
     *
     * @since 0.2.0
     */
    public long[] ranges(IpFamily family) {
        return (family == IpFamily.IPV4 ? v4 : v6).clone();
    }

    /** The minimal list of prefixes covering exactly this set, IPv4 first, each family ascending. */
    public List<IpPrefix> toPrefixes() {
        List<IpPrefix> out = new ArrayList<>();
        toPrefixes(IpFamily.IPV4, v4, out);
        toPrefixes(IpFamily.IPV6, v6, out);
        return out;
    }

    private static void toPrefixes(IpFamily family, long[] ranges, List<IpPrefix> out) {
        for (int i = 0; i < ranges.length; i += 4) {
            long fh = ranges[i];
            long fl = ranges[i + 1];
            long th = ranges[i + 2];
            long tl = ranges[i + 3];
            while (true) {
                int k = Math.min(U128.trailingZeros(fh, fl), family.bits());
                long[] end = U128.blockEnd(fh, fl, k);
                while (U128.compare(end[0], end[1], th, tl) > 0) {
                    k--;
                    end = U128.blockEnd(fh, fl, k);
                }
                out.add(new IpPrefix(family, fh, fl, family.bits() - k));
                if (end[0] == th && end[1] == tl) {
                    break;
                }
                long[] next = U128.increment(end[0], end[1]);
                fh = next[0];
                fl = next[1];
            }
        }
    }

    private static long[] normalize(List<long[]> ranges) {
        ranges.sort((a, b) -> U128.compare(a[0], a[1], b[0], b[1]));
        long[] out = new long[ranges.size() * 4];
        int n = 0;
        for (long[] r : ranges) {
            if (n > 0) {
                long ph = out[n - 2];
                long pl = out[n - 1];
                // merge when overlapping or adjacent (previous end + 1 >= this start)
                boolean adjacentOrOverlapping = (ph == -1L && pl == -1L)
                        || U128.compare(U128.increment(ph, pl)[0], U128.increment(ph, pl)[1], r[0], r[1]) >= 0;
                if (adjacentOrOverlapping) {
                    if (U128.compare(r[2], r[3], ph, pl) > 0) {
                        out[n - 2] = r[2];
                        out[n - 1] = r[3];
                    }
                    continue;
                }
            }
            System.arraycopy(r, 0, out, n, 4);
            n += 4;
        }
        return Arrays.copyOf(out, n);
    }

    private static long[] subtract(long[] a, long[] b) {
        List<long[]> out = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < a.length; i += 4) {
            long fh = a[i];
            long fl = a[i + 1];
            long th = a[i + 2];
            long tl = a[i + 3];
            boolean empty = false;
            // skip holes ending before this range
            while (j < b.length && U128.compare(b[j + 2], b[j + 3], fh, fl) < 0) {
                j += 4;
            }
            int k = j;
            while (k < b.length && U128.compare(b[k], b[k + 1], th, tl) <= 0) {
                // hole [b[k], b[k+2]] overlaps [f, t]
                if (U128.compare(b[k], b[k + 1], fh, fl) > 0) {
                    long[] before = U128.decrement(b[k], b[k + 1]);
                    out.add(new long[] {fh, fl, before[0], before[1]});
                }
                if (U128.compare(b[k + 2], b[k + 3], th, tl) >= 0) {
                    empty = true;
                    break;
                }
                long[] after = U128.increment(b[k + 2], b[k + 3]);
                fh = after[0];
                fl = after[1];
                k += 4;
            }
            if (!empty) {
                out.add(new long[] {fh, fl, th, tl});
            }
        }
        long[] flat = new long[out.size() * 4];
        for (int i = 0; i < out.size(); i++) {
            System.arraycopy(out.get(i), 0, flat, i * 4, 4);
        }
        return flat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressSet other && Arrays.equals(v4, other.v4) && Arrays.equals(v6, other.v6);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(v4) + Arrays.hashCode(v6);
    }

    @Override
    public String toString() {
        return toPrefixes().toString();
    }
}
