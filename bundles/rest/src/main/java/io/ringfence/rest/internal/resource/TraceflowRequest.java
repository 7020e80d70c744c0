package io.ringfence.rest.internal.resource;

import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.model.Protocol;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/traceflow}: the packet to trace, by its endpoints.
 *
 * @param source             a VM id (its first vNIC) or a vNIC id
 * @param destination        a VM id (its first vNIC) or a vNIC id; or give {@code destinationAddress}
 * @param destinationAddress an IP address; or give {@code destination}
 * @param protocol           TCP, UDP, ICMP or ICMPV6
 * @param sourcePort         TCP/UDP source port (default 49152)
 * @param destinationPort    TCP/UDP destination port (required for TCP and UDP)
 * @param icmpType           ICMP type (default: echo request)
 * @param icmpCode           ICMP code (default 0)
 */
@Schema(name = "TraceflowRequest", description = "A packet to trace: source, destination (a VM or vNIC id, or an "
        + "address) and protocol with ports or ICMP type and code")
public record TraceflowRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "web-01") String source,
        @Schema(example = "app-01") String destination,
        @Schema(example = "10.10.2.11") String destinationAddress,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"TCP", "UDP", "ICMP", "ICMPV6"})
        Protocol protocol,
        @Schema(minimum = "0", maximum = "65535", example = "49152") Integer sourcePort,
        @Schema(minimum = "0", maximum = "65535", example = "8080") Integer destinationPort,
        @Schema(minimum = "0", maximum = "255", example = "8") Integer icmpType,
        @Schema(minimum = "0", maximum = "255", example = "0") Integer icmpCode) {

    TraceRequest toRequest() {
        return new TraceRequest(source, destination, destinationAddress, protocol, sourcePort, destinationPort, icmpType,
                icmpCode);
    }
}
