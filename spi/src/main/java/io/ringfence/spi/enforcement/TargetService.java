package io.ringfence.spi.enforcement;

import java.util.List;

/**
 * A protocol with its ports or ICMP type and code.
 *
 * @param protocol         IANA protocol number, or -1 for any protocol
 * @param destinationPorts inclusive ranges {@code [from, to]}; empty for any (TCP/UDP only)
 * @param sourcePorts      inclusive ranges {@code [from, to]}; empty for any (TCP/UDP only)
 * @param icmpType         ICMP/ICMPv6 type, or null for any
 * @param icmpCode         ICMP/ICMPv6 code, or null for any
 */
public record TargetService(int protocol, List<int[]> destinationPorts, List<int[]> sourcePorts, Integer icmpType,
                            Integer icmpCode) {

    public TargetService {
        destinationPorts = destinationPorts.stream().map(int[]::clone).toList();
        sourcePorts = sourcePorts.stream().map(int[]::clone).toList();
    }
}
