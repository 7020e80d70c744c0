package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bit-vector classifier over a fixed list of entries (see {@link RuleTable} for the algorithm
 * and why): two {@link SparseDimension}s (remote address of the packet's family, service key), each
 * answering with the rows that accept the packet's value, and a word-by-word AND in row order that
 * stops at the first non-zero word. Summaries, one bit per word, let the AND visit only the words
 * where a match is possible. The source key (source port or ICMP code) is checked on the matching
 * rows only: nearly every row accepts any, and a third dimension would cost every lookup another
 * search for what decides almost nothing.
 *
 * <p>The service key has one dimension per protocol the rows name (and one for the others): rows
 * of another protocol are absent from it, and the rows that take every port of the protocol (or
 * every ICMP type), with protocol ANY, are its base. The rows that take any TCP port are thus in no
 * patch at all, where one dimension over all protocols would copy them into a patch for every
 * stretch of TCP ports between two range edges. Immutable.
 */
final class BitVectorClassifier {

    private final int[] rowEntry;
    private final int entryCount;
    private final int words;
    private final int sums;
    private final SparseDimension v4;
    private final SparseDimension v6;
    // the service dimension of each protocol number (the same one for every protocol no row names)
    private final Service[] services;
    // rows that accept any source key; the others' accepted source keys, as from, to pairs
    private final long[] anySource;
    private final int[][] sourceKeys;

    private BitVectorClassifier(List<CompiledRule> entries, List<Row> rows, Map<String, AddressSet> addressSets) {
        this.entryCount = entries.size();
        this.rowEntry = rows.stream().mapToInt(Row::entry).toArray();
        this.words = (rows.size() + 63) >>> 6;
        this.sums = (words + 63) >>> 6;
        int[] exactServiceKey = new int[rows.size()];
        this.anySource = new long[words];
        this.sourceKeys = new int[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            int[] service = rows.get(r).serviceKeys();
            int[] source = rows.get(r).sourceKeys();
            boolean any = source.length == 2 && source[0] == 0 && source[1] == Row.MAX_SOURCE_KEY;
            exactServiceKey[r] = service.length == 2 && service[0] == service[1] && any ? service[0] : -1;
            if (any) {
                anySource[r >>> 6] |= 1L << r;
            } else {
                sourceKeys[r] = source;
            }
        }
        this.v4 = addresses(IpFamily.IPV4, entries, rows, exactServiceKey, addressSets);
        this.v6 = addresses(IpFamily.IPV6, entries, rows, exactServiceKey, addressSets);
        this.services = new Service[256];
        Service others = service(rows, -1);
        for (Row row : rows) {
            if (row.protocol() >= 0 && services[row.protocol()] == null) {
                services[row.protocol()] = service(rows, row.protocol());
            }
        }
        for (int protocol = 0; protocol < services.length; protocol++) {
            services[protocol] = services[protocol] == null ? others : services[protocol];
        }
    }

    /** The service dimension of one protocol (-1: of the protocols no row names), with its summaries. */
    private Service service(List<Row> rows, int protocol) {
        List<SparseDimension.Constraint> constraints = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.protocol() < 0) {
                constraints.add(SparseDimension.Constraint.ANY);
            } else if (row.protocol() != protocol) {
                constraints.add(SparseDimension.Constraint.NONE);
            } else {
                int[] keys = row.serviceKeys();
                boolean whole = keys.length == 2 && keys[0] == protocol << 17 && keys[1] == (protocol << 17 | 0x1FFFF);
                constraints.add(whole ? SparseDimension.Constraint.ANY : SparseDimension.Constraint.ofKeys(keys));
            }
        }
        SparseDimension keys = SparseDimension.build(IpFamily.IPV4, constraints, words);
        long[] summaries = new long[keys.intervals() * 3 * sums];
        long[] accepting = new long[words];
        for (int i = 0; i < keys.intervals(); i++) {
            keys.rows(i, accepting);
            summarise(accepting, null, summaries, (3 * i + 1) * sums);
            summarise(accepting, v4.base(), summaries, (3 * i) * sums);
            summarise(accepting, v6.base(), summaries, (3 * i + 2) * sums);
        }
        return new Service(keys, summaries);
    }

    /**
     * The service key's dimension for one protocol, and per interval three summaries of
     * {@code sums} longs side by side: the non-zero words of its rows AND the base of IPv4 (the rows
     * accepting any address, which no patch names), of its rows alone, of its rows AND the base of
     * IPv6 (in that order, so that an IPv4 lookup reads two adjacent ones).
     */
    private record Service(SparseDimension keys, long[] summaries) {
    }

    /**
     * Builds the classifier of {@code entries}.
     *
     * @param addressSets the address set of every group the entries name
     */
    static BitVectorClassifier build(List<CompiledRule> entries, Map<String, AddressSet> addressSets) {
        return new BitVectorClassifier(entries, Row.expand(entries), addressSets);
    }

    private SparseDimension addresses(IpFamily family, List<CompiledRule> entries, List<Row> rows,
                                      int[] exactServiceKey, Map<String, AddressSet> addressSets) {
        Map<String, long[]> rangesByGroup = new HashMap<>();
        List<SparseDimension.Constraint> constraints = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            CompiledRule e = entries.get(rows.get(r).entry());
            if (e.remote() == null) {
                constraints.add(SparseDimension.Constraint.ANY);
                continue;
            }
            long[] ranges = rangesByGroup.computeIfAbsent(e.remote(), id -> addressSets.get(id).ranges(family));
            constraints.add(new SparseDimension.Constraint(ranges, e.remoteNegated(), exactServiceKey[r]));
        }
        return SparseDimension.build(family, constraints, words);
    }

    /** Sets the summary at {@code at} of {@code out}: the non-zero words of {@code rows} AND {@code mask} (null: all ones). */
    private void summarise(long[] rows, long[] mask, long[] out, int at) {
        for (int w = 0; w < words; w++) {
            if ((rows[w] & (mask == null ? -1L : mask[w])) != 0) {
                out[at + (w >>> 6)] |= 1L << w;
            }
        }
    }

    /**
     * The first row accepting the packet, or -1.
     *
     * @param family     the packet's family
     * @param high       high half of the remote address (0 for IPv4)
     * @param low        low half of the remote address
     * @param serviceKey the packet's {@link Row#serviceKey}
     * @param sourceKey  the packet's {@link Row#sourceKey}
     * @param live       rows that may match (one bit per row), or null for all of them
     */
    int classify(IpFamily family, long high, long low, int serviceKey, int sourceKey, long[] live) {
        boolean ipv4 = family == IpFamily.IPV4;
        SparseDimension a = ipv4 ? v4 : v6;
        int addressInterval = a.interval(high, low);
        if (a.empty(addressInterval)) {
            return -1;
        }
        Service s = services[serviceKey >>> 17];
        SparseDimension service = s.keys();
        long[] serviceSummaries = s.summaries();
        int serviceInterval = service.interval(0, serviceKey);
        // a row that takes exactly this service key, found by hashing: no word need be visited after
        // it (probed after the service search, which does not wait for it, so that the CPU can run
        // the search while the probe's cache miss is under way)
        int exact = a.exactRow(addressInterval, serviceKey, live);
        int lastWord = exact < 0 ? words - 1 : exact >>> 6;
        long[] aBase = a.base();
        long[] aData = a.patches();
        int aFine = a.finePatch(addressInterval);
        int aCoarse = a.coarsePatch(addressInterval);
        long[] sBase = service.base();
        long[] sData = service.patches();
        int sFine = service.finePatch(serviceInterval);
        int sCoarse = service.coarsePatch(serviceInterval);
        int andBase = (3 * serviceInterval + (ipv4 ? 0 : 2)) * sums;
        int nonZero = (3 * serviceInterval + 1) * sums;
        // where each patch's words for the current summary long begin: a patch keeps its words in
        // ascending order after its summary, so word w is found by counting summary bits below w
        int aFineAt = aFine + sums;
        int aCoarseAt = aCoarse + sums;
        int sFineAt = sFine + sums;
        int sCoarseAt = sCoarse + sums;
        for (int j = 0; j <= lastWord >> 6; j++) {
            long inAFine = aData[aFine + j];
            long inACoarse = aData[aCoarse + j];
            long inSFine = sData[sFine + j];
            long inSCoarse = sData[sCoarse + j];
            long candidates = serviceSummaries[andBase + j] | (inAFine | inACoarse) & serviceSummaries[nonZero + j];
            if (j == lastWord >> 6) {
                candidates &= -1L >>> 63 - (lastWord & 63);
            }
            while (candidates != 0) {
                int bit = Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                int w = j << 6 | bit;
                long below = (1L << bit) - 1;
                long match = (aBase[w] ^ word(inAFine, bit, below, aData, aFineAt)
                        ^ word(inACoarse, bit, below, aData, aCoarseAt))
                        & (sBase[w] ^ word(inSFine, bit, below, sData, sFineAt)
                        ^ word(inSCoarse, bit, below, sData, sCoarseAt));
                if (live != null) {
                    match &= live[w];
                }
                for (; match != 0; match &= match - 1) {
                    int row = w << 6 | Long.numberOfTrailingZeros(match);
                    if ((anySource[w] >>> row & 1) != 0 || accepts(sourceKeys[row], sourceKey)) {
                        return exact < 0 ? row : Math.min(row, exact);
                    }
                }
            }
            aFineAt += Long.bitCount(inAFine);
            aCoarseAt += Long.bitCount(inACoarse);
            sFineAt += Long.bitCount(inSFine);
            sCoarseAt += Long.bitCount(inSCoarse);
        }
        return exact;
    }

    private static boolean accepts(int[] keys, int key) {
        for (int k = 0; k < keys.length; k += 2) {
            if (key >= keys[k] && key <= keys[k + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The patch's word at {@code bit} of the current summary long, or 0 if it has none there. */
    private static long word(long summary, int bit, long below, long[] bits, int at) {
        return (summary >>> bit & 1) == 0 ? 0 : bits[at + Long.bitCount(summary & below)];
    }

    /** The entry of {@code row}. */
    int entryOf(int row) {
        return rowEntry[row];
    }

    /** Number of entries. */
    int entries() {
        return entryCount;
    }

    /** Number of rows. */
    int rows() {
        return rowEntry.length;
    }

    /** Approximate heap held by the arrays, in bytes. */
    long bytes() {
        long longs = v4.longs() + v6.longs() + anySource.length;
        Set<Service> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(Arrays.asList(services));
        for (Service s : distinct) {
            longs += s.keys().longs() + s.summaries().length;
        }
        return 8 * longs + 4L * rowEntry.length;
    }

    @Override
    public String toString() {
        return entryCount + " entries, " + rowEntry.length + " rows; intervals (patch longs, exact keys): IPv4 "
                + v4.intervals() + " (" + v4.patchLongs() + ", " + v4.exactKeys() + "), IPv6 " + v6.intervals()
                + " (" + v6.patchLongs() + ", " + v6.exactKeys() + "), TCP service " + services[6].keys().intervals()
                + " (" + services[6].keys().patchLongs() + "); ~" + bytes() / 1024 + " KiB";
    }
}
