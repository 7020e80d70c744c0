package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One protocol of a service. Ports apply to TCP and UDP only (empty: any port); ICMP type and
 * code to ICMP and ICMPv6 only (absent: any).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ServiceEntry(Protocol protocol, List<PortRange> destinationPorts, List<PortRange> sourcePorts,
                           Integer icmpType, Integer icmpCode) {

    public ServiceEntry {
        destinationPorts = Lists.copy(destinationPorts);
        sourcePorts = Lists.copy(sourcePorts);
    }
}
