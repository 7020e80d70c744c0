package io.ringfence.benchmarks;

import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.model.Direction;
import io.ringfence.net.IpPrefix;
import java.lang.management.ManagementFactory;
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

/**
 * New-flow rate on one thread: one operation is a whole TCP connection through {@link HostAgent#process},
 * from raw frames parsed into a reused {@link PacketView} as the data plane does: the SYN is classified against the rule set and opens the flow, SYN+ACK and ACK
 * establish it, and it is torn down, by {@code FIN} (FIN+ACK, ACK, FIN+ACK, ACK: TIME_WAIT) or by
 * {@code RST}. Scores are connections (flows set up and torn down) per second.
 *
 * <p>Connections cycle through {@value #TUPLES} tuples over {@code vnics} vNICs. The packet clock
 * advances {@value #STEP_NANOS} ns per connection, so a tuple comes back after 164 s, when its
 * TIME_WAIT (120 s) or CLOSED (10 s) flow has expired; the tracker is expired every
 * {@value #EXPIRE_EVERY} connections, as the data center's expiry task would, and that sweep is part
 * of the measured cost. In steady state the table holds about 48,000 flows in TIME_WAIT (FIN) or
 * 4,000 in CLOSED (RST). Every verdict is checked to be an ALLOW; the trial fails otherwise. Facts go
 * to the {@link ExtraResults} file, section {@code flowPath.newFlow.<teardown>}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:ActiveProcessorCount=1", "-XX:+UseG1GC"})
public class FlowPathNewFlowBenchmark {

    static final int TUPLES = 65_536;
    static final long STEP_NANOS = 2_500_000;
    static final int EXPIRE_EVERY = 4_096;

    /** How connections end. */
    public enum Teardown { FIN, RST }

    @Param({"FIN", "RST"})
    Teardown teardown;

    /** vNICs the clients are spread over. */
    @Param("16")
    int vnics;

    HostAgent agent;
    /** Per tuple, the frames of one connection in order. */
    byte[][][] frames;
    String[] vnicOf;
    Direction[] directions;
    final PacketView view = new PacketView();
    long now;
    int next;
    int sinceExpiry;
    long connections;
    long notAllowed;

    @Setup(Level.Trial)
    public void setUp() {
        agent = FlowPathFixture.agent(vnics, 4 * TUPLES);
        frames = new byte[TUPLES][][];
        vnicOf = new String[TUPLES];
        int syn = Packet.SYN;
        int ack = Packet.ACK;
        int fin = Packet.FIN;
        directions = teardown == Teardown.FIN
                ? new Direction[] {Direction.OUT, Direction.IN, Direction.OUT, Direction.OUT, Direction.IN,
                        Direction.IN, Direction.OUT}
                : new Direction[] {Direction.OUT, Direction.IN, Direction.OUT, Direction.OUT};
        for (int t = 0; t < TUPLES; t++) {
            int v = t % vnics;
            vnicOf[t] = FlowPathFixture.vnic(v);
            IpPrefix client = FlowPathFixture.client(v);
            IpPrefix server = FlowPathFixture.server(t % 1000);
            int port = 1024 + t / vnics;
            byte[] open = FlowPathFixture.fromClient(client, port, server, syn, 0);
            byte[] synAck = FlowPathFixture.fromServer(client, port, server, syn | ack, 0);
            byte[] established = FlowPathFixture.fromClient(client, port, server, ack, 0);
            frames[t] = teardown == Teardown.FIN
                    ? new byte[][] {open, synAck, established,
                            FlowPathFixture.fromClient(client, port, server, fin | ack, 0),
                            FlowPathFixture.fromServer(client, port, server, ack, 0),
                            FlowPathFixture.fromServer(client, port, server, fin | ack, 0),
                            FlowPathFixture.fromClient(client, port, server, ack, 0)}
                    : new byte[][] {open, synAck, established,
                            FlowPathFixture.fromClient(client, port, server, Packet.RST | ack, 0)};
        }
        now = System.nanoTime();
    }

    /** One connection: set up, torn down; the expiry sweep every {@value #EXPIRE_EVERY} connections. */
    @Benchmark
    public void connection() {
        int t = next;
        next = t + 1 == TUPLES ? 0 : t + 1;
        now += STEP_NANOS;
        byte[][] packets = frames[t];
        String vnic = vnicOf[t];
        PacketView view = this.view;
        for (int i = 0; i < packets.length; i++) {
            PacketParser.parseEthernet(packets[i], view);
            Verdict v = agent.process(vnic, directions[i], view, now);
            if (!v.allowed()) {
                notAllowed++;
            }
        }
        if (++sinceExpiry == EXPIRE_EVERY) {
            sinceExpiry = 0;
            agent.tracker().expire(now);
        }
        connections++;
    }

    @TearDown(Level.Trial)
    public void check() {
        ExtraResults.record("flowPath.newFlow." + teardown, new Facts(teardown.name(), vnics, directions.length,
                connections, notAllowed, agent.tracker().size(), agent.tracker().evictions(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        if (notAllowed != 0) {
            throw new IllegalStateException(notAllowed + " packets of " + connections + " connections were not allowed");
        }
    }

    /**
     * What the trial did besides its score.
     *
     * @param teardown              FIN or RST
     * @param vnics                 vNICs the clients are spread over
     * @param packetsPerConnection  packets of one connection
     * @param connections           connections made (warm-up included)
     * @param notAllowed            packets not allowed (must be 0)
     * @param trackedFlows          flows in the tracker at the end
     * @param evictions             flows evicted (0 unless the table filled up)
     * @param processors            processors the JVM saw
     * @param loadAverage           the machine's load average (1 minute) at the end
     */
    public record Facts(String teardown, int vnics, int packetsPerConnection, long connections, long notAllowed,
                        int trackedFlows, long evictions, int processors, double loadAverage) {
    }
}
