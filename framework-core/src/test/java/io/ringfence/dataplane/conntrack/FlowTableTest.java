package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.ringfence.dataplane.conntrack.Lookup.Kind.INVALID;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.NEW;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.TRACKED;
import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

class FlowTableTest {

    private static final long SECOND = Traffic.SECOND;

    private static Packet udp(int port) {
        return Packet.udp("10.0.0.1", port, "10.0.0.53", 53, null);
    }

    private static Packet syn(int port) {
        return Packet.tcp("10.0.0.1", port, "10.0.0.2", 80, SYN);
    }

    /** An established TCP flow from the given client port, its last packet at {@code now}. */
    private static Flow established(ConnectionTracker tracker, int port, long now) {
        Flow f = tracker.create("vm1", Direction.OUT, syn(port), now, "r", 1);
        tracker.lookup("vm1", Direction.IN, Packet.tcp("10.0.0.2", 80, "10.0.0.1", port, SYN | ACK), now);
        tracker.lookup("vm1", Direction.OUT, Packet.tcp("10.0.0.1", port, "10.0.0.2", 80, ACK), now);
        assertThat(f.state()).isEqualTo(FlowState.ESTABLISHED);
        return f;
    }

    @Test
    void aFullTableFirstDropsExpiredFlows() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(3));
        Flow old = tracker.create("vm1", Direction.OUT, udp(1), 0, "r", 1);
        tracker.create("vm1", Direction.OUT, udp(2), 20 * SECOND, "r", 1);
        tracker.create("vm1", Direction.OUT, udp(3), 20 * SECOND, "r", 1);
        tracker.create("vm1", Direction.OUT, udp(4), 30 * SECOND, "r", 1);
        assertThat(old.removed()).isTrue();
        assertThat(tracker.size()).isEqualTo(3);
        assertThat(tracker.evictions()).isZero();
    }

    @Test
    void evictsTheNonEstablishedFlowClosestToExpiry() {
        // established flows expire sooner than UDP here, and are still kept
        ConnectionTracker tracker = new ConnectionTracker(
                ConnectionTracker.Config.defaults(3).withTimeout(FlowState.ESTABLISHED, Duration.ofSeconds(5)));
        Flow est = established(tracker, 1000, 0);
        Flow first = tracker.create("vm1", Direction.OUT, udp(1), 1 * SECOND, "r", 1);
        Flow second = tracker.create("vm1", Direction.OUT, udp(2), 2 * SECOND, "r", 1);

        Flow newest = tracker.create("vm1", Direction.OUT, udp(3), 3 * SECOND, "r", 1);
        assertThat(first.removed()).isTrue();
        assertThat(est.removed()).isFalse();
        assertThat(second.removed()).isFalse();
        assertThat(newest.removed()).isFalse();
        assertThat(tracker.evictions()).isEqualTo(1);
        assertThat(tracker.size()).isEqualTo(3);
        assertThat(tracker.lookup("vm1", Direction.OUT, udp(1), 3 * SECOND).kind()).isEqualTo(NEW);
    }

    @Test
    void whenAllAreEstablishedEvictsTheLeastRecentlySeen() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(3));
        Flow a = established(tracker, 1001, 0);
        Flow b = established(tracker, 1002, SECOND);
        Flow c = established(tracker, 1003, 2 * SECOND);
        // a sees traffic again: b becomes the least recently seen
        tracker.lookup("vm1", Direction.OUT, Packet.tcp("10.0.0.1", 1001, "10.0.0.2", 80, ACK), 3 * SECOND);
        tracker.create("vm1", Direction.OUT, syn(1004), 4 * SECOND, "r", 1);
        assertThat(b.removed()).isTrue();
        assertThat(a.removed()).isFalse();
        assertThat(c.removed()).isFalse();
        assertThat(tracker.evictions()).isEqualTo(1);
    }

    @Test
    void neverGrowsPastTheBound() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        for (int i = 0; i < 100; i++) {
            tracker.create("vm1", Direction.OUT, udp(2000 + i), i, "r", 1);
            assertThat(tracker.size()).isLessThanOrEqualTo(10);
        }
        assertThat(tracker.size()).isEqualTo(10);
        assertThat(tracker.evictions()).isEqualTo(90);
        assertThat(tracker.flows("vm1")).hasSize(10);
    }

    @Test
    void theSameTupleOnTwoVnicsIsTwoFlows() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        Flow out = tracker.create("vm1", Direction.OUT, syn(5000), 0, "egress", 1);
        assertThat(tracker.lookup("vm2", Direction.IN, syn(5000), 0).kind()).isEqualTo(NEW);
        Flow in = tracker.create("vm2", Direction.IN, syn(5000), 0, "ingress", 4);
        assertThat(in).isNotSameAs(out);
        assertThat(tracker.size()).isEqualTo(2);

        Packet synAck = Packet.tcp("10.0.0.2", 80, "10.0.0.1", 5000, SYN | ACK);
        assertThat(tracker.lookup("vm2", Direction.OUT, synAck, 0).flow()).isSameAs(in);
        assertThat(in.state()).isEqualTo(FlowState.SYN_RECEIVED);
        assertThat(out.state()).isEqualTo(FlowState.SYN_SENT);
        assertThat(tracker.lookup("vm1", Direction.IN, synAck, 0).flow()).isSameAs(out);
    }

    @Test
    void revalidateCutsExactlyTheRejectedFlowsOfTheVnic() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        Flow keep1 = tracker.create("vm1", Direction.OUT, udp(1), 0, "r1", 1);
        Flow cut = tracker.create("vm1", Direction.OUT, udp(2), 0, "r2", 1);
        Flow keep2 = tracker.create("vm1", Direction.OUT, syn(3), 0, "r1", 1);
        Flow otherVnic = tracker.create("vm2", Direction.OUT, udp(2), 0, "r2", 1);

        int n = tracker.revalidate("vm1", f -> !f.ruleId().equals("r2"));
        assertThat(n).isEqualTo(1);
        assertThat(cut.removed()).isTrue();
        assertThat(keep1.removed()).isFalse();
        assertThat(keep2.removed()).isFalse();
        assertThat(otherVnic.removed()).isFalse();
        assertThat(tracker.flows("vm1")).extracting(Flow::key).containsExactlyInAnyOrder(keep1.key(), keep2.key());
        assertThat(tracker.lookup("vm1", Direction.OUT, udp(2), 0).kind()).isEqualTo(NEW);
        assertThat(tracker.revalidate("vm1", f -> true)).isZero();
    }

    @Test
    void aCutTcpConnectionDropsItsNextPackets() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        established(tracker, 1234, 0);
        assertThat(tracker.revalidate("vm1", f -> false)).isEqualTo(1);
        Lookup l = tracker.lookup("vm1", Direction.OUT, Packet.tcp("10.0.0.1", 1234, "10.0.0.2", 80, ACK), 0);
        assertThat(l.kind()).isEqualTo(INVALID);
    }

    @Test
    void removeAVnicThatLeftTheHost() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        tracker.create("vm1", Direction.OUT, udp(1), 0, "r", 1);
        tracker.create("vm1", Direction.OUT, udp(2), 0, "r", 1);
        tracker.create("vm2", Direction.OUT, udp(1), 0, "r", 1);
        assertThat(tracker.remove("vm1")).isEqualTo(2);
        assertThat(tracker.flows("vm1")).isEmpty();
        assertThat(tracker.flows("vm2")).hasSize(1);
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void flowsAreASnapshot() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        tracker.create("vm1", Direction.OUT, udp(1), 0, "r", 1);
        Flow copy = tracker.flows("vm1").get(0);
        tracker.lookup("vm1", Direction.IN, Packet.udp("10.0.0.53", 53, "10.0.0.1", 1, null), SECOND);
        assertThat(copy.state()).isEqualTo(FlowState.UDP_UNREPLIED);
        assertThat(copy.replyPackets()).isZero();
        assertThat(tracker.flows("vm1").get(0).state()).isEqualTo(FlowState.UDP_ASSURED);
    }

    @Test
    void creatingATrackedFlowAgainReturnsIt() {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(10));
        Flow f = tracker.create("vm1", Direction.OUT, udp(1), 0, "r", 1);
        assertThat(tracker.create("vm1", Direction.OUT, udp(1), 0, "r", 2)).isSameAs(f);
        Packet answer = Packet.udp("10.0.0.53", 53, "10.0.0.1", 1, null);
        assertThat(tracker.create("vm1", Direction.IN, answer, 0, "r", 2)).isSameAs(f);
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void concurrentSmoke() throws Exception {
        int max = 500;
        int threads = 8;
        int perThread = 200;
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(max));
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = 10_000 + t * perThread;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int port = base + i;
                        tracker.create("vm1", Direction.OUT, syn(port), 0, "r", 1);
                        tracker.lookup("vm1", Direction.IN,
                                Packet.tcp("10.0.0.2", 80, "10.0.0.1", port, SYN | ACK), 0);
                        Lookup l = tracker.lookup("vm1", Direction.OUT,
                                Packet.tcp("10.0.0.1", port, "10.0.0.2", 80, ACK), 0);
                        assertThat(l.kind()).isIn(TRACKED, INVALID); // INVALID if evicted meanwhile
                        assertThat(tracker.size()).isLessThanOrEqualTo(max);
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    tracker.expire(0);
                    assertThat(tracker.flows("vm1").size()).isLessThanOrEqualTo(max);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tracker.size()).isEqualTo(max);
        assertThat(tracker.flows("vm1")).hasSize(max);
        assertThat(tracker.size() + tracker.evictions()).isEqualTo((long) threads * perThread);
    }
}
