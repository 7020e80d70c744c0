package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.List;
import java.util.function.Function;

/**
 * The oracle: the matching semantics written down literally as a first-match linear scan, with no
 * cleverness to share bugs with {@link RuleTable}.
 */
final class LinearRuleTable {

    private final Direction direction;
    private final List<CompiledRule> entries;
    private final Function<String, AddressSet> addressGroups;

    LinearRuleTable(Direction direction, List<CompiledRule> entries, Function<String, AddressSet> addressGroups) {
        this.direction = direction;
        this.entries = List.copyOf(entries);
        this.addressGroups = addressGroups;
    }

    int classify(Packet p) {
        for (int i = 0; i < entries.size(); i++) {
            if (matches(entries.get(i), p)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(CompiledRule e, Packet p) {
        return remoteMatches(e, p) && (e.services().isEmpty() || e.services().stream().anyMatch(s -> matches(s, p)));
    }

    private boolean remoteMatches(CompiledRule e, Packet p) {
        if (e.remote() == null) {
            return true;
        }
        IpPrefix remote = direction == Direction.OUT ? p.destination() : p.source();
        return addressGroups.apply(e.remote()).contains(remote) ^ e.remoteNegated();
    }

    private static boolean matches(ServiceEntry s, Packet p) {
        return switch (s.protocol()) {
            case ANY -> true;
            case TCP -> p.protocol() == Packet.TCP && ports(s, p);
            case UDP -> p.protocol() == Packet.UDP && ports(s, p);
            case ICMP -> p.protocol() == Packet.ICMP && icmp(s, p);
            case ICMPV6 -> p.protocol() == Packet.ICMPV6 && icmp(s, p);
        };
    }

    private static boolean ports(ServiceEntry s, Packet p) {
        return in(s.destinationPorts(), p.destinationPort()) && in(s.sourcePorts(), p.sourcePort());
    }

    private static boolean in(List<PortRange> ranges, int port) {
        return ranges.isEmpty() || ranges.stream().anyMatch(r -> r.contains(port));
    }

    private static boolean icmp(ServiceEntry s, Packet p) {
        return (s.icmpType() == null || s.icmpType() == p.icmpType())
                && (s.icmpCode() == null || s.icmpCode() == p.icmpCode());
    }
}
