package io.ringfence.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.classifier.RuleTable;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link VnicTables#classify} on random tables mixing enforced and staged entries, against the
 * definition: the enforced entry is the first enforced entry the packet matches, and the staged one
 * is the first entry of the whole table when that entry is staged. The oracle tests each entry on
 * its own (a one-entry table), so it shares nothing with the split into an enforced table, a staged
 * table and the counts of enforced entries ahead of each staged one. Every failure names its seed;
 * {@code -Dringfence.test.seed=N} replays seed N alone.
 */
class VnicTablesStagedRandomizedTest {

    private static final int SEEDS = 200;
    private static final int PACKETS = 300;
    private static final int[] PORTS = {22, 53, 80, 443, 3306, 5432, 8080};

    @TestFactory
    Stream<DynamicTest> stagedAndEnforcedMatchesFollowTheDefinition() {
        String replay = System.getProperty("ringfence.test.seed");
        LongStream seeds = replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.range(0, SEEDS);
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> run(seed)));
    }

    private static void run(long seed) {
        Random random = new Random(seed);
        Map<String, AddressSet> groups = new HashMap<>();
        for (int g = 0; g < 4; g++) {
            List<IpPrefix> members = new ArrayList<>();
            for (int k = random.nextInt(4); k >= 0; k--) {
                members.add(IpPrefix.parse("10.0." + random.nextInt(4) + "." + random.nextInt(8) * 32 + "/"
                        + (27 + random.nextInt(6))));
            }
            groups.put("g" + g, AddressSet.of(members));
        }
        List<CompiledRule> out = new ArrayList<>();
        for (int i = random.nextInt(25); i >= 0; i--) {
            out.add(entry(random, out.size(), random.nextInt(3) == 0));
        }
        VnicTables tables = VnicTables.build(new VnicRuleSet("v", "vm", "h", 1, List.of(), out, Action.DROP, false),
                groups::get);
        List<RuleTable> single = out.stream().map(e -> RuleTable.build(Direction.OUT, List.of(e), groups::get)).toList();

        for (int n = 0; n < PACKETS; n++) {
            String destination = "10.0." + random.nextInt(4) + "." + random.nextInt(256);
            int port = PORTS[random.nextInt(PORTS.length)];
            Packet p = random.nextBoolean() ? Packet.tcp("10.1.0.1", 40000, destination, port, Packet.SYN)
                    : Packet.udp("10.1.0.1", 40000, destination, port, null);
            CompiledRule firstEnforced = null;
            CompiledRule first = null;
            for (int i = 0; i < out.size(); i++) {
                if (single.get(i).classify(p) == 0) {
                    first = first == null ? out.get(i) : first;
                    if (!out.get(i).staged()) {
                        firstEnforced = out.get(i);
                        break;
                    }
                }
            }
            VnicTables.Match match = tables.classify(Direction.OUT, p);
            String where = "seed " + seed + ", packet " + p;
            assertEquals(firstEnforced, match.entry(), where);
            assertEquals(first != null && first.staged() ? first : null, match.staged(), where);
            assertEquals(firstEnforced, tables.match(Direction.OUT, p), where);
        }
    }

    private static CompiledRule entry(Random random, int index, boolean staged) {
        String remote = random.nextInt(4) == 0 ? null : "g" + random.nextInt(4);
        List<ServiceEntry> services = new ArrayList<>();
        for (int k = random.nextInt(3); k > 0; k--) {
            int from = PORTS[random.nextInt(PORTS.length)];
            int to = random.nextBoolean() ? from : from + random.nextInt(3000);
            services.add(new ServiceEntry(random.nextBoolean() ? Protocol.TCP : Protocol.UDP,
                    List.of(new PortRange(from, Math.min(to, 65535))), List.of(), null, null));
        }
        return new CompiledRule("r" + index, "p", Category.APPLICATION, 1, index, Direction.OUT,
                Action.values()[random.nextInt(3)], false, staged, null, remote,
                remote != null && random.nextInt(4) == 0, services);
    }
}
