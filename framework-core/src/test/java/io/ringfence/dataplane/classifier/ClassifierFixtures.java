package io.ringfence.dataplane.classifier;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import java.util.Arrays;
import java.util.List;

/** Builders for compiled entries and service entries, shared by the classifier tests. */
final class ClassifierFixtures {

    private ClassifierFixtures() {
    }

    static CompiledRule entry(String id, Direction direction, String remote, boolean negated, ServiceEntry... services) {
        return new CompiledRule(id, "p", Category.APPLICATION, 1, 1, direction, Action.ALLOW, false, null, remote,
                negated, List.of(services));
    }

    static ServiceEntry tcp(List<PortRange> destinationPorts, List<PortRange> sourcePorts) {
        return new ServiceEntry(Protocol.TCP, destinationPorts, sourcePorts, null, null);
    }

    static ServiceEntry udp(List<PortRange> destinationPorts, List<PortRange> sourcePorts) {
        return new ServiceEntry(Protocol.UDP, destinationPorts, sourcePorts, null, null);
    }

    static ServiceEntry icmp(Integer type, Integer code) {
        return new ServiceEntry(Protocol.ICMP, List.of(), List.of(), type, code);
    }

    static ServiceEntry icmpv6(Integer type, Integer code) {
        return new ServiceEntry(Protocol.ICMPV6, List.of(), List.of(), type, code);
    }

    static ServiceEntry any() {
        return new ServiceEntry(Protocol.ANY, List.of(), List.of(), null, null);
    }

    static List<PortRange> ports(String... ranges) {
        return Arrays.stream(ranges).map(PortRange::parse).toList();
    }
}
