package io.ringfence.insertion.internal;

import static io.ringfence.insertion.internal.Rig.chain;
import static io.ringfence.insertion.internal.Rig.hop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Packet threads push the packets of many flows (the two sides of a flow from different threads at
 * once) through a fail-open and a fail-closed chain while versions of one of their functions
 * register and leave over and over, sometimes all at once. Every packet gets exactly one verdict,
 * nothing throws, the chains' counters add up to the packets sent, no session is called
 * concurrently with itself or after it was closed or exported, and every session opened is closed
 * exactly once.
 */
class HotSwapConcurrencyTest {

    private static final int THREADS = 4;
    private static final int PACKETS_PER_THREAD = 6_000;
    private static final int LIVE_FLOWS = 64;

    @Test
    void everyPacketGetsOneVerdictWhileInstancesComeAndGo() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        try {
            run(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("failed with -Dseed=" + seed + ": " + e.getMessage(), e);
        }
    }

    private void run(long seed) throws Exception {
        Random random = new Random(seed);
        try (Rig rig = new Rig(2, 4096)) {
            FakeFunction appId = rig.function("app-id", "1.0.0");
            appId.behavior = (s, p) -> s.packets.get() % 11 == 0 ? Verdict.DROP : Verdict.PASS;
            rig.register(appId);
            List<FakeFunction> versions = new ArrayList<>();
            Map<FakeFunction, Long> registered = new ConcurrentHashMap<>();
            ChainSpec[] chains = {
                chain("fail-open", FailurePolicy.ALLOW, hop("ids", "acme/ids"), hop(appId)),
                chain("fail-closed", FailurePolicy.BLOCK, hop("ids", "acme/ids"), hop(appId))
            };
            AtomicReferenceArray<ChainSession> flows = new AtomicReferenceArray<>(LIVE_FLOWS);
            for (int i = 0; i < LIVE_FLOWS; i++) {
                flows.set(i, rig.open(chains[i % 2]));
            }
            LongAdder[] verdicts = {new LongAdder(), new LongAdder()};
            AtomicLong nulls = new AtomicLong();

            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long threadSeed = random.nextLong();
                workers.add(pool.submit(() -> {
                    Random r = new Random(threadSeed);
                    start.await();
                    for (int i = 0; i < PACKETS_PER_THREAD; i++) {
                        int slot = r.nextInt(LIVE_FLOWS);
                        ChainSession flow = flows.get(slot);
                        ChainVerdict v = flow.process(Rig.packet(r.nextBoolean() ? PacketSide.ORIGINAL : PacketSide.REPLY));
                        if (v == null || v.verdict() == null) {
                            nulls.incrementAndGet();
                        }
                        verdicts[slot % 2].increment();
                        if (r.nextInt(40) == 0) {
                            // the flow ended; another takes its slot (unless another thread ended it first)
                            ChainSession next = rig.open(chains[slot % 2]);
                            (flows.compareAndSet(slot, flow, next) ? flow : next).close();
                        }
                    }
                    return null;
                }));
            }

            start.countDown();
            int version = 0;
            // versions of ids come and go for as long as packets flow (and at least 30 times)
            for (int round = 0; round < 30 || workers.stream().anyMatch(w -> !w.isDone()); round++) {
                int action = round % 10 == 9 ? 9 : random.nextInt(9);
                if (action < 6 || registered.isEmpty()) {
                    // two versions in three carry their sessions' state over
                    FakeFunction next = version % 3 != 2 ? rig.statefulFunction("ids", "1." + version++ + ".0")
                            : rig.function("ids", "1." + version++ + ".0");
                    next.behavior = (s, p) -> s.packets.get() % 17 == 0 ? Verdict.PASS_AND_BYPASS
                            : s.flow.flowId() % 29 == 0 && s.packets.get() == 3 ? Verdict.REJECT
                            : s.flow.flowId() % 31 == 0 && s.packets.get() == 2 ? throwing() : Verdict.PASS;
                    versions.add(next);
                    registered.put(next, rig.register(next));
                } else if (action < 9) {
                    FakeFunction leaving = versions.get(random.nextInt(versions.size()));
                    Long id = registered.remove(leaving);
                    if (id != null) {
                        rig.registry.remove(id);
                    }
                } else {
                    registered.values().forEach(rig.registry::remove); // the gap of an update
                    registered.clear();
                }
                Thread.onSpinWait();
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            for (int i = 0; i < LIVE_FLOWS; i++) {
                flows.get(i).close();
            }

            assertThat(nulls).hasValue(0);
            ChainStats open = rig.insertion.chainStats("fail-open").orElseThrow();
            ChainStats closed = rig.insertion.chainStats("fail-closed").orElseThrow();
            for (int c = 0; c < 2; c++) {
                ChainStats s = c == 0 ? open : closed;
                assertThat(s.packets()).as(s.chainId()).isEqualTo(verdicts[c].sum())
                        .isEqualTo(s.passed() + s.dropped() + s.rejected() + s.bypassed());
                assertThat(s.sessionsOpen()).as(s.chainId()).isZero();
            }
            assertThat(open.packets() + closed.packets()).isEqualTo((long) THREADS * PACKETS_PER_THREAD);
            assertThat(closed.dropped()).isPositive();
            // the test did what it is for: flows moved with their state, and met gaps
            assertThat(versions.stream().flatMap(f -> f.sessions.stream()).filter(x -> x.resumedFrom != null)).isNotEmpty();
            assertThat(open.failures()).containsKey(HopOutcome.MISSING_INSTANCE);
            assertThat(closed.failures()).containsKey(HopOutcome.MISSING_INSTANCE);
            assertThat(rig.insertion.functionStats()).allSatisfy(f -> assertThat(f.sessionsOpen()).isZero());
            List<FakeFunction> all = new ArrayList<>(versions);
            all.add(appId);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(all).allSatisfy(f ->
                    assertThat(f.sessions).allSatisfy(s -> assertThat(s.closes).as(f.id() + " flow " + s.flow.flowId())
                            .hasValue(1))));
            assertThat(all).allSatisfy(f -> assertThat(f.violations).as(f.descriptor.version()).isEmpty());
        }
    }

    private static Verdict throwing() {
        throw new IllegalStateException("a partner bug");
    }
}
