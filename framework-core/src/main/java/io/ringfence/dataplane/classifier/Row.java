package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.PortRange;
import io.ringfence.model.ServiceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * One conjunctive row of the classifier: an entry with several service entries expands to one row
 * per service entry (a disjunction becomes several rows that map back to the same entry), so that
 * every row is a plain AND over independent dimensions. Rows keep the entries' order, hence the
 * lowest matching row belongs to the first matching entry.
 *
 * @param entry           index of the entry in the table
 * @param protocol        IANA protocol number the packet must carry, or -1 for any
 * @param destinationPorts accepted destination ports; empty for any
 * @param sourcePorts     accepted source ports; empty for any
 * @param icmpType        required ICMP type, or null for any
 * @param icmpCode        required ICMP code, or null for any
 */
record Row(int entry, int protocol, List<PortRange> destinationPorts, List<PortRange> sourcePorts,
           Integer icmpType, Integer icmpCode) {

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
}
