package io.ringfence.benchmarks;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What steering a packet of an established flow through a service chain of no-op (PASS) functions
 * costs, per packet:
 * <ul>
 * <li>{@code noChain}: the baseline, a flow with no chain (the packet the data plane would hand
 *     over, and a PASS);</li>
 * <li>{@code directCall}: one no-op function called on the packet's own thread: the floor, what
 *     steering would cost without deadline enforcement (not an option: a hung call could not be left);</li>
 * <li>{@code chain}: through the runtime ({@code ChainSession.process}: the flow's lock, a hand-off
 *     to each function's threads, a wait bounded by the deadline, counters), with {@code functions}
 *     no-op functions in the chain; {@code callerSpinMicros} is how long the packet's thread spins
 *     for an answer before parking, {@code workerSpinMicros} how long a function's idle thread spins
 *     for the next packet before parking.</li>
 * </ul>
 * The chain's own latency histogram (p50, p99, max) goes to the extra results.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SteeringBenchmark {

    /** The packet's payload, as the data plane would hand it over. */
    @State(Scope.Thread)
    public static class Payload {
        final ByteBuffer payload = ByteBuffer.allocate(64).asReadOnlyBuffer();

        InspectedPacket packet() {
            return new InspectedPacket(PacketSide.ORIGINAL, 0x10, 1, 104, payload);
        }
    }

    /** A session of a no-op function, called directly. */
    @State(Scope.Thread)
    public static class Direct {
        final InspectionSession session = new NoOp("direct").open(null, null, null);
    }

    /** The runtime, with a chain of {@code functions} no-op functions. */
    @State(Scope.Benchmark)
    public static class Runtime {
        @Param({"1", "3"})
        int functions;

        @Param({"20", "0"})
        long callerSpinMicros;

        @Param({"0", "50"})
        long workerSpinMicros;

        final AtomicLong flowIds = new AtomicLong();
        FunctionRegistry registry;
        ServiceInsertionManager insertion;
        ChainSpec spec;

        @Setup(Level.Trial)
        public void setUp() {
            registry = new FunctionRegistry(InsertionConfig.DEFAULTS.withSpins(Duration.ofNanos(callerSpinMicros * 1000),
                    Duration.ofNanos(workerSpinMicros * 1000)));
            insertion = new ServiceInsertionManager(registry);
            List<ChainHop> hops = new ArrayList<>();
            for (int i = 0; i < functions; i++) {
                NoOp f = new NoOp("noop-" + i);
                registry.add(f, i + 1, 0);
                hops.add(new ChainHop("p" + i, f.descriptor().definitionId(), new Profile("p" + i, "p" + i, Map.of())));
            }
            // a deadline no scheduling hiccup of a loaded machine reaches: a missed one would abandon the hop
            // and measure the failure policy instead (failures are reported in the extra results)
            spec = ChainSpec.symmetric("bench", hops, FailurePolicy.BLOCK, Duration.ofSeconds(10));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            insertion.chainStats("bench").ifPresent(s -> {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("packets", s.packets());
                figures.put("failures", s.failures());
                figures.put("meanNanos", s.latency().meanNanos());
                figures.put("p50Nanos", s.latency().p50Nanos());
                figures.put("p99Nanos", s.latency().p99Nanos());
                figures.put("maxNanos", s.latency().maxNanos());
                ExtraResults.record("SteeringBenchmark.chain-functions" + functions + "-callerSpin" + callerSpinMicros
                        + "-workerSpin" + workerSpinMicros, figures);
            });
            registry.close();
        }
    }

    /** One flow per benchmark thread. */
    @State(Scope.Thread)
    public static class Flow {
        ChainSession session;

        @Setup(Level.Trial)
        public void open(Runtime runtime) throws Exception {
            session = runtime.insertion.open(runtime.spec, new FlowContext(runtime.flowIds.incrementAndGet(), "vnic-0",
                    VnicDirection.OUT, "vm-0", "vm-0", List.of("app:web"), FlowContext.TCP,
                    InetAddress.getByName("10.0.0.1"), 40000, InetAddress.getByName("10.0.0.2"), 443));
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
        }
    }

    @Benchmark
    public Verdict noChain(Payload p, Blackhole bh) {
        bh.consume(p.packet());
        return Verdict.PASS;
    }

    @Benchmark
    public Verdict directCall(Payload p, Direct d) {
        return d.session.inspect(p.packet());
    }

    @Benchmark
    public Verdict chain(Payload p, Flow flow) {
        return flow.session.process(p.packet()).verdict();
    }

    /** A function that passes everything. */
    private static final class NoOp implements InspectionService {
        private final InspectionDescriptor descriptor;

        NoOp(String name) {
            this.descriptor = new InspectionDescriptor("bench", name, "1.0.0", "passes everything", null, false, false);
        }

        @Override
        public InspectionDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
            return packet -> Verdict.PASS;
        }
    }
}
