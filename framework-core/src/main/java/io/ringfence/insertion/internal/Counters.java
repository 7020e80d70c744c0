package io.ringfence.insertion.internal;

import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.spi.inspection.Verdict;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live, thread-safe counters behind {@link ChainStats} and {@link FunctionStats}: LongAdders,
 * since many packet threads bump the same ones. A snapshot reads each adder once, so it is not one
 * instant across counters.
 */
final class Counters {

    private Counters() {
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private static <E extends Enum<E>> Map<E, Long> nonZero(Class<E> type, LongAdder[] adders) {
        Map<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            long n = adders[e.ordinal()].sum();
            if (n != 0) {
                m.put(e, n);
            }
        }
        return m;
    }

    /** The counters of one chain. */
    static final class Chain {
        private final String chainId;
        private final LongAdder packets = new LongAdder();
        private final LongAdder[] verdicts = adders(Verdict.values().length);
        private final LongAdder[] failures = adders(HopOutcome.values().length);
        private final LongAdder open = new LongAdder();
        private final LongAdder total = new LongAdder();
        private final LatencyHistogram latency = new LatencyHistogram();

        Chain(String chainId) {
            this.chainId = chainId;
        }

        void sessionOpened() {
            open.increment();
            total.increment();
        }

        void sessionClosed() {
            open.decrement();
        }

        void hop(HopOutcome outcome) {
            if (outcome.underFailurePolicy()) {
                failures[outcome.ordinal()].increment();
            }
        }

        void packet(Verdict verdict, long nanos) {
            packets.increment();
            verdicts[verdict.ordinal()].increment();
            latency.record(nanos);
        }

        ChainStats snapshot() {
            return new ChainStats(chainId, packets.sum(), verdicts[Verdict.PASS.ordinal()].sum(),
                    verdicts[Verdict.DROP.ordinal()].sum(), verdicts[Verdict.REJECT.ordinal()].sum(),
                    verdicts[Verdict.PASS_AND_BYPASS.ordinal()].sum(), nonZero(HopOutcome.class, failures),
                    open.sum(), total.sum(), latency.snapshot());
        }
    }

    /** The counters of one function instance. */
    static final class Function {
        private final LongAdder packets = new LongAdder();
        private final LongAdder[] verdicts = adders(Verdict.values().length);
        private final LongAdder[] failures = adders(HopOutcome.values().length);
        private final LongAdder opened = new LongAdder();
        private final LongAdder resumed = new LongAdder();
        private final LongAdder exported = new LongAdder();
        private final LatencyHistogram latency = new LatencyHistogram();

        /** An inspect call that got an answer (possibly null) or failed; its time as the caller waited. */
        void inspected(long nanos) {
            packets.increment();
            latency.record(nanos);
        }

        void verdict(Verdict v) {
            verdicts[v.ordinal()].increment();
        }

        void failure(HopOutcome kind) {
            failures[kind.ordinal()].increment();
        }

        void opened() {
            opened.increment();
        }

        void resumed() {
            resumed.increment();
        }

        void exported() {
            exported.increment();
        }

        FunctionStats snapshot(FunctionInstance i) {
            return new FunctionStats(i.definitionId(), i.version(), i.serviceId(), packets.sum(),
                    nonZero(Verdict.class, verdicts), nonZero(HopOutcome.class, failures), i.sessionsOpen(),
                    opened.sum(), resumed.sum(), exported.sum(), i.breaker().trips(), latency.snapshot());
        }
    }
}
