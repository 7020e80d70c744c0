package io.ringfence.dataplane.conntrack;

import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.RST;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.model.Direction;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The attachment of a flow is there from the flow's creation, found with it on every path, and told
 * exactly once when the flow is removed, whatever removes it, with the tracker's locks let go.
 */
class FlowAttachmentTest {

    private final Traffic t = new Traffic(ConnectionTracker.Config.defaults(2));
    /** How often the attachment was told; it also checks that it may call the tracker when told. */
    private final AtomicInteger told = new AtomicInteger();
    private final FlowAttachment attachment = () -> {
        t.tracker.size(); // takes the table lock: would deadlock on another thread if it were held
        told.incrementAndGet();
    };

    private Flow open() {
        return t.tracker.create(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now, "r", 1, attachment);
    }

    @Test
    void theAttachmentIsFoundWithTheFlowOnEveryPath() {
        Flow flow = open();

        assertThat(flow.attachment()).isSameAs(attachment);
        assertThat(t.fromServer(SYN | ACK).flow().attachment()).isSameAs(attachment);
        assertThat(t.tracker.create(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now, "r", 1, () -> { }))
                .as("a second create finds the flow with its own attachment").isSameAs(flow);
        assertThat(flow.attachment()).isSameAs(attachment);
        assertThat(flow.direction()).isEqualTo(Direction.OUT);
        assertThat(told).hasValue(0);
    }

    @Test
    void expiryTellsIt() {
        open();
        t.advanceSeconds(31);

        assertThat(t.tracker.expire(t.now)).isEqualTo(1);

        assertThat(told).hasValue(1);
        assertThat(t.tracker.expire(t.now)).isZero();
        assertThat(told).hasValue(1);
    }

    @Test
    void aLookupThatMeetsTheFlowExpiredTellsIt() {
        open();
        t.advanceSeconds(31);

        assertThat(t.fromClient(SYN).kind()).isEqualTo(Lookup.Kind.NEW);

        assertThat(told).hasValue(1);
    }

    @Test
    void aNewConnectionOnTheTupleOfAResetOneTellsIt() {
        t.tracker.create(Traffic.VNIC, Direction.OUT, Traffic.client(SYN), t.now, "r", 1, attachment);
        t.fromServer(SYN | ACK);
        t.fromClient(ACK);
        t.fromServer(RST);

        assertThat(t.fromClient(SYN).kind()).isEqualTo(Lookup.Kind.NEW);

        assertThat(told).hasValue(1);
    }

    @Test
    void evictionTellsIt() {
        open(); // the oldest of the full table's flows: the closest to expiry
        t.advanceSeconds(1);
        t.tracker.create(Traffic.VNIC, Direction.OUT, io.ringfence.dataplane.packet.Packet.tcp("10.0.0.1", 40001,
                "10.0.0.2", 80, SYN), t.now, "r", 1);
        t.tracker.create(Traffic.VNIC, Direction.OUT, io.ringfence.dataplane.packet.Packet.tcp("10.0.0.1", 40002,
                "10.0.0.2", 80, SYN), t.now, "r", 1);

        assertThat(t.tracker.evictions()).isEqualTo(1);
        assertThat(told).hasValue(1);
    }

    @Test
    void revalidationRemovalAndClearTellIt() {
        open();
        assertThat(t.tracker.revalidate(Traffic.VNIC, f -> false)).isEqualTo(1);
        assertThat(told).hasValue(1);

        open();
        assertThat(t.tracker.remove(Traffic.VNIC)).isEqualTo(1);
        assertThat(told).hasValue(2);

        Flow flow = open();
        assertThat(t.tracker.remove(flow)).isTrue();
        assertThat(t.tracker.remove(flow)).isFalse();
        assertThat(told).hasValue(3);

        open();
        assertThat(t.tracker.clear()).isEqualTo(1);
        assertThat(told).hasValue(4);
    }

    @Test
    void aDetachedAttachmentIsNotTold() {
        Flow flow = open();

        assertThat(flow.detach(attachment)).isTrue();
        assertThat(flow.detach(attachment)).isFalse();
        assertThat(flow.attachment()).isNull();
        t.tracker.remove(flow);

        assertThat(told).hasValue(0);
    }

    @Test
    void aRemovedFlowKeepsItsAttachmentForThePacketsRacingTheRemoval() {
        Flow flow = open();
        t.tracker.remove(flow);

        assertThat(flow.removed()).isTrue();
        assertThat(flow.attachment()).isSameAs(attachment);
        assertThat(told).hasValue(1);
    }
}
