package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static io.ringfence.dataplane.agent.AgentFixture.webToDb;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Smoke test: packet threads on both ends of a connection while the compiler's thread keeps
 * changing the rule set. Every packet gets a verdict, no exception escapes, and the counters add up.
 */
class HostAgentConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CONNECTIONS = 1500;

    @Test
    void packetsAreDecidedWhileTheRuleSetChanges() throws Exception {
        AgentFixture dc = new AgentFixture(2_000);
        AtomicLong clock = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    int verdicts = 0;
                    for (int i = 0; i < CONNECTIONS; i++) {
                        int port = 1024 + thread * CONNECTIONS + i;
                        int service = i % 3 == 0 ? 443 : i % 3 == 1 ? 3306 : 22;
                        for (Packet p : List.of(Packet.tcp(WEB, port, DB, service, Packet.SYN),
                                Packet.tcp(DB, service, WEB, port, Packet.SYN | Packet.ACK),
                                Packet.tcp(WEB, port, DB, service, Packet.ACK))) {
                            boolean out = p.source().toString().equals(WEB);
                            Verdict a = dc.h1.process("web1-0", out ? Direction.OUT : Direction.IN, p,
                                    clock.incrementAndGet());
                            Verdict b = dc.h2.process("db1-0", out ? Direction.IN : Direction.OUT, p,
                                    clock.incrementAndGet());
                            assertThat(a).isNotNull();
                            assertThat(b).isNotNull();
                            verdicts += 2;
                        }
                    }
                    return verdicts;
                }));
            }
            start.countDown();
            // keep changing the rules for as long as packets flow (and at least 40 times)
            for (int i = 0; i < 40 || workers.stream().anyMatch(w -> !w.isDone()); i++) {
                dc.replaceRule(webToDb("r-mysql", 10, "mysql", i % 2 == 0 ? Action.DROP : Action.ALLOW));
                dc.retag("app2", i % 2 == 0 ? List.of("app:db") : List.of());
            }
            int total = 0;
            for (Future<Integer> w : workers) {
                total += w.get(60, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(THREADS * CONNECTIONS * 3 * 2);
            VnicStats web = dc.h1.vnicStats("web1-0").orElseThrow();
            VnicStats db = dc.h2.vnicStats("db1-0").orElseThrow();
            assertThat(web.allowed() + web.dropped() + web.rejected() + db.allowed() + db.dropped() + db.rejected())
                    .isEqualTo(total);
            assertThat(web.rejected()).isPositive();
            assertThat(dc.h1.tracker().size()).isLessThanOrEqualTo(2_000);
            assertThat(dc.h1.stats().buildFailures()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
