package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.PortRange;
import io.ringfence.model.ServiceEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One conjunctive row of the classifier: an entry with several service entries expands to one row
 * per service entry (a disjunction becomes several rows that map back to the same entry), so that
 * every row is a plain AND over independent dimensions. Rows keep the entries' order, hence the
 * lowest matching row belongs to the first matching entry.
 *
 * <p>The five transport fields a service entry may constrain fold into two integer keys, because
 * a row never constrains ports and ICMP fields at once:
 * <ul>
 * <li>the <em>service key</em>: {@code protocol << 17 | (value + 1)}, where the value is the
 *     destination port for every protocol but ICMP and ICMPv6, and the ICMP type for those;</li>
 * <li>the <em>source key</em>: {@code value + 1}, the source port, or the ICMP code.</li>
 * </ul>
 * Values run from -1 (no ICMP type, as in probes of flows that lost it) to 65535. A TCP row accepts
 * service keys of protocol 6 only, so its source-port constraint never meets an ICMP code; an ANY
 * row accepts every key. A row accepts a packet iff the remote address, the service key and the
 * source key are each accepted: exactly the matching semantics of {@link io.ringfence.compiler}.
 *
 * @param entry            index of the entry in the table
 * @param protocol         IANA protocol number the packet must carry, or -1 for any
 * @param destinationPorts accepted destination ports; empty for any
 * @param sourcePorts      accepted source ports; empty for any
 * @param icmpType         required ICMP type, or null for any
 * @param icmpCode         required ICMP code, or null for any
 */
record Row(int entry, int protocol, List<PortRange> destinationPorts, List<PortRange> sourcePorts,
           Integer icmpType, Integer icmpCode) {

    /** Largest value of a key's low 17 bits: 65535 + 1. */
    private static final int VALUE_MASK = 0x1FFFF;
    /** Largest service key (protocol 255, value 65535). */
    static final int MAX_SERVICE_KEY = (0xFF << 17) | VALUE_MASK;
    /** Largest source key. */
    static final int MAX_SOURCE_KEY = VALUE_MASK;

    /** The rows of all entries, in order. */
    static List<Row> expand(List<CompiledRule> entries) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            List<ServiceEntry> services = entries.get(i).services();
            if (services.isEmpty()) {
                rows.add(new Row(i, -1, List.of(), List.of(), null, null));
            }
            for (ServiceEntry s : services) {
                rows.add(of(i, s));
            }
        }
        return rows;
    }

    /** Only the fields the service entry's protocol looks at constrain the row; the rest accept anything. */
    private static Row of(int entry, ServiceEntry s) {
        return switch (s.protocol()) {
            case ANY -> new Row(entry, -1, List.of(), List.of(), null, null);
            case TCP -> new Row(entry, Packet.TCP, s.destinationPorts(), s.sourcePorts(), null, null);
            case UDP -> new Row(entry, Packet.UDP, s.destinationPorts(), s.sourcePorts(), null, null);
            case ICMP -> new Row(entry, Packet.ICMP, List.of(), List.of(), s.icmpType(), s.icmpCode());
            case ICMPV6 -> new Row(entry, Packet.ICMPV6, List.of(), List.of(), s.icmpType(), s.icmpCode());
        };
    }

    /** The packet's service key. */
    static int serviceKey(Packet p) {
        int value = isIcmp(p.protocol()) ? p.icmpType() : p.destinationPort();
        return (p.protocol() & 0xFF) << 17 | ((value + 1) & VALUE_MASK);
    }

    /** The packet's source key. */
    static int sourceKey(Packet p) {
        int value = isIcmp(p.protocol()) ? p.icmpCode() : p.sourcePort();
        return (value + 1) & VALUE_MASK;
    }

    private static boolean isIcmp(int protocol) {
        return protocol == Packet.ICMP || protocol == Packet.ICMPV6;
    }

    /** The service keys this row accepts, as sorted, disjoint inclusive {@code from, to} pairs. */
    int[] serviceKeys() {
        if (protocol < 0) {
            return new int[] {0, MAX_SERVICE_KEY};
        }
        int base = protocol << 17;
        if (isIcmp(protocol)) {
            return icmpType == null ? new int[] {base, base | VALUE_MASK} : single(icmpType, base);
        }
        return destinationPorts.isEmpty() ? new int[] {base, base | VALUE_MASK} : ports(destinationPorts, base);
    }

    /** The source keys this row accepts, as sorted, disjoint inclusive {@code from, to} pairs. */
    int[] sourceKeys() {
        if (protocol < 0) {
            return new int[] {0, MAX_SOURCE_KEY};
        }
        if (isIcmp(protocol)) {
            return icmpCode == null ? new int[] {0, MAX_SOURCE_KEY} : single(icmpCode, 0);
        }
        return sourcePorts.isEmpty() ? new int[] {0, MAX_SOURCE_KEY} : ports(sourcePorts, 0);
    }

    /** A required ICMP value; one no packet can carry (outside -1..65535) accepts nothing. */
    private static int[] single(int value, int base) {
        if (value < -1 || value > 65535) {
            return new int[0];
        }
        return new int[] {base | (value + 1), base | (value + 1)};
    }

    /** Port ranges may overlap in a service entry: merged, since the dimensions toggle a row at each edge. */
    private static int[] ports(List<PortRange> ranges, int base) {
        if (ranges.size() == 1) {
            return new int[] {base | (ranges.get(0).from() + 1), base | (ranges.get(0).to() + 1)};
        }
        long[] sorted = new long[ranges.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = (long) ranges.get(i).from() << 32 | ranges.get(i).to();
        }
        Arrays.sort(sorted);
        int[] out = new int[sorted.length * 2];
        int n = 0;
        for (long r : sorted) {
            int from = (int) (r >>> 32) + 1;
            int to = (int) r + 1;
            if (n > 0 && from <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], to);
            } else {
                out[n++] = from;
                out[n++] = to;
            }
        }
        int[] flat = Arrays.copyOf(out, n);
        for (int i = 0; i < n; i++) {
            flat[i] |= base;
        }
        return flat;
    }
}
