package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.net.IpPrefix;

import java.util.Objects;

/**
 * The identity of one direction of a flow on one vNIC: the vNIC, the direction the packet crosses
 * it, and the 5-tuple as the packet carries it. A flow is stored under the key of the packet that
 * created it (its original direction); the packets of the other side match {@link #reverse()},
 * which swaps addresses and ports and flips the direction.
 *
 * <p>ICMP/ICMPv6 echo uses the echo identifier as both ports, so a request and its reply are
 * reverses of each other. Other protocols (and other ICMP messages) have ports 0: they are keyed
 * by protocol and addresses only.
 *
 * @param vnicId          the vNIC the flow crosses
 * @param direction       {@link Direction#IN} or {@link Direction#OUT}, never {@code IN_OUT}
 * @param protocol        IANA protocol number
 * @param source          source address
 * @param destination     destination address
 * @param sourcePort      TCP/UDP source port, the echo id, or 0
 * @param destinationPort TCP/UDP destination port, the echo id, or 0
 */
public record FlowKey(String vnicId, Direction direction, int protocol, IpPrefix source, IpPrefix destination,
                      int sourcePort, int destinationPort) {

    public FlowKey {
        Objects.requireNonNull(vnicId, "vnicId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (direction != Direction.IN && direction != Direction.OUT) {
            throw new IllegalArgumentException("a packet crosses a vNIC IN or OUT, not " + direction);
        }
    }

    /** The key of {@code p} crossing {@code vnicId} in {@code direction}. */
    public static FlowKey of(String vnicId, Direction direction, Packet p) {
        int sport = 0;
        int dport = 0;
        if (p.isTcp() || p.isUdp()) {
            sport = p.sourcePort();
            dport = p.destinationPort();
        } else if (Icmp.isEcho(p)) {
            sport = p.icmpId();
            dport = p.icmpId();
        }
        return new FlowKey(vnicId, direction, p.protocol(), p.source(), p.destination(), sport, dport);
    }

    /** The key the other side's packets carry: addresses and ports swapped, direction flipped. */
    public FlowKey reverse() {
        return new FlowKey(vnicId, opposite(direction), protocol, destination, source, destinationPort, sourcePort);
    }

    static Direction opposite(Direction d) {
        return d == Direction.IN ? Direction.OUT : Direction.IN;
    }

    @Override
    public String toString() {
        return vnicId + " " + direction + " " + protocol + " " + source + ":" + sourcePort + " -> " + destination
                + ":" + destinationPort;
    }
}
