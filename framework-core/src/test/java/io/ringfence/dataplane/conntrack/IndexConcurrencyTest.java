package io.ringfence.dataplane.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.model.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The index is read without a lock while writers add and remove flows, leave tombstones, and
 * replace the whole array to grow, shrink or drop them: a flow that stays in the table must be
 * found by every lookup, on both paths and both sides, through all of that.
 */
class IndexConcurrencyTest {

    private static final int STABLE = 500;
    private static final int CHURN = 4_000;
    private static final int READERS = 2;
    private static final int ROUNDS = 30;

    private static Packet request(int port) {
        return Packet.udp("10.0.0.1", port, "10.0.0.53", 53, null);
    }

    private static Packet answer(int port) {
        return Packet.udp("10.0.0.53", 53, "10.0.0.1", port, null);
    }

    @Test
    void stableFlowsAreAlwaysFoundWhileOthersComeAndGo() throws Exception {
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(STABLE + CHURN));
        List<Flow> stable = new ArrayList<>();
        for (int i = 0; i < STABLE; i++) {
            stable.add(tracker.create("vm1", Direction.OUT, request(10_000 + i), 0, "stable", 1));
        }
        AtomicBoolean churning = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> {
                    List<PacketView> views = new ArrayList<>();
                    for (int i = 0; i < STABLE; i++) {
                        views.add(FastPathTest.view(i % 2 == 0 ? request(10_000 + i) : answer(10_000 + i)));
                    }
                    start.await();
                    long lookups = 0;
                    do {
                        for (int i = 0; i < STABLE; i++) {
                            Direction d = i % 2 == 0 ? Direction.OUT : Direction.IN;
                            assertThat(tracker.track("vm1", d, views.get(i), 1)).isSameAs(stable.get(i));
                            Lookup l = tracker.lookup("vm1", d.equals(Direction.OUT) ? Direction.IN : Direction.OUT,
                                    i % 2 == 0 ? answer(10_000 + i) : request(10_000 + i), 1);
                            assertThat(l.flow()).isSameAs(stable.get(i));
                            lookups += 2;
                        }
                    } while (churning.get());
                    return lookups;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                start.await();
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        // grow to several times the stable set, then cut back: rebuilds both ways
                        for (int i = 0; i < CHURN; i++) {
                            tracker.create("vm1", Direction.OUT, request(20_000 + i), 0, "churn", 1);
                        }
                        assertThat(tracker.revalidate("vm1", f -> !f.ruleId().equals("churn"))).isEqualTo(CHURN);
                    }
                } finally {
                    churning.set(false);
                }
                return null;
            });
            start.countDown();
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Long> r : readers) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tracker.size()).isEqualTo(STABLE);
        assertThat(tracker.flows("vm1")).hasSize(STABLE);
        assertThat(stable).noneMatch(Flow::removed);
    }
}
