package io.ringfence.dataplane.api;

import io.ringfence.model.Protocol;

/**
 * A packet to trace through the data plane, described by its endpoints.
 *
 * @param source             a VM id (its first vNIC is used) or a vNIC id
 * @param destination        a VM id (its first vNIC) or a vNIC id; null when {@code destinationAddress} is given
 * @param destinationAddress an IP address (traced into the vNIC that has it, if one has); null when
 *                           {@code destination} is given
 * @param protocol           TCP, UDP, ICMP or ICMPV6
 * @param sourcePort         TCP/UDP source port; null: 49152
 * @param destinationPort    TCP/UDP destination port (required for TCP and UDP)
 * @param icmpType           ICMP type; null: echo request (8, or 128 for ICMPv6)
 * @param icmpCode           ICMP code; null: 0
 */
public record TraceRequest(String source, String destination, String destinationAddress, Protocol protocol,
                           Integer sourcePort, Integer destinationPort, Integer icmpType, Integer icmpCode) {

    /** Source port used when none is given. */
    public static final int DEFAULT_SOURCE_PORT = 49152;

    /** A TCP trace between two VMs or vNICs. */
    public static TraceRequest tcp(String source, String destination, int destinationPort) {
        return new TraceRequest(source, destination, null, Protocol.TCP, null, destinationPort, null, null);
    }
}
