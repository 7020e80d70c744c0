package io.ringfence.benchmarks;

import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.agent.VnicPort;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.model.Direction;
import io.ringfence.net.IpPrefix;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The full per-packet path of established flows, on one thread: raw Ethernet frame bytes, parsed and
 * checked by {@link PacketParser}, decided by {@link HostAgent#process} on a tracked flow (flow
 * lookup, TCP state, flow and rule and vNIC counters), the verdict consumed. Scores are packets per
 * second. Target: at least 10 million per core.
 *
 * <p>The trial opens {@code flows} TCP connections through the agent (SYN, SYN+ACK, ACK) over
 * {@code vnics} vNICs, then replays one data segment of each side of every connection (client →
 * server leaving the vNIC, server → client entering it) in a seeded random order, so that every
 * packet is likely to hit another flow than the one before: the working set is the whole table.
 * The frames lie in memory in the order they are replayed, as a receive ring holds the frames it
 * received ({@code frames=arrival}); {@code -p frames=scattered} leaves them where setting up
 * allocated them, strewn among its garbage in connection order, so that every frame is a random
 * memory access (a layout no receive path has, and the garbage collector decides how much of it a
 * run sees: measured for comparison in the README).
 *
 * <p>{@code established} is the data plane's path as a poll-mode receive loop runs it: one
 * {@link PacketView} refilled from every frame (nothing allocated), decided by {@code HostAgent.process}
 * through the {@link VnicPort} of its vNIC (as the loop serving that vNIC holds it) without leaving the
 * fast path. For comparison, {@code establishedNewView} parses each frame into a view of its own (one
 * allocation per packet), {@code establishedById} names the vNIC by its id (a map lookup per packet)
 * and {@code establishedViaPacket} parses into an immutable {@link Packet}.
 * The clock is read once per batch of {@value #BATCH} packets, as a poll-mode data plane
 * timestamps a burst. Every verdict is checked to be a flow-table ALLOW; the trial fails otherwise.
 * Each measured iteration also divides its packets by the benchmark thread's CPU time
 * ({@link CpuClock}): the rate per core, which the machine's other work does not lower (JMH's score
 * is wall-clock). Facts go to the {@link ExtraResults} file, section {@code flowPath.<method>.<flows>}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:ActiveProcessorCount=1", "-XX:+UseG1GC"})
public class FlowPathEstablishedBenchmark {

    static final int BATCH = 256;

    /** Established connections in the working set. */
    @Param({"10000", "100000"})
    int flows;

    /** vNICs the connections are spread over. */
    @Param("16")
    int vnics;

    /** TCP payload of the replayed segments (0: 54-byte frames, the packet-rate worst case). */
    @Param("0")
    int payloadBytes;

    /** Where the frames lie: in replay order ({@code arrival}) or as setting up left them ({@code scattered}). */
    @Param("arrival")
    String frames;

    HostAgent agent;
    byte[][] replay;
    String[] vnicOf;
    VnicPort[] portOf;
    Direction[] directionOf;
    final PacketView view = new PacketView();
    int next;
    long notFromFlowTable;
    long packets;
    boolean measuring;
    long packetsAtStart;
    long cpuAtStart;
    final List<Double> cpuRates = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        agent = FlowPathFixture.agent(vnics, 2 * flows);
        replay = new byte[2 * flows][];
        vnicOf = new String[2 * flows];
        portOf = new VnicPort[2 * flows];
        directionOf = new Direction[2 * flows];
        String[] names = new String[vnics];
        for (int i = 0; i < vnics; i++) {
            names[i] = FlowPathFixture.vnic(i);
        }
        long now = System.nanoTime();
        for (int f = 0; f < flows; f++) {
            int v = f % vnics;
            IpPrefix client = FlowPathFixture.client(v);
            IpPrefix server = FlowPathFixture.server(f % 1000);
            int port = 1024 + f / vnics;
            open(names[v], client, port, server, now);
            replay[2 * f] = FlowPathFixture.fromClient(client, port, server, Packet.ACK
                    | Packet.PSH, payloadBytes);
            vnicOf[2 * f] = names[v];
            directionOf[2 * f] = Direction.OUT;
            replay[2 * f + 1] = FlowPathFixture.fromServer(client, port, server,
                    Packet.ACK, payloadBytes);
            vnicOf[2 * f + 1] = names[v];
            directionOf[2 * f + 1] = Direction.IN;
        }
        shuffle(new Random(42));
        switch (frames) {
            case "arrival" -> {
                for (int i = 0; i < replay.length; i++) {
                    replay[i] = replay[i].clone(); // one after the other, in replay order
                }
            }
            case "scattered" -> {
            }
            default -> throw new IllegalArgumentException("frames: arrival or scattered, not " + frames);
        }
        for (int i = 0; i < vnicOf.length; i++) {
            portOf[i] = agent.port(vnicOf[i]);
        }
        // Compact the live set: setting up leaves the frames and flows strewn among its garbage, and a
        // variant that allocates nothing never collects, so it would walk a sparser heap (more cache
        // lines and pages per packet) than one that allocates, whose first collections compact it.
        System.gc();
    }

    private void open(String vnic, IpPrefix client, int port, IpPrefix server, long now) {
        int syn = Packet.SYN;
        int ack = Packet.ACK;
        require(agent.process(vnic, Direction.OUT,
                PacketParser.parseEthernet(FlowPathFixture.fromClient(client, port, server, syn, 0)), now), false);
        require(agent.process(vnic, Direction.IN,
                PacketParser.parseEthernet(FlowPathFixture.fromServer(client, port, server, syn | ack, 0)), now), true);
        require(agent.process(vnic, Direction.OUT,
                PacketParser.parseEthernet(FlowPathFixture.fromClient(client, port, server, ack, 0)), now), true);
    }

    private static void require(Verdict v, boolean fromFlowTable) {
        if (!v.allowed() || v.fromFlowTable() != fromFlowTable) {
            throw new IllegalStateException("unexpected verdict while opening connections: " + v);
        }
    }

    private void shuffle(Random random) {
        for (int i = replay.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte[] f = replay[i];
            replay[i] = replay[j];
            replay[j] = f;
            String v = vnicOf[i];
            vnicOf[i] = vnicOf[j];
            vnicOf[j] = v;
            Direction d = directionOf[i];
            directionOf[i] = directionOf[j];
            directionOf[j] = d;
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        packetsAtStart = packets;
        cpuAtStart = CpuClock.now();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        long cpu = CpuClock.now() - cpuAtStart;
        if (measuring && cpu > 0) {
            cpuRates.add((packets - packetsAtStart) / (cpu / 1e9));
        }
    }

    /**
     * The data plane's path: raw frame → one {@link PacketView} refilled → {@code HostAgent.process}
     * through the vNIC's port → verdict. Allocates nothing.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void established(Blackhole bh) {
        long now = System.nanoTime();
        int k = next;
        PacketView view = this.view;
        for (int i = 0; i < BATCH; i++) {
            PacketParser.parseEthernet(replay[k], view);
            count(agent.process(portOf[k], directionOf[k], view, now), bh);
            k = k + 1 == replay.length ? 0 : k + 1;
        }
        next = k;
        packets += BATCH;
    }

    /** {@code established} with a {@link PacketView} of its own for every frame (about 140 bytes, dead at once). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void establishedNewView(Blackhole bh) {
        long now = System.nanoTime();
        int k = next;
        for (int i = 0; i < BATCH; i++) {
            PacketView view = new PacketView();
            PacketParser.parseEthernet(replay[k], view);
            count(agent.process(portOf[k], directionOf[k], view, now), bh);
            k = k + 1 == replay.length ? 0 : k + 1;
        }
        next = k;
        packets += BATCH;
    }

    /** {@code established} naming each packet's vNIC by its id, as a caller without its port does. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void establishedById(Blackhole bh) {
        long now = System.nanoTime();
        int k = next;
        PacketView view = this.view;
        for (int i = 0; i < BATCH; i++) {
            PacketParser.parseEthernet(replay[k], view);
            count(agent.process(vnicOf[k], directionOf[k], view, now), bh);
            k = k + 1 == replay.length ? 0 : k + 1;
        }
        next = k;
        packets += BATCH;
    }

    private void count(Verdict v, Blackhole bh) {
        if (!v.fromFlowTable()) {
            notFromFlowTable++;
        }
        bh.consume(v);
    }

    /** For comparison, the path through the immutable packet: raw frame → {@link Packet} → verdict. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void establishedViaPacket(Blackhole bh) {
        long now = System.nanoTime();
        int k = next;
        for (int i = 0; i < BATCH; i++) {
            count(agent.process(vnicOf[k], directionOf[k], PacketParser.parseEthernet(replay[k]), now), bh);
            k = k + 1 == replay.length ? 0 : k + 1;
        }
        next = k;
        packets += BATCH;
    }

    @TearDown(Level.Trial)
    public void check(BenchmarkParams params) {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        double cpuMean = cpuRates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        ExtraResults.record(section(method, flows, frames), new Facts(flows, vnics, payloadBytes, frames,
                replay[0].length,
                packets, notFromFlowTable, agent.tracker().size(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), cpuMean,
                cpuRates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                cpuRates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        System.out.printf("%n%s %d flows, frames %s: %.2f million packets per CPU second of the benchmark thread%n",
                method, flows, frames, cpuMean / 1e6);
        if (notFromFlowTable != 0) {
            throw new IllegalStateException(notFromFlowTable + " of " + packets
                    + " packets were not decided from the flow table");
        }
    }

    /** The trial's section in the {@link ExtraResults} file (frames laid out other than on arrival: suffixed). */
    static String section(String method, int flows, String frames) {
        return "flowPath." + method + "." + flows + ("arrival".equals(frames) ? "" : "." + frames);
    }

    /**
     * What the trial did besides its score.
     *
     * @param flows            established connections
     * @param vnics            vNICs they are spread over
     * @param payloadBytes     TCP payload per segment
     * @param frames           where the frames lay in memory: {@code arrival} or {@code scattered}
     * @param frameBytes       size of a replayed frame
     * @param packets          packets decided (warm-up included)
     * @param notFromFlowTable packets not decided from the flow table (must be 0)
     * @param trackedFlows     flows in the tracker at the end
     * @param processors       processors the JVM saw
     * @param loadAverage      the machine's load average (1 minute) at the end
     * @param cpuPps           packets per CPU second of the benchmark thread, mean of the measured iterations
     * @param cpuPpsMin        the slowest measured iteration's
     * @param cpuPpsMax        the fastest measured iteration's
     */
    public record Facts(int flows, int vnics, int payloadBytes, String frames, int frameBytes, long packets,
                        long notFromFlowTable, int trackedFlows, int processors, double loadAverage, double cpuPps,
                        double cpuPpsMin, double cpuPpsMax) {
    }
}
