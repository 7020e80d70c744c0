package io.ringfence.target.openconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.target.openconfig.DeviceAcl.AclSet;
import io.ringfence.target.openconfig.DeviceAcl.Action;
import io.ringfence.target.openconfig.DeviceAcl.Entry;
import io.ringfence.target.openconfig.DeviceAcl.Match;
import io.ringfence.target.openconfig.DeviceAcl.PortRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random rule sets, rendered, and random packets decided twice: by the ACL entries as a device
 * would (first match in ascending sequence), and straight from the rule set by the semantics the
 * package description gives the rendering (neighbour discovery, then replies of allowed flows, then
 * the rules in order with the vNIC's own addresses as the local side, then the default rule). They
 * must agree on every packet: expansion, complements, port ranges, families and ICMP identities.
 */
class AclSemanticsTest {

    private static final long BASE_SEED = Long.getLong("ringfence.test.seed", 0x0C0FFEEL);
    private static final int ITERATIONS = 150;
    private static final int PACKETS = 300;
    private static final int[] PORTS = {0, 1, 22, 53, 80, 443, 1023, 1024, 8080, 65534, 65535};
    /** The ICMP numbers the rules and packets use, with the identities a device would compare. */
    private static final Map<Integer, String> V4_TYPES = Map.of(0, "openconfig-icmpv4-types:ECHO_REPLY",
            3, "openconfig-icmpv4-types:DST_UNREACHABLE", 8, "openconfig-icmpv4-types:ECHO");
    private static final Map<Integer, String> V6_TYPES = Map.of(1, "openconfig-icmpv6-types:DESTINATION_UNREACHABLE",
            128, "openconfig-icmpv6-types:ECHO_REQUEST", 129, "openconfig-icmpv6-types:ECHO_REPLY",
            135, "openconfig-icmpv6-types:NEIGHBOR_SOLICITATION", 136, "openconfig-icmpv6-types:NEIGHBOR_ADVERTISEMENT");
    private static final Map<String, String> CODES = Map.of("3/3", "openconfig-icmpv4-types:DST_UNREACHABLE_PORT",
            "8/0", "openconfig-icmpv4-types:ECHO_NO_CODE", "1/4", "openconfig-icmpv6-types:DST_UNREACHABLE_PORT",
            "128/0", "openconfig-icmpv6-types:ECHO_REQUEST_NO_CODE");
    private static final Map<Integer, Integer> QUERY_REPLIES = Map.of(8, 0, 128, 129);

    @Test
    void theAclsDecideEveryPacketAsTheRuleSetDoes() throws Exception {
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long seed = BASE_SEED + iteration;
            Random random = new Random(seed);
            String context = "seed " + seed + " (-Dringfence.test.seed=" + seed + ")";
            List<AddressGroupSet> groups = List.of(randomGroup(random, "g1"), randomGroup(random, "g2"),
                    randomGroup(random, "g3"));
            TargetRuleSet ruleSet = randomRuleSet(random);
            OpenConfigConfiguration config = Fixtures.config("http://127.0.0.1:1", Map.of("vm-nic0", "Ethernet1/1"),
                    1_000_000);
            DeviceAcl acl = new AclRenderer(config).render(DesiredState.EMPTY.with(Fixtures.full(1, List.of(ruleSet),
                    groups)));
            Map<String, AddressGroupSet> byId = Map.of("g1", groups.get(0), "g2", groups.get(1), "g3", groups.get(2));
            for (int p = 0; p < PACKETS; p++) {
                Packet packet = randomPacket(random, ruleSet);
                Action expected = new Reference(ruleSet, byId).decide(packet);
                Action actual = device(acl, packet);
                assertThat(actual).as("%s: %s\nrule set %s\ngroups %s", context, packet, ruleSet, groups)
                        .isEqualTo(expected);
            }
        }
    }

    // ---- the device ----

    private static Action device(DeviceAcl acl, Packet p) {
        String name = "ringfence-vm-nic0-" + (p.out ? "out-" : "in-") + p.family.container;
        AclSet set = acl.sets().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        long previous = 0;
        for (Entry e : set.entries()) {
            assertThat(e.sequenceId()).isGreaterThan(previous);
            previous = e.sequenceId();
            if (matches(e.match(), p)) {
                return e.action();
            }
        }
        throw new AssertionError("no entry matched, not even the default rule: " + p);
    }

    private static boolean matches(Match m, Packet p) {
        return within(m.source(), p.source) && within(m.destination(), p.destination)
                && (m.protocol() == null || m.protocol() == p.protocol)
                && within(m.sourcePort(), p.sourcePort) && within(m.destinationPort(), p.destinationPort)
                && (m.icmpType() == null || m.icmpType().equals(typeIdentity(p)))
                && (m.icmpCode() == null || m.icmpCode().equals(CODES.get(p.icmpType + "/" + p.icmpCode)))
                && (!m.established() || p.protocol == 6 && p.ack);
    }

    private static String typeIdentity(Packet p) {
        return (p.family == Family.IPV4 ? V4_TYPES : V6_TYPES).get(p.icmpType);
    }

    private static boolean within(Prefix prefix, BigInteger address) {
        return prefix == null || prefix.network().compareTo(address) <= 0 && prefix.last().compareTo(address) >= 0;
    }

    private static boolean within(PortRange range, int port) {
        return range == null || range.from() <= port && port <= range.to();
    }

    // ---- the rule set, as documented ----

    private record Reference(TargetRuleSet ruleSet, Map<String, AddressGroupSet> groups) {

        Action decide(Packet p) {
            if (p.family == Family.IPV6 && p.protocol == 58 && (p.icmpType == 135 || p.icmpType == 136)) {
                return Action.ACCEPT;
            }
            if (isLocal(p)) {
                for (TargetRule r : p.out ? ruleSet.inbound() : ruleSet.outbound()) {
                    if (!r.staged() && r.action() == RuleAction.ALLOW && remoteMatches(r, p) && replies(r, p)) {
                        return Action.ACCEPT;
                    }
                }
                for (TargetRule r : p.out ? ruleSet.outbound() : ruleSet.inbound()) {
                    if (!r.staged() && remoteMatches(r, p) && forward(r, p)) {
                        return action(r.action());
                    }
                }
            }
            return action(ruleSet.defaultAction());
        }

        private boolean isLocal(Packet p) {
            BigInteger local = p.out ? p.source : p.destination;
            return ruleSet.addresses().stream().map(Prefix::parse)
                    .anyMatch(a -> a.family() == p.family && a.network().equals(local));
        }

        private boolean remoteMatches(TargetRule r, Packet p) {
            BigInteger remote = p.out ? p.destination : p.source;
            if (r.remoteGroup() == null) {
                return !r.remoteNegated();
            }
            boolean member = groups.get(r.remoteGroup()).prefixes().stream().map(Prefix::parse)
                    .anyMatch(g -> g.family() == p.family && within(g, remote));
            return member != r.remoteNegated();
        }

        private static boolean forward(TargetRule r, Packet p) {
            if (r.services().isEmpty()) {
                return true;
            }
            for (TargetService s : r.services()) {
                if (s.protocol() == -1) {
                    return true;
                }
                if (s.protocol() != p.protocol) {
                    continue;
                }
                if (p.protocol == 6 || p.protocol == 17) {
                    if (inRanges(s.destinationPorts(), p.destinationPort) && inRanges(s.sourcePorts(), p.sourcePort)) {
                        return true;
                    }
                } else if (p.protocol == 1 || p.protocol == 58) {
                    if ((s.icmpType() == null || s.icmpType() == p.icmpType)
                            && (s.icmpCode() == null || s.icmpCode() == p.icmpCode)) {
                        return true;
                    }
                } else {
                    return true;
                }
            }
            return false;
        }

        /** The packet could be a reply of the rule's flows: ports swapped, TCP past its SYN, ICMP answers. */
        private static boolean replies(TargetRule r, Packet p) {
            int icmp = p.family == Family.IPV4 ? 1 : 58;
            List<TargetService> services = r.services().isEmpty()
                    ? List.of(new TargetService(-1, List.of(), List.of(), null, null)) : r.services();
            for (TargetService s : services) {
                if (s.protocol() == -1) {
                    if (p.protocol == 6 && p.ack || p.protocol == 17 || p.protocol == icmp) {
                        return true;
                    }
                } else if (s.protocol() == 6 || s.protocol() == 17) {
                    if (s.protocol() == p.protocol && (p.protocol == 17 || p.ack)
                            && inRanges(s.destinationPorts(), p.sourcePort) && inRanges(s.sourcePorts(), p.destinationPort)) {
                        return true;
                    }
                } else if (s.protocol() == 1 || s.protocol() == 58) {
                    if (s.protocol() == icmp && p.protocol == icmp && (s.icmpType() == null
                            || QUERY_REPLIES.containsKey(s.icmpType()) && QUERY_REPLIES.get(s.icmpType()) == p.icmpType)) {
                        return true;
                    }
                } else if (s.protocol() == p.protocol) {
                    return true;
                }
            }
            return false;
        }

        private static boolean inRanges(List<int[]> ranges, int port) {
            return ranges.isEmpty() || ranges.stream().anyMatch(r -> r[0] <= port && port <= r[1]);
        }

        private static Action action(RuleAction a) {
            return switch (a) {
                case ALLOW -> Action.ACCEPT;
                case DROP -> Action.DROP;
                case REJECT -> Action.REJECT;
            };
        }
    }

    // ---- random inputs ----

    private record Packet(boolean out, Family family, BigInteger source, BigInteger destination, int protocol,
                          int sourcePort, int destinationPort, int icmpType, int icmpCode, boolean ack) {

        @Override
        public String toString() {
            return (out ? "OUT " : "IN ") + new Prefix(family, source, family.bits) + " -> "
                    + new Prefix(family, destination, family.bits) + " proto " + protocol + " ports " + sourcePort
                    + "->" + destinationPort + " icmp " + icmpType + "/" + icmpCode + (ack ? " ACK" : "");
        }
    }

    private static final String[] V4_POOL = {"10.0.0.0/22", "10.0.0.0/24", "10.0.1.0/25", "10.0.1.128/26",
        "10.0.2.7/32", "10.0.3.0/30", "10.0.0.16/28", "192.168.0.0/16", "0.0.0.0/0"};
    private static final String[] V6_POOL = {"2001:db8::/118", "2001:db8::/120", "2001:db8::100/121",
        "2001:db8::2ff/128", "2001:db8::380/123", "fd00::/8"};

    private static AddressGroupSet randomGroup(Random random, String id) {
        List<String> prefixes = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String[] pool = random.nextInt(3) == 0 ? V6_POOL : V4_POOL;
            Prefix base = Prefix.parse(pool[random.nextInt(pool.length)]);
            int length = Math.min(base.family().bits, base.length() + random.nextInt(6));
            BigInteger offset = new BigInteger(base.family().bits - base.length(), random);
            if (base.length() == 0) {
                offset = offset.shiftRight(base.family().bits - 24); // stay near the low end of the space
            }
            prefixes.add(new Prefix(base.family(), base.network().add(offset), length).toString());
        }
        return new AddressGroupSet(id, prefixes);
    }

    private static TargetRuleSet randomRuleSet(Random random) {
        List<String> addresses = new ArrayList<>(List.of("10.0.1.5/32"));
        if (random.nextBoolean()) {
            addresses.add("10.0.2.7/32");
        }
        if (random.nextBoolean()) {
            addresses.add("2001:db8::105/128");
        }
        RuleAction[] actions = RuleAction.values();
        return new TargetRuleSet("vm-nic0", "vm", "esx-01", "02:00:00:00:00:01", addresses, 1,
                randomRules(random, "in"), randomRules(random, "out"), actions[random.nextInt(actions.length)],
                random.nextBoolean());
    }

    private static List<TargetRule> randomRules(Random random, String prefix) {
        List<TargetRule> rules = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            RuleAction[] actions = RuleAction.values();
            String group = random.nextInt(4) == 0 ? null : "g" + (1 + random.nextInt(3));
            List<TargetService> services = new ArrayList<>();
            int count = random.nextInt(3);
            for (int s = 0; s < count; s++) {
                services.add(randomService(random));
            }
            rules.add(new TargetRule(prefix + i, "p", actions[random.nextInt(actions.length)], random.nextBoolean(),
                    random.nextInt(6) == 0, group, random.nextInt(3) == 0, services));
        }
        return rules;
    }

    private static TargetService randomService(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> new TargetService(-1, List.of(), List.of(), null, null);
            case 1, 2 -> new TargetService(random.nextBoolean() ? 6 : 17, randomRanges(random), randomRanges(random),
                    null, null);
            case 3 -> {
                int[][] choices = {{-1, -1}, {8, -1}, {8, 0}, {0, -1}, {3, 3}};
                int[] c = choices[random.nextInt(choices.length)];
                yield new TargetService(1, List.of(), List.of(), c[0] < 0 ? null : c[0], c[1] < 0 ? null : c[1]);
            }
            case 4 -> {
                int[][] choices = {{-1, -1}, {128, -1}, {128, 0}, {1, 4}, {135, -1}};
                int[] c = choices[random.nextInt(choices.length)];
                yield new TargetService(58, List.of(), List.of(), c[0] < 0 ? null : c[0], c[1] < 0 ? null : c[1]);
            }
            case 5 -> new TargetService(47, List.of(), List.of(), null, null);
            default -> new TargetService(6, List.of(new int[] {80, 80}, new int[] {1024, 65535}), List.of(), null, null);
        };
    }

    private static List<int[]> randomRanges(Random random) {
        List<int[]> ranges = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            int a = PORTS[random.nextInt(PORTS.length)];
            int b = PORTS[random.nextInt(PORTS.length)];
            ranges.add(new int[] {Math.min(a, b), Math.max(a, b)});
        }
        return ranges;
    }

    private static Packet randomPacket(Random random, TargetRuleSet ruleSet) {
        boolean out = random.nextBoolean();
        Family family = random.nextInt(3) == 0 ? Family.IPV6 : Family.IPV4;
        List<Prefix> own = ruleSet.addresses().stream().map(Prefix::parse).filter(a -> a.family() == family).toList();
        BigInteger local = !own.isEmpty() && random.nextInt(5) > 0 ? own.get(random.nextInt(own.size())).network()
                : randomAddress(random, family);
        BigInteger remote = randomAddress(random, family);
        int icmp = family == Family.IPV4 ? 1 : 58;
        int[] protocols = {6, 6, 17, 17, icmp, icmp, 47, 50};
        int protocol = protocols[random.nextInt(protocols.length)];
        int icmpType = 0;
        int icmpCode = 0;
        if (protocol == icmp) {
            Integer[] types = (family == Family.IPV4 ? V4_TYPES : V6_TYPES).keySet().toArray(Integer[]::new);
            icmpType = types[random.nextInt(types.length)];
            icmpCode = random.nextInt(5);
        }
        boolean ports = protocol == 6 || protocol == 17;
        return new Packet(out, family, out ? local : remote, out ? remote : local, protocol,
                ports ? randomPort(random) : 0, ports ? randomPort(random) : 0, icmpType, icmpCode,
                protocol == 6 && random.nextBoolean());
    }

    private static int randomPort(Random random) {
        return random.nextInt(3) == 0 ? random.nextInt(65536) : PORTS[random.nextInt(PORTS.length)];
    }

    private static BigInteger randomAddress(Random random, Family family) {
        String[] pool = family == Family.IPV4 ? V4_POOL : V6_POOL;
        Prefix near = Prefix.parse(pool[random.nextInt(pool.length)]);
        if (random.nextInt(4) == 0) {
            return new BigInteger(family.bits, random);
        }
        return near.network().add(new BigInteger(Math.min(family.bits - near.length(), 24), random));
    }
}
