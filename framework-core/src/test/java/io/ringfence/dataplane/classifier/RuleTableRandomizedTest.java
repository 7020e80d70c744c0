package io.ringfence.dataplane.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpFamily;
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
 * {@link RuleTable} against the {@link LinearRuleTable} oracle on random tables: 0-200 entries over
 * overlapping address groups of IPv4 and IPv6 prefixes (/0 to full length), negation, and services
 * with port ranges and ICMP type/code; packets of both families and every protocol, biased to the
 * edges of the rules (first and last address of each prefix ±1, each port range's ends ±1).
 * The same scenarios then change one entry or one group at a time, and the table compiled from the
 * previous one with {@link RuleTable#update} must agree with a fresh build and the oracle.
 * Every failure names its seed; {@code -Dringfence.test.seed=N} replays seed N alone and
 * {@code -Dringfence.test.seeds=K} runs K seeds.
 */
class RuleTableRandomizedTest {

    private static final int SEEDS = 250;
    private static final int PACKETS = 2000;
    private static final int[] PORT_EDGES = {0, 1, 22, 53, 80, 443, 1023, 1024, 8080, 65534, 65535};

    @TestFactory
    Stream<DynamicTest> fastTableAgreesWithTheOracle() {
        String replay = System.getProperty("ringfence.test.seed");
        LongStream seeds = replay != null
                ? LongStream.of(Long.parseLong(replay))
                : LongStream.range(0, Integer.getInteger("ringfence.test.seeds", SEEDS));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> new Scenario(seed).run()));
    }

    @TestFactory
    Stream<DynamicTest> updatedTableAgreesWithAFreshBuildAndTheOracle() {
        String replay = System.getProperty("ringfence.test.seed");
        LongStream seeds = replay != null
                ? LongStream.of(Long.parseLong(replay))
                : LongStream.range(0, Integer.getInteger("ringfence.test.seeds", SEEDS) / 2);
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> new Scenario(seed).runUpdates()));
    }

    /** One seed: groups, a table, packets. */
    private static final class Scenario {
        private final long seed;
        private final Random random;
        private final Map<String, AddressSet> groups = new HashMap<>();
        private final List<IpPrefix> prefixes = new ArrayList<>();
        private final List<long[]> edges4 = new ArrayList<>();
        private final List<long[]> edges6 = new ArrayList<>();
        private final List<Integer> portEdges = new ArrayList<>();

        Scenario(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            for (int p : PORT_EDGES) {
                portEdges.add(p);
            }
        }

        void run() {
            for (int i = 0; i < 12; i++) {
                prefixes.add(randomPrefix(random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6));
            }
            int groupCount = 1 + random.nextInt(8);
            for (int g = 0; g < groupCount; g++) {
                List<IpPrefix> members = new ArrayList<>();
                int n = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    members.add(prefixes.get(random.nextInt(prefixes.size())));
                }
                groups.put("g" + g, AddressSet.of(members));
            }
            for (IpPrefix p : prefixes) {
                addEdges(p);
            }
            Direction direction = random.nextBoolean() ? Direction.IN : Direction.OUT;
            int size = random.nextInt(4) == 0 ? random.nextInt(5) : random.nextInt(201);
            List<CompiledRule> entries = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                entries.add(randomEntry(i, direction, groupCount));
            }
            RuleTable fast = RuleTable.build(direction, entries, groups::get);
            LinearRuleTable oracle = new LinearRuleTable(direction, entries, groups::get);
            for (int i = 0; i < PACKETS; i++) {
                Packet p = randomPacket();
                int expected = oracle.classify(p);
                int actual = fast.classify(p);
                if (expected != actual) {
                    assertEquals(expected, actual, "seed " + seed + " (replay with -Dringfence.test.seed=" + seed
                            + "), packet " + i + " " + p + ", " + fast + "; oracle picks "
                            + (expected < 0 ? "none" : entries.get(expected)) + ", table picks "
                            + (actual < 0 ? "none" : entries.get(actual)) + "; groups " + groups);
                }
            }
        }

        /**
         * A table, then 40 changes one after the other (an entry inserted, removed or replaced, or
         * the addresses of a group changed), each compiled with {@link RuleTable#update} from the
         * previous table and compared with a fresh build and the oracle.
         */
        void runUpdates() {
            for (int i = 0; i < 12; i++) {
                prefixes.add(randomPrefix(random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6));
            }
            int groupCount = 1 + random.nextInt(8);
            for (int g = 0; g < groupCount; g++) {
                groups.put("g" + g, randomGroup());
            }
            prefixes.forEach(this::addEdges);
            Direction direction = random.nextBoolean() ? Direction.IN : Direction.OUT;
            List<CompiledRule> entries = new ArrayList<>();
            for (int i = random.nextInt(120); i > 0; i--) {
                entries.add(randomEntry(entries.size(), direction, groupCount));
            }
            RuleTable table = RuleTable.build(direction, entries, groups::get);
            for (int change = 0; change < 40; change++) {
                int kind = entries.isEmpty() ? 0 : random.nextInt(4);
                int at = random.nextInt(entries.size() + (kind == 0 ? 1 : 0));
                switch (kind) {
                    case 0 -> entries.add(at, randomEntry(1000 + change, direction, groupCount));
                    case 1 -> entries.remove(at);
                    case 2 -> entries.set(at, randomEntry(1000 + change, direction, groupCount));
                    default -> groups.put("g" + random.nextInt(groupCount), randomGroup());
                }
                table = RuleTable.update(table, entries, groups::get);
                RuleTable fresh = RuleTable.build(direction, entries, groups::get);
                LinearRuleTable oracle = new LinearRuleTable(direction, entries, groups::get);
                for (int i = 0; i < PACKETS / 8; i++) {
                    Packet p = randomPacket();
                    int expected = oracle.classify(p);
                    int fast = fresh.classify(p);
                    int updated = table.classify(p);
                    if (expected != updated || expected != fast) {
                        assertEquals(expected, updated, "seed " + seed + " (replay with -Dringfence.test.seed="
                                + seed + "), change " + change + " (kind " + kind + " at " + at + "), packet " + p
                                + "; fresh build picks " + fast + "; updated " + table + "; groups " + groups);
                    }
                }
            }
        }

        private AddressSet randomGroup() {
            List<IpPrefix> members = new ArrayList<>();
            int n = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(5);
            for (int k = 0; k < n; k++) {
                members.add(prefixes.get(random.nextInt(prefixes.size())));
            }
            return AddressSet.of(members);
        }

        private IpPrefix randomPrefix(IpFamily family) {
            int[] lengths = family == IpFamily.IPV4 ? new int[] {0, 8, 16, 24, 28, 31, 32, 32}
                    : new int[] {0, 32, 48, 64, 65, 96, 127, 128, 128};
            int length = random.nextInt(3) == 0 ? random.nextInt(family.bits() + 1)
                    : lengths[random.nextInt(lengths.length)];
            long high;
            long low;
            if (family == IpFamily.IPV4) {
                // a small neighbourhood so that prefixes overlap and nest
                high = 0;
                low = random.nextInt(4) == 0 ? random.nextLong() & 0xFFFF_FFFFL
                        : 0x0A00_0000L | (random.nextInt(4) << 8) | random.nextInt(256);
                low &= length == 0 ? 0 : ~(0xFFFF_FFFFL >>> length) & 0xFFFF_FFFFL;
            } else {
                high = random.nextInt(4) == 0 ? random.nextLong() : 0x2001_0db8_0000_0000L | random.nextInt(4);
                low = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(512);
                if (length < 64) {
                    high &= length == 0 ? 0 : ~(-1L >>> length);
                    low = 0;
                } else if (length < 128) {
                    low &= length == 64 ? 0 : ~(-1L >>> (length - 64));
                }
            }
            return new IpPrefix(family, high, low, length);
        }

        private void addEdges(IpPrefix p) {
            List<long[]> edges = p.family() == IpFamily.IPV4 ? edges4 : edges6;
            long max = p.family() == IpFamily.IPV4 ? 0xFFFF_FFFFL : -1L;
            long[] first = p.first();
            long[] last = p.last();
            edges.add(first);
            edges.add(last);
            if (first[0] != 0 || first[1] != 0) {
                edges.add(new long[] {first[1] == 0 ? first[0] - 1 : first[0], first[1] - 1});
            }
            if (last[1] != max || (p.family() == IpFamily.IPV6 && last[0] != -1L)) {
                long next = last[1] + 1;
                edges.add(new long[] {p.family() == IpFamily.IPV6 && next == 0 ? last[0] + 1 : last[0],
                        p.family() == IpFamily.IPV4 ? next & 0xFFFF_FFFFL : next});
            }
        }

        private CompiledRule randomEntry(int i, Direction direction, int groupCount) {
            String remote = random.nextInt(4) == 0 ? null : "g" + random.nextInt(groupCount);
            boolean negated = remote != null && random.nextInt(3) == 0;
            List<ServiceEntry> services = new ArrayList<>();
            int n = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                services.add(randomService());
            }
            return new CompiledRule("r" + i, "p", Category.APPLICATION, 1, i, direction, Action.ALLOW, false, null,
                    remote, negated, services);
        }

        private ServiceEntry randomService() {
            Protocol protocol = Protocol.values()[random.nextInt(Protocol.values().length)];
            if (protocol.hasPorts()) {
                return new ServiceEntry(protocol, randomPorts(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3)),
                        randomPorts(random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0), null, null);
            }
            if (protocol.isIcmp()) {
                return new ServiceEntry(protocol, List.of(), List.of(), randomIcmp(), random.nextBoolean() ? null : randomIcmp());
            }
            return new ServiceEntry(protocol, List.of(), List.of(), null, null);
        }

        private Integer randomIcmp() {
            return random.nextInt(3) == 0 ? null : random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(4);
        }

        private List<PortRange> randomPorts(int count) {
            List<PortRange> ranges = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int a = randomPort();
                int b = random.nextInt(3) == 0 ? a : randomPort();
                PortRange r = new PortRange(Math.min(a, b), Math.max(a, b));
                ranges.add(r);
                for (int edge : new int[] {r.from() - 1, r.from(), r.to(), r.to() + 1}) {
                    if (edge >= 0 && edge <= 65535) {
                        portEdges.add(edge);
                    }
                }
            }
            return ranges;
        }

        private int randomPort() {
            return random.nextInt(3) == 0 ? random.nextInt(65536) : PORT_EDGES[random.nextInt(PORT_EDGES.length)];
        }

        private Packet randomPacket() {
            IpFamily family = random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6;
            IpPrefix a = randomAddress(family);
            IpPrefix b = randomAddress(family);
            int[] protocols = family == IpFamily.IPV4 ? new int[] {Packet.TCP, Packet.UDP, Packet.ICMP, 47}
                    : new int[] {Packet.TCP, Packet.UDP, Packet.ICMPV6, 47};
            // now and then the other family's ICMP number, which the semantics match on the number alone
            int protocol = random.nextInt(20) == 0 ? (family == IpFamily.IPV4 ? Packet.ICMPV6 : Packet.ICMP)
                    : protocols[random.nextInt(protocols.length)];
            boolean ports = protocol == Packet.TCP || protocol == Packet.UDP;
            boolean icmp = protocol == Packet.ICMP || protocol == Packet.ICMPV6;
            int sourcePort = ports ? packetPort() : 0;
            int destinationPort = ports ? packetPort() : 0;
            int type = icmp ? (random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(5)) : -1;
            int code = icmp ? (random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(5)) : -1;
            return new Packet(family, a, b, protocol, sourcePort, destinationPort, 0, 0, 0, 0, type, code, 0, null,
                    64, 40, null);
        }

        private int packetPort() {
            return random.nextInt(5) == 0 ? random.nextInt(65536) : portEdges.get(random.nextInt(portEdges.size()));
        }

        private IpPrefix randomAddress(IpFamily family) {
            List<long[]> edges = family == IpFamily.IPV4 ? edges4 : edges6;
            if (!edges.isEmpty() && random.nextInt(5) != 0) {
                long[] e = edges.get(random.nextInt(edges.size()));
                return IpPrefix.host(family, e[0], e[1]);
            }
            return family == IpFamily.IPV4 ? IpPrefix.host(family, 0, random.nextLong() & 0xFFFF_FFFFL)
                    : IpPrefix.host(family, random.nextLong(), random.nextLong());
        }
    }
}
