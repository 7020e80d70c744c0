package io.ringfence.dataplane.sim;

import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Protocol;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The packet a {@link TraceRequest} describes, with the vNICs it goes between: the source vNIC, the
 * destination vNIC (null for an address of no vNIC) and the packet that opens the connection.
 *
 * @param source      the vNIC the packet leaves
 * @param destination the vNIC it enters; null when it is addressed outside the data center's vNICs
 * @param packet      a TCP SYN, a UDP datagram or an ICMP message
 */
record TracePacket(Vnic source, Vnic destination, Packet packet) {

    /**
     * Resolves a request against the VMs of the model, by id.
     *
     * @throws ValidationException naming each offending field of the request as a JSON pointer
     */
    static TracePacket resolve(TraceRequest request, Map<String, Vm> vms) {
        List<Violation> problems = new ArrayList<>();
        Vnic source = endpoint(vms, request.source(), "/source", problems);
        Vnic destination = null;
        IpPrefix destinationAddress = null;
        if (request.destination() != null && request.destinationAddress() != null) {
            problems.add(new Violation("/destinationAddress", "give a destination or a destination address, not both"));
        } else if (request.destinationAddress() != null) {
            try {
                destinationAddress = IpPrefix.parse(request.destinationAddress());
                if (!destinationAddress.isHost()) {
                    problems.add(new Violation("/destinationAddress", "must be a single address"));
                    destinationAddress = null;
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Violation("/destinationAddress", "not an IP address: " + request.destinationAddress()));
            }
        } else if (request.destination() == null) {
            problems.add(new Violation("/destination", "give a destination or a destination address"));
        } else {
            destination = endpoint(vms, request.destination(), "/destination", problems);
        }
        Protocol protocol = request.protocol();
        if (protocol == null) {
            problems.add(new Violation("/protocol", "required: TCP, UDP, ICMP or ICMPV6"));
        } else if (protocol == Protocol.ANY) {
            problems.add(new Violation("/protocol", "must be TCP, UDP, ICMP or ICMPV6"));
        } else if (protocol.hasPorts()) {
            port(request.sourcePort(), "/sourcePort", problems);
            if (request.destinationPort() == null) {
                problems.add(new Violation("/destinationPort", "required for " + protocol));
            } else {
                port(request.destinationPort(), "/destinationPort", problems);
            }
            if (request.icmpType() != null) {
                problems.add(new Violation("/icmpType", "only for ICMP and ICMPV6"));
            }
            if (request.icmpCode() != null) {
                problems.add(new Violation("/icmpCode", "only for ICMP and ICMPV6"));
            }
        } else {
            if (request.sourcePort() != null) {
                problems.add(new Violation("/sourcePort", "no ports with " + protocol));
            }
            if (request.destinationPort() != null) {
                problems.add(new Violation("/destinationPort", "no ports with " + protocol));
            }
            byteField(request.icmpType(), "/icmpType", problems);
            byteField(request.icmpCode(), "/icmpCode", problems);
        }
        IpFamily family = protocol == Protocol.ICMPV6
                || (destinationAddress != null && destinationAddress.family() == IpFamily.IPV6)
                ? IpFamily.IPV6 : IpFamily.IPV4;
        if (protocol == Protocol.ICMP && family == IpFamily.IPV6) {
            problems.add(new Violation("/protocol", "ICMP to an IPv6 address: use ICMPV6"));
        }
        if (protocol == Protocol.ICMPV6 && destinationAddress != null && destinationAddress.family() != family) {
            problems.add(new Violation("/protocol", "ICMPV6 to an IPv4 address: use ICMP"));
        }
        if (destinationAddress != null) {
            destination = owner(vms, destinationAddress); // an address of a vNIC here is traced into that vNIC
        }
        IpPrefix from = source == null ? null : address(source, family, "/source", problems);
        IpPrefix to = destinationAddress != null ? destinationAddress
                : destination == null ? null : address(destination, family, "/destination", problems);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new TracePacket(source, destination, packet(request, protocol, from, to));
    }

    /** The vNIC named by a VM id (its first vNIC) or a vNIC id; null (with a violation) otherwise. */
    private static Vnic endpoint(Map<String, Vm> vms, String id, String field, List<Violation> problems) {
        if (id == null || id.isBlank()) {
            problems.add(new Violation(field, "required: a VM or vNIC id"));
            return null;
        }
        Vm vm = vms.get(id);
        if (vm != null) {
            if (vm.vnics().isEmpty()) {
                problems.add(new Violation(field, "VM " + id + " has no vNIC"));
                return null;
            }
            return vm.vnics().get(0);
        }
        for (Vm v : vms.values()) {
            for (Vnic nic : v.vnics()) {
                if (nic.id().equals(id)) {
                    return nic;
                }
            }
        }
        problems.add(new Violation(field, "no VM or vNIC " + id));
        return null;
    }

    /** The vNIC that has {@code address} as one of its addresses; null when none has. */
    private static Vnic owner(Map<String, Vm> vms, IpPrefix address) {
        for (Vm vm : vms.values()) {
            for (Vnic nic : vm.vnics()) {
                for (IpPrefix a : nic.addresses()) {
                    if (a.family() == address.family() && Arrays.equals(a.first(), address.first())) {
                        return nic;
                    }
                }
            }
        }
        return null;
    }

    /** The vNIC's first address of {@code family}; null (with a violation) when it has none. */
    private static IpPrefix address(Vnic nic, IpFamily family, String field, List<Violation> problems) {
        for (IpPrefix a : nic.addresses()) {
            if (a.family() == family) {
                return IpPrefix.host(family, a.first()[0], a.first()[1]);
            }
        }
        problems.add(new Violation(field, "vNIC " + nic.id() + " has no " + family + " address"));
        return null;
    }

    private static void port(Integer port, String field, List<Violation> problems) {
        if (port != null && (port < 0 || port > 65535)) {
            problems.add(new Violation(field, "must be 0-65535: " + port));
        }
    }

    private static void byteField(Integer value, String field, List<Violation> problems) {
        if (value != null && (value < 0 || value > 255)) {
            problems.add(new Violation(field, "must be 0-255: " + value));
        }
    }

    /** The packet that opens the traced connection: a TCP SYN, a UDP datagram or an ICMP message. */
    private static Packet packet(TraceRequest request, Protocol protocol, IpPrefix from, IpPrefix to) {
        String s = from.toString();
        String d = to.toString();
        int sourcePort = request.sourcePort() == null ? TraceRequest.DEFAULT_SOURCE_PORT : request.sourcePort();
        return switch (protocol) {
            case TCP -> Packet.tcp(s, sourcePort, d, request.destinationPort(), Packet.SYN);
            case UDP -> Packet.udp(s, sourcePort, d, request.destinationPort(), null);
            default -> Packet.icmp(s, d, request.icmpType() != null ? request.icmpType()
                            : from.family() == IpFamily.IPV4 ? 8 : 128,
                    request.icmpCode() == null ? 0 : request.icmpCode(), 0);
        };
    }
}
