package io.ringfence.benchmarks;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.agent.VnicTables;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What staged rules cost a new flow: {@link VnicTables#classify} (the enforced first match plus,
 * when the direction has staged entries, the staged one that would come first) on a table of
 * {@code entries} enforced entries with {@code staged} staged entries spread among them. With no
 * staged entry this is the enforced lookup alone, the cost every vNIC without staged rules keeps.
 * Each entry matches one TCP port range towards an address group of 50 IPv4 addresses; packets go
 * to random addresses of those groups and random ports, so that most match some entry.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StagedRuleBenchmark {

    private static final int PACKETS = 4096;

    @Param({"200"})
    int entries;

    @Param({"0", "1", "10"})
    int staged;

    VnicTables tables;
    Packet[] packets;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        Map<String, AddressSet> groups = new HashMap<>();
        List<String> addresses = new ArrayList<>();
        for (int g = 0; g < 40; g++) {
            List<IpPrefix> members = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String a = "10." + g + "." + random.nextInt(256) + "." + random.nextInt(256);
                members.add(IpPrefix.parse(a));
                addresses.add(a);
            }
            groups.put("g" + g, AddressSet.of(members));
        }
        List<CompiledRule> out = new ArrayList<>();
        int total = entries + staged;
        Set<Integer> stagedAt = new HashSet<>();
        for (int k = 1; k <= staged; k++) {
            stagedAt.add(k * total / (staged + 1)); // evenly spread, never first or last
        }
        for (int i = 0; i < total; i++) {
            boolean isStaged = stagedAt.contains(i);
            int port = 1000 + random.nextInt(2000);
            out.add(new CompiledRule("r" + i, "p", Category.APPLICATION, 1, i, Direction.OUT,
                    isStaged ? Action.DROP : Action.ALLOW, false, isStaged, null, "g" + random.nextInt(40), false,
                    List.of(new ServiceEntry(Protocol.TCP, List.of(new PortRange(port, port + 50)), List.of(), null,
                            null))));
        }
        tables = VnicTables.build(new VnicRuleSet("v", "vm", "h", 1, List.of(), out, Action.DROP, false), groups::get);
        packets = new Packet[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            packets[i] = Packet.tcp("10.200.0.1", 40000, addresses.get(random.nextInt(addresses.size())),
                    1000 + random.nextInt(2050), Packet.SYN);
        }
    }

    @Benchmark
    public VnicTables.Match classifyNewFlow() {
        Packet p = packets[next];
        next = (next + 1) & (PACKETS - 1);
        return tables.classify(Direction.OUT, p);
    }
}
