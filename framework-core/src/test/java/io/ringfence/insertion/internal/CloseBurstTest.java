package io.ringfence.insertion.internal;

import static io.ringfence.insertion.internal.Rig.chain;
import static io.ringfence.insertion.internal.Rig.hop;
import static io.ringfence.insertion.internal.Rig.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.HopResult;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Closes come in bursts when many flows end at once (an expiry sweep, a vNIC leaving): every session
 * is closed once, none is dropped for want of room in the instance's queue, and calls made meanwhile
 * still find room.
 */
class CloseBurstTest {

    private static final int FLOWS = 200;

    @Test
    void aBurstOfClosesLargerThanTheQueueClosesEverySessionAndLeavesRoomForCalls() {
        try (Rig rig = new Rig(1, 8)) {
            FakeFunction ids = rig.function("ids", "1.0.0");
            rig.register(ids);
            ChainSpec chain = chain("c", FailurePolicy.BLOCK, hop(ids));
            List<ChainSession> flows = IntStream.range(0, FLOWS).mapToObj(i -> rig.open(chain)).toList();
            flows.forEach(f -> f.process(original()));

            flows.forEach(ChainSession::close);
            List<HopResult> during = rig.open(chain).process(original()).hops();

            assertThat(during).extracting(HopResult::outcome).containsExactly(HopOutcome.INSPECTED);
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.sessions.stream().filter(s -> s.closes.get() == 1)
                    .count() >= FLOWS);
            assertThat(ids.sessions).hasSize(FLOWS + 1);
            assertThat(rig.insertion.chainStats("c").orElseThrow().sessionsOpen()).isEqualTo(1);
            assertThat(ids.violations).isEmpty();
        }
    }
}
