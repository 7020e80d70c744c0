package io.ringfence.spi.inspection;

import java.net.InetAddress;
import java.util.List;

/**
 * The flow a session inspects, as first seen at a vNIC: its 5-tuple (from the initiator's side), the
 * direction it crosses the vNIC in, and the VM that owns the vNIC.
 *
 * @param flowId          unique among the flows of the data plane while the flow lives
 * @param vnicId          the vNIC the flow crosses
 * @param direction       {@link VnicDirection#OUT} when the VM initiated the flow, {@link VnicDirection#IN} when it receives it
 * @param vmId            the VM owning the vNIC
 * @param vmName          its name
 * @param vmTags          its tags ({@code scope:value})
 * @param protocol        IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6...)
 * @param source          the initiator's address
 * @param sourcePort      the initiator's port (0 for protocols without ports)
 * @param destination     the responder's address
 * @param destinationPort the responder's port (0 for protocols without ports)
 */
public record FlowContext(long flowId, String vnicId, VnicDirection direction, String vmId, String vmName,
                          List<String> vmTags, int protocol, InetAddress source, int sourcePort,
                          InetAddress destination, int destinationPort) {

    /** IANA protocol number of TCP. */
    public static final int TCP = 6;
    /** IANA protocol number of UDP. */
    public static final int UDP = 17;

    public FlowContext {
        vmTags = vmTags == null ? List.of() : List.copyOf(vmTags);
    }
}
