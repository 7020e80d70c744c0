package io.ringfence.benchmarks;

import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.conntrack.Flow;
import io.ringfence.dataplane.conntrack.FlowState;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Heap retained by a connection tracker holding {@code flows} established TCP flows (IPv4 or IPv6),
 * over {@code vnics} vNICs. Target: under 200 bytes per tracked flow.
 *
 * <p>Each iteration fills a new tracker (SYN, SYN+ACK, ACK per flow, through the tracker alone; the
 * packets are garbage at once, like packets the data plane has decided) and that time is the score.
 * Then the used heap is measured after full collections until it settles, with the tracker
 * reachable and again once it is dropped; the difference divided by {@code flows} is the heap per
 * tracked flow. (Measuring a baseline before the fill instead met the previous iteration's tracker,
 * which JMH's thread still held.) It counts everything the tracker holds for its flows: index, flow records, and whatever
 * they refer to that nothing else does. The vNIC and rule ids are shared strings, as they are in
 * the data plane. The figures of the measured iterations go to standard output and the
 * {@link ExtraResults} file, section {@code flowPath.heap.<family>}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:ActiveProcessorCount=1", "-XX:+UseG1GC"})
public class FlowPathHeapBenchmark {

    @Param("1000000")
    int flows;

    @Param("100")
    int vnics;

    @Param("IPV4")
    IpFamily family;

    String[] vnicIds;
    ConnectionTracker tracker;
    final List<Long> retainedBytes = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        vnicIds = new String[vnics];
        for (int i = 0; i < vnics; i++) {
            vnicIds[i] = FlowPathFixture.vnic(i);
        }
    }

    /** Fills a new tracker; keeps it in a field (not returned: JMH would hold it into the next iteration). */
    @Benchmark
    public int fill() {
        ConnectionTracker t = new ConnectionTracker(ConnectionTracker.Config.defaults(flows));
        long now = System.nanoTime();
        String rule = "web";
        for (int f = 0; f < flows; f++) {
            String vnic = vnicIds[f % vnics];
            int port = 1024 + (f / vnics) % 60_000;
            int server = f / vnics / 60_000;
            IpPrefix c = address(f % vnics, 1);
            IpPrefix s = address(server, 2);
            Flow flow = t.create(vnic, Direction.OUT, tcp(c, port, s, 443, Packet.SYN), now, rule, 1);
            t.lookup(vnic, Direction.IN, tcp(address(server, 2), 443, address(f % vnics, 1), port,
                    Packet.SYN | Packet.ACK), now);
            t.lookup(vnic, Direction.OUT, tcp(address(f % vnics, 1), port, address(server, 2), 443, Packet.ACK), now);
            if (f == 0 && flow.state() != FlowState.ESTABLISHED) {
                throw new IllegalStateException("the handshake did not establish the flow: " + flow);
            }
        }
        if (t.size() != flows) {
            throw new IllegalStateException("tracker holds " + t.size() + " flows, expected " + flows);
        }
        tracker = t;
        return t.size();
    }

    /** Address {@code i} of a network: 10.{net}.0.0 + i, or fd00:{net}:: + i. */
    private IpPrefix address(int i, int net) {
        return family == IpFamily.IPV4
                ? IpPrefix.host(IpFamily.IPV4, 0, 0x0A00_0000L + ((long) net << 16) + i + 1)
                : IpPrefix.host(IpFamily.IPV6, 0xFD00_0000_0000_0000L | ((long) net << 32), i + 1);
    }

    private Packet tcp(IpPrefix source, int sourcePort, IpPrefix destination, int destinationPort, int flags) {
        return new Packet(family, source, destination, Packet.TCP, sourcePort, destinationPort, flags, 0, 0, 65535,
                -1, -1, 0, null, 64, family == IpFamily.IPV4 ? 40 : 60, null);
    }

    @TearDown(Level.Iteration)
    public void measure(IterationParams iteration) {
        if (tracker == null) {
            throw new IllegalStateException("no tracker was filled");
        }
        long with = ExtraResults.usedHeapAfterGc();
        tracker = null;
        long without = ExtraResults.usedHeapAfterGc();
        long retained = with - without;
        if (iteration.getType() == IterationType.MEASUREMENT) {
            retainedBytes.add(retained);
        }
        System.out.printf("%n%s: used heap %,d bytes with the tracker, %,d without: %,d flows retain %,d bytes, "
                + "%.1f bytes per flow%n", iteration.getType(), with, without, flows, retained, (double) retained / flows);
    }

    @TearDown(Level.Trial)
    public void record() {
        List<Long> sorted = retainedBytes.stream().sorted().toList();
        long median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        ExtraResults.record("flowPath.heap." + family, new Facts(flows, vnics, family.name(), retainedBytes,
                median, (double) median / flows, Runtime.getRuntime().maxMemory(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList(),
                Runtime.getRuntime().availableProcessors()));
    }

    /**
     * What the trial measured.
     *
     * @param flows              established flows in each tracker
     * @param vnics              vNICs they are spread over
     * @param family             address family of the flows
     * @param retainedBytes      heap retained by the tracker, per measured iteration
     * @param medianRetainedBytes their median
     * @param bytesPerFlow       the median divided by {@code flows}
     * @param maxHeapBytes       -Xmx
     * @param garbageCollectors  the JVM's collectors
     * @param processors         processors the JVM saw
     */
    public record Facts(int flows, int vnics, String family, List<Long> retainedBytes, long medianRetainedBytes,
                        double bytesPerFlow, long maxHeapBytes, List<String> garbageCollectors, int processors) {
    }
}
