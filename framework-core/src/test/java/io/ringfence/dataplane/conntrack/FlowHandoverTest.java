package io.ringfence.dataplane.conntrack;

import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.FIN;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A vNIC's flows handed over from one connection table to another (a VM moving host): the destination
 * goes on deciding their packets as the source would have, on its own clock and timeouts.
 */
class FlowHandoverTest {

    /** The source table, on its clock. */
    private final Traffic source = new Traffic();
    /** The destination table, on a clock that reads differently, with a shorter ESTABLISHED timeout. */
    private final ConnectionTracker destination = new ConnectionTracker(
            ConnectionTracker.Config.defaults(1_000).withTimeout(FlowState.ESTABLISHED, Duration.ofHours(1)));
    private long destinationNow = 77 * Traffic.SECOND;

    private Lookup atDestination(Direction direction, Packet p) {
        return destination.lookup(Traffic.VNIC, direction, p, destinationNow);
    }

    private List<FlowSnapshot> handOver() {
        List<FlowSnapshot> flows = source.tracker.exportFlows(Traffic.VNIC, source.now);
        assertThat(destination.importFlows(flows, destinationNow)).isEqualTo(flows.size());
        return flows;
    }

    @Test
    void anEstablishedConnectionGoesOnAtTheDestinationWithItsStateCountersAndTimes() {
        Flow flow = source.handshake();
        source.advanceSeconds(10);
        assertThat(source.fromServer(ACK).kind()).isEqualTo(Lookup.Kind.TRACKED);
        source.advanceSeconds(5);

        List<FlowSnapshot> flows = handOver();

        FlowSnapshot s = flows.get(0);
        assertThat(s.key()).isEqualTo(flow.key());
        assertThat(s.state()).isEqualTo(FlowState.ESTABLISHED);
        assertThat(s.ruleId()).isEqualTo("rule-1");
        assertThat(s.generation()).isEqualTo(7);
        assertThat(s.ageNanos()).isEqualTo(15 * Traffic.SECOND);
        assertThat(s.idleNanos()).isEqualTo(5 * Traffic.SECOND);
        Flow moved = destination.flows(Traffic.VNIC).get(0);
        assertThat(moved.key()).isEqualTo(flow.key());
        assertThat(moved.state()).isEqualTo(FlowState.ESTABLISHED);
        assertThat(moved.ruleId()).isEqualTo("rule-1");
        assertThat(moved.generation()).isEqualTo(7);
        assertThat(moved.originalPackets()).isEqualTo(2);
        assertThat(moved.originalBytes()).isEqualTo(80);
        assertThat(moved.replyPackets()).isEqualTo(2);
        assertThat(moved.replyBytes()).isEqualTo(80);
        assertThat(moved.created()).isEqualTo(destinationNow - 15 * Traffic.SECOND);
        assertThat(moved.lastSeen()).isEqualTo(destinationNow - 5 * Traffic.SECOND);
        assertThat(moved.expiresAt()).as("the destination's timeout, from the last packet")
                .isEqualTo(destinationNow - 5 * Traffic.SECOND + Duration.ofHours(1).toNanos());

        // both sides' packets are tracked at once, without classification or a new flow
        Lookup reply = atDestination(Direction.IN, Traffic.server(ACK));
        assertThat(reply.kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(reply.reply()).isTrue();
        assertThat(atDestination(Direction.OUT, Traffic.client(ACK)).kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(destination.size()).isEqualTo(1);
        Flow after = destination.flows(Traffic.VNIC).get(0);
        assertThat(after.replyPackets()).isEqualTo(3);
        assertThat(after.originalPackets()).isEqualTo(3);
        assertThat(after.lastSeen()).isEqualTo(destinationNow);
    }

    @Test
    void theFastPathFindsTheFlowsThatCame() {
        source.handshake();
        handOver();

        Packet reply = Traffic.server(ACK);
        Flow tracked = destination.track(Traffic.VNIC, Direction.IN, FastPathTest.view(reply), destinationNow);

        assertThat(tracked).isNotNull();
        assertThat(tracked.replyPackets()).isEqualTo(2);
    }

    @Test
    void aHalfClosedConnectionClosesAtTheDestinationAsItWouldHaveAtTheSource() {
        source.handshake();
        // the server closes first: the client's FIN then ends the close
        assertThat(source.fromServer(FIN | ACK).kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(source.fromClient(ACK).kind()).isEqualTo(Lookup.Kind.TRACKED);

        List<FlowSnapshot> flows = handOver();

        assertThat(flows.get(0).state()).isEqualTo(FlowState.CLOSE_WAIT);
        assertThat(flows.get(0).closerIsReply()).isTrue();
        assertThat(atDestination(Direction.OUT, Traffic.client(FIN | ACK)).kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(destination.flows(Traffic.VNIC).get(0).state()).isEqualTo(FlowState.LAST_ACK);
        assertThat(atDestination(Direction.IN, Traffic.server(ACK)).kind()).isEqualTo(Lookup.Kind.TRACKED);
        assertThat(destination.flows(Traffic.VNIC).get(0).state()).isEqualTo(FlowState.TIME_WAIT);
    }

    @Test
    void udpAndEchoFlowsKeepTheirState() {
        Packet query = Packet.udp("10.0.0.1", 5353, "10.0.0.9", 53, new byte[12]);
        source.tracker.create(Traffic.VNIC, Direction.OUT, query, source.now, "dns", 3);
        assertThat(source.in(Packet.udp("10.0.0.9", 53, "10.0.0.1", 5353, new byte[40])).kind())
                .isEqualTo(Lookup.Kind.TRACKED);
        Packet ping = Packet.icmp("10.0.0.1", "10.0.0.9", 8, 0, 99);
        source.tracker.create(Traffic.VNIC, Direction.OUT, ping, source.now, "icmp", 3);

        handOver();

        assertThat(destination.flows(Traffic.VNIC)).extracting(Flow::state)
                .containsExactlyInAnyOrder(FlowState.UDP_ASSURED, FlowState.ICMP);
        assertThat(atDestination(Direction.IN, Packet.icmp("10.0.0.9", "10.0.0.1", 0, 0, 99)).kind())
                .isEqualTo(Lookup.Kind.TRACKED);
        assertThat(atDestination(Direction.IN, Packet.icmp("10.0.0.9", "10.0.0.1", 8, 0, 99)).kind())
                .as("a request the wrong way is still invalid").isEqualTo(Lookup.Kind.INVALID);
    }

    @Test
    void onlyTheVnicsLiveFlowsGoAndTheSourceKeepsItsOwnUntilTheVnicLeaves() {
        source.handshake();
        source.tracker.create("other", Direction.OUT, Traffic.client(SYN), source.now, "r", 1);
        source.advanceSeconds(1);
        source.tracker.create(Traffic.VNIC, Direction.OUT, Packet.tcp("10.0.0.1", 40001, "10.0.0.2", 80, SYN),
                source.now, "r", 1);
        source.advanceSeconds(30); // the half-open one (SYN_SENT, 30 s) has expired

        List<FlowSnapshot> flows = handOver();

        assertThat(flows).extracting(FlowSnapshot::state).containsExactly(FlowState.ESTABLISHED);
        assertThat(source.tracker.size()).isEqualTo(3);
        assertThat(source.fromServer(ACK).kind()).isEqualTo(Lookup.Kind.TRACKED);
    }

    @Test
    void theAttachmentMovesWithTheFlowAndIsToldOnceWhenTheFlowEndsAtTheDestination() {
        AtomicInteger told = new AtomicInteger();
        FlowAttachment steering = told::incrementAndGet;
        source.tracker.create(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), source.now, "r", 1, steering);

        handOver();
        assertThat(source.tracker.remove(Traffic.VNIC)).isEqualTo(1);

        assertThat(told).as("the source's removal no longer concerns it").hasValue(0);
        assertThat(destination.flows(Traffic.VNIC)).hasSize(1);
        Flow moved = destination.lookup(Traffic.VNIC, Direction.IN, Traffic.server(SYN | ACK), destinationNow).flow();
        assertThat(moved.attachment()).isSameAs(steering);
        assertThat(destination.remove(Traffic.VNIC)).isEqualTo(1);
        assertThat(told).hasValue(1);
    }

    @Test
    void aFlowTakenOverReplacesTheOneOnItsTuple() {
        source.handshake();
        destination.create(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), destinationNow, "stale", 1);

        handOver();

        assertThat(destination.size()).isEqualTo(1);
        assertThat(destination.flows(Traffic.VNIC).get(0).ruleId()).isEqualTo("rule-1");
        assertThat(destination.flows(Traffic.VNIC).get(0).state()).isEqualTo(FlowState.ESTABLISHED);
    }

    @Test
    void aFullDestinationMakesRoomAsForANewFlow() {
        ConnectionTracker small = new ConnectionTracker(ConnectionTracker.Config.defaults(1));
        small.create("other", Direction.OUT, Traffic.client(SYN), destinationNow, "r", 1);
        source.handshake();

        small.importFlows(source.tracker.exportFlows(Traffic.VNIC, source.now), destinationNow);

        assertThat(small.size()).isEqualTo(1);
        assertThat(small.flows(Traffic.VNIC)).hasSize(1);
        assertThat(small.evictions()).isEqualTo(1);
    }

    @Test
    void aSnapshotIsConsistent() {
        source.handshake();
        FlowSnapshot s = source.tracker.exportFlows(Traffic.VNIC, source.now).get(0);

        assertThatThrownBy(() -> new FlowSnapshot(s.key(), s.state(), false, "r", 1, 0, 0, 0, 0, 5, 6, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idle");
    }
}
