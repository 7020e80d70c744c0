package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;

import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client on vNIC "vm1" (10.0.0.1:40000) talking to a server (10.0.0.2:80): packets of both sides
 * as the client's vNIC sees them (the client's leave it OUT, the server's enter it IN), and a clock.
 */
final class Traffic {

    static final String VNIC = "vm1";
    static final long SECOND = 1_000_000_000L;

    final ConnectionTracker tracker;
    long now = 1_000 * SECOND;

    Traffic() {
        this(ConnectionTracker.Config.defaults(1_000));
    }

    Traffic(ConnectionTracker.Config config) {
        tracker = new ConnectionTracker(config);
    }

    static Packet client(int flags) {
        return Packet.tcp("10.0.0.1", 40000, "10.0.0.2", 80, flags);
    }

    static Packet server(int flags) {
        return Packet.tcp("10.0.0.2", 80, "10.0.0.1", 40000, flags);
    }

    /** The client's SYN, allowed and recorded. */
    Flow open() {
        assertThat(fromClient(SYN).kind()).isEqualTo(Lookup.Kind.NEW);
        return tracker.create(VNIC, Direction.OUT, client(SYN), now, "rule-1", 7);
    }

    /** SYN, SYN+ACK, ACK. */
    Flow handshake() {
        Flow flow = open();
        assertThat(fromServer(SYN | ACK).kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(fromClient(ACK).kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);
        return flow;
    }

    Lookup fromClient(int flags) {
        return tracker.lookup(VNIC, Direction.OUT, client(flags), now);
    }

    Lookup fromServer(int flags) {
        return tracker.lookup(VNIC, Direction.IN, server(flags), now);
    }

    Lookup in(Packet p) {
        return tracker.lookup(VNIC, Direction.IN, p, now);
    }

    Lookup out(Packet p) {
        return tracker.lookup(VNIC, Direction.OUT, p, now);
    }

    void advanceSeconds(long seconds) {
        now += seconds * SECOND;
    }

    void advanceNanos(long nanos) {
        now += nanos;
    }
}
