package io.ringfence.dataplane.steering;

import static io.ringfence.dataplane.steering.SteeringRig.DB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB;
import static io.ringfence.dataplane.steering.SteeringRig.WEB_NIC;
import static io.ringfence.model.InsertionFixtures.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several threads run many steered and unsteered connections through web1-0 while the instances of a
 * function are replaced and removed under them, in a connection table small enough for flows to be
 * evicted: every packet gets exactly one verdict, nothing throws, the counters add up, the functions'
 * contract holds, and every session is closed once when the flows end. Randomized: a failure names
 * its seed ({@code -Dseed=...} replays the traffic).
 */
class SteeringConcurrencyTest {

    private static final int THREADS = 4;
    /** Each thread runs at least this many connections... */
    private static final int MIN_CONNECTIONS = 150;
    /** ...and goes on until the function changed this many times (its ports permitting). */
    private static final int MIN_CHANGES = 12;
    private static final int PORTS_PER_THREAD = 10_000;
    /** Small enough for flows to be evicted, and for a leaving instance to have few sessions to move. */
    private static final int MAX_FLOWS = 1_000;

    @Test
    void everyPacketGetsExactlyOneVerdictWhileFunctionsComeAndGo() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        try {
            run(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("failed with -Dseed=" + seed + ": " + e.getMessage(), e);
        }
    }

    private void run(long seed) throws Exception {
        Random random = new Random(seed);
        try (SteeringRig rig = new SteeringRig(MAX_FLOWS)) {
            List<Partner> partners = new CopyOnWriteArrayList<>();
            Partner first = rig.partner("ids", "1.0.0");
            partners.add(first);
            long current = rig.register(first);
            Partner av = rig.register("av");
            // av drops the second packet of one flow in five: the chain's verdicts are not all PASS
            av.behavior = p -> p.side() == PacketSide.REPLY && p.tcpFlags() == (Packet.SYN | Packet.ACK)
                    && Math.floorMod(p.tcpSequence(), 5) == 0 ? Verdict.DROP : Verdict.PASS;
            partners.add(av);
            rig.chain("c", FailurePolicy.BLOCK, "ids", "av");
            rig.redirect(redirect("to-c", "c").sources("g-web").services("https").direction(Direction.OUT));

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            AtomicInteger changes = new AtomicInteger();
            try {
                List<Future<int[]>> senders = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long threadSeed = random.nextLong();
                    int firstPort = 10_000 + t * PORTS_PER_THREAD;
                    senders.add(pool.submit(() -> connections(rig, new Random(threadSeed), firstPort, changes)));
                }
                // ids is upgraded, or missing for a while, again and again, for as long as packets flow
                for (int version = 1; senders.stream().anyMatch(f -> !f.isDone()); version++) {
                    Partner next = rig.partner("ids", "1." + version + ".0");
                    partners.add(next);
                    if (random.nextBoolean()) {
                        long id = rig.register(next); // an upgrade: the new one registers before the old one leaves
                        rig.registry.remove(current);
                        current = id;
                    } else {
                        rig.registry.remove(current);
                        long missed = missingInstances(rig);
                        // the gap lasts until a packet met it (or the traffic is over)
                        while (missingInstances(rig) == missed && senders.stream().anyMatch(f -> !f.isDone())) {
                            Thread.onSpinWait();
                        }
                        current = rig.register(next);
                    }
                    changes.incrementAndGet();
                }
                int packets = 0;
                int steered = 0;
                for (Future<int[]> f : senders) {
                    int[] counted = f.get(2, TimeUnit.MINUTES);
                    packets += counted[0];
                    steered += counted[1];
                }

                VnicStats web = rig.dc.vnicStats(WEB_NIC).orElseThrow();
                assertThat(web.allowed() + web.dropped() + web.rejected()).isEqualTo(packets);
                assertThat(web.steered()).isEqualTo(steered);
                ChainStats c = rig.insertion.chainStats("c").orElseThrow();
                assertThat(c.packets()).isEqualTo(steered)
                        .isEqualTo(c.passed() + c.dropped() + c.rejected() + c.bypassed());
                assertThat(c.dropped()).isPositive();
                // the test did what it is for: flows met gaps and moved between versions
                assertThat(c.failures()).containsKey(HopOutcome.MISSING_INSTANCE);
                assertThat(partners.stream().filter(p -> p.name.equals("ids") && !p.sessions.isEmpty()))
                        .hasSizeGreaterThan(1);
            } finally {
                pool.shutdownNow();
            }

            rig.dc.close();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(partners).allSatisfy(p ->
                    assertThat(p.sessions).allSatisfy(s -> assertThat(s.closes).as(p.descriptor.version() + " flow "
                            + s.flow.flowId()).hasValue(1))));
            assertThat(rig.insertion.chainStats("c").orElseThrow().sessionsOpen()).isZero();
            assertThat(partners).allSatisfy(p -> assertThat(p.violations).as(p.descriptor.version()).isEmpty());
        }
    }

    private static long missingInstances(SteeringRig rig) {
        return rig.insertion.chainStats("c").map(c -> c.failures().getOrDefault(HopOutcome.MISSING_INSTANCE, 0L))
                .orElse(0L);
    }

    /**
     * Connections from web1, https (steered) or mysql (not) at random: a handshake, some data either way,
     * then a reset or a FIN; every verdict checked. Returns {packets sent, packets the chain decided}.
     */
    private static int[] connections(SteeringRig rig, Random random, int firstPort, AtomicInteger changes) {
        int packets = 0;
        int steered = 0;
        for (int i = 0; i < PORTS_PER_THREAD && (i < MIN_CONNECTIONS || changes.get() < MIN_CHANGES); i++) {
            int port = firstPort + i;
            boolean https = random.nextInt(4) != 0;
            int service = https ? 443 : 3306;
            List<Packet> conversation = new ArrayList<>();
            conversation.add(Packet.tcp(WEB, port, DB, service, Packet.SYN));
            conversation.add(SteeringRig.segment(DB, service, WEB, port, Packet.SYN | Packet.ACK, port, 1, new byte[0]));
            conversation.add(Packet.tcp(WEB, port, DB, service, Packet.ACK));
            for (int d = random.nextInt(4); d > 0; d--) {
                conversation.add(random.nextBoolean() ? Packet.tcp(WEB, port, DB, service, Packet.ACK | Packet.PSH)
                        : Packet.tcp(DB, service, WEB, port, Packet.ACK | Packet.PSH));
            }
            int end = random.nextBoolean() ? Packet.RST : Packet.FIN | Packet.ACK;
            conversation.add(Packet.tcp(WEB, port, DB, service, end));
            boolean bypassed = false;
            for (Packet p : conversation) {
                boolean fromWeb = p.source().toString().equals(WEB);
                io.ringfence.dataplane.agent.Verdict v = rig.process(WEB_NIC, fromWeb ? Direction.OUT : Direction.IN, p);
                packets++;
                assertThat(v).isNotNull();
                assertThat(v.action()).isNotNull();
                if (v.chainId() != null) {
                    assertThat(v.chainId()).isEqualTo("c");
                    assertThat(v.inspection()).isNotNull();
                    bypassed |= v.inspection() == Verdict.PASS_AND_BYPASS;
                    steered++;
                } else if (https && v.allowed() && !bypassed) {
                    throw new AssertionError("an allowed packet of a steered flow skipped its chain: " + v);
                }
            }
        }
        return new int[] {packets, steered};
    }
}
