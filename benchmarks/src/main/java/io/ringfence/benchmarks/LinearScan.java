package io.ringfence.benchmarks;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The baseline for the classifier benchmarks: first-match linear scan, written to be as fast as a
 * linear scan gets, so that the ratio to {@code RuleTable} measures the index and nothing else.
 * Entries expand to rows (one per service entry) held as parallel primitive arrays, groups resolved
 * to ranges once; the loop tests the remote address first (it rejects most rows), with the common
 * case of one range per row and per port list inline and the rest in a slower side path. No
 * streams, no boxing, no allocation per packet.
 */
final class LinearScan {

    private static final int ANY_ICMP = Integer.MIN_VALUE;
    private static final int NEGATED = 1;
    private static final int MORE = 2;
    private static final int EMPTY = 4;

    private final Direction direction;
    private final int rows;
    private final int[] entry;
    // IPv4 remote, three ints per row in one array so that a row is one sequential read: the first
    // range's first address and its width (last - first, compared unsigned), then flags (NEGATED,
    // MORE: further ranges from more4[r] in extra4, EMPTY: no IPv4 address at all)
    private final int[] v4;
    private final int[] more4;
    private final int[] extra4;
    // IPv6 remote: all ranges, four longs each, rows' ranges from start6[r] to start6[r + 1]
    private final int[] start6;
    private final long[] ranges6;
    private final boolean[] any;
    private final boolean[] negated;
    // protocol (-1 any); first port range of each list, further ones in extraPorts
    private final int[] protocol;
    private final int[] dportFrom;
    private final int[] dportTo;
    private final int[] sportFrom;
    private final int[] sportTo;
    private final int[] morePorts;
    private final int[][] extraPorts;
    private final int[] icmpType;
    private final int[] icmpCode;

    LinearScan(Direction direction, List<CompiledRule> entries, Function<String, AddressSet> groups) {
        this.direction = direction;
        List<int[]> rowOf = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            int services = Math.max(1, entries.get(i).services().size());
            for (int k = 0; k < services; k++) {
                rowOf.add(new int[] {i, k});
            }
        }
        rows = rowOf.size();
        entry = new int[rows];
        v4 = new int[rows * 3];
        more4 = new int[rows];
        start6 = new int[rows + 1];
        any = new boolean[rows];
        negated = new boolean[rows];
        protocol = new int[rows];
        dportFrom = new int[rows];
        dportTo = new int[rows];
        sportFrom = new int[rows];
        sportTo = new int[rows];
        morePorts = new int[rows];
        icmpType = new int[rows];
        icmpCode = new int[rows];
        List<Integer> extra = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        List<int[]> ports = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            CompiledRule e = entries.get(rowOf.get(r)[0]);
            entry[r] = rowOf.get(r)[0];
            any[r] = e.remote() == null;
            negated[r] = e.remoteNegated();
            start6[r] = v6.size();
            int flags = negated[r] ? NEGATED : 0;
            if (any[r]) {
                v4[3 * r + 1] = -1;
            } else {
                AddressSet set = groups.apply(e.remote());
                long[] r4 = set.ranges(IpFamily.IPV4);
                if (r4.length == 0) {
                    flags |= EMPTY;
                } else {
                    v4[3 * r] = (int) r4[1];
                    v4[3 * r + 1] = (int) (r4[3] - r4[1]);
                    if (r4.length > 4) {
                        flags |= MORE;
                        more4[r] = extra.size();
                        extra.add((r4.length - 4) / 4);
                        for (int k = 4; k < r4.length; k += 4) {
                            extra.add((int) r4[k + 1]);
                            extra.add((int) (r4[k + 3] - r4[k + 1]));
                        }
                    }
                }
                long[] r6 = set.ranges(IpFamily.IPV6);
                for (int k = 0; k < r6.length; k += 4) {
                    v6.add(Arrays.copyOfRange(r6, k, k + 4));
                }
            }
            v4[3 * r + 2] = flags;
            List<ServiceEntry> services = e.services();
            ServiceEntry s = services.isEmpty() ? null : services.get(rowOf.get(r)[1]);
            protocol[r] = s == null ? -1 : switch (s.protocol()) {
                case ANY -> -1;
                case TCP -> Packet.TCP;
                case UDP -> Packet.UDP;
                case ICMP -> Packet.ICMP;
                case ICMPV6 -> Packet.ICMPV6;
            };
            List<PortRange> d = s == null ? List.of() : s.destinationPorts();
            List<PortRange> so = s == null ? List.of() : s.sourcePorts();
            dportFrom[r] = d.isEmpty() ? 0 : d.get(0).from();
            dportTo[r] = d.isEmpty() ? 65535 : d.get(0).to();
            sportFrom[r] = so.isEmpty() ? 0 : so.get(0).from();
            sportTo[r] = so.isEmpty() ? 65535 : so.get(0).to();
            morePorts[r] = -1;
            if (d.size() > 1 || so.size() > 1) {
                morePorts[r] = ports.size();
                ports.add(flat(d));
                ports.add(flat(so));
            }
            icmpType[r] = s == null || s.icmpType() == null ? ANY_ICMP : s.icmpType();
            icmpCode[r] = s == null || s.icmpCode() == null ? ANY_ICMP : s.icmpCode();
        }
        start6[rows] = v6.size();
        extra4 = extra.stream().mapToInt(Integer::intValue).toArray();
        ranges6 = new long[v6.size() * 4];
        for (int k = 0; k < v6.size(); k++) {
            System.arraycopy(v6.get(k), 0, ranges6, 4 * k, 4);
        }
        extraPorts = ports.toArray(int[][]::new);
    }

    private static int[] flat(List<PortRange> ranges) {
        int[] out = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            out[2 * i] = ranges.get(i).from();
            out[2 * i + 1] = ranges.get(i).to();
        }
        return out;
    }

    /** Index of the first entry {@code p} matches, or -1. */
    int classify(Packet p) {
        IpPrefix remote = direction == Direction.OUT ? p.destination() : p.source();
        int proto = p.protocol();
        boolean icmp = proto == Packet.ICMP || proto == Packet.ICMPV6;
        int dport = p.destinationPort();
        int sport = p.sourcePort();
        int type = p.icmpType();
        int code = p.icmpCode();
        if (p.family() == IpFamily.IPV4) {
            int a = (int) remote.low();
            int[] packed = v4;
            for (int r = 0, k = 0; r < rows; r++, k += 3) {
                int flags = packed[k + 2];
                boolean in = Integer.compareUnsigned(a - packed[k], packed[k + 1]) <= 0
                        ? (flags & EMPTY) == 0 : (flags & MORE) != 0 && inMore4(more4[r], a);
                if (in == ((flags & NEGATED) != 0)) {
                    continue;
                }
                if (services(r, proto, icmp, dport, sport, type, code)) {
                    return entry[r];
                }
            }
            return -1;
        }
        for (int r = 0; r < rows; r++) {
            boolean in = any[r] || in6(r, remote.high(), remote.low());
            if (in != negated[r] && services(r, proto, icmp, dport, sport, type, code)) {
                return entry[r];
            }
        }
        return -1;
    }

    private boolean services(int r, int proto, boolean icmp, int dport, int sport, int type, int code) {
        int pr = protocol[r];
        if (pr < 0) {
            return true;
        }
        if (pr != proto) {
            return false;
        }
        if (icmp) {
            return (icmpType[r] == ANY_ICMP || icmpType[r] == type) && (icmpCode[r] == ANY_ICMP || icmpCode[r] == code);
        }
        if (morePorts[r] < 0) {
            return dport >= dportFrom[r] && dport <= dportTo[r] && sport >= sportFrom[r] && sport <= sportTo[r];
        }
        return inPorts(extraPorts[morePorts[r]], dport) && inPorts(extraPorts[morePorts[r] + 1], sport);
    }

    private static boolean inPorts(int[] ranges, int port) {
        if (ranges.length == 0) {
            return true;
        }
        for (int k = 0; k < ranges.length; k += 2) {
            if (port >= ranges[k] && port <= ranges[k + 1]) {
                return true;
            }
        }
        return false;
    }

    private boolean inMore4(int at, int a) {
        int count = extra4[at];
        for (int k = 0; k < count; k++) {
            if (Integer.compareUnsigned(a - extra4[at + 1 + 2 * k], extra4[at + 2 + 2 * k]) <= 0) {
                return true;
            }
        }
        return false;
    }

    private boolean in6(int r, long high, long low) {
        for (int k = start6[r] * 4; k < start6[r + 1] * 4; k += 4) {
            int c1 = compare(ranges6[k], ranges6[k + 1], high, low);
            int c2 = compare(high, low, ranges6[k + 2], ranges6[k + 3]);
            if (c1 <= 0 && c2 <= 0) {
                return true;
            }
        }
        return false;
    }

    private static int compare(long h1, long l1, long h2, long l2) {
        int c = Long.compareUnsigned(h1, h2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }

    /** Number of rows scanned at most. */
    int rows() {
        return rows;
    }
}
