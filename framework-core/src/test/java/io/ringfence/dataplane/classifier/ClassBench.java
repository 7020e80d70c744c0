package io.ringfence.dataplane.classifier;

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
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded rule sets in the manner of ClassBench (Taylor and Turner, "ClassBench: a packet
 * classification benchmark", 2005/2007), mapped onto a vNIC's compiled entries, with packet traces
 * and one-rule changes. Shared by the classifier's tests and the benchmarks.
 *
 * <p>ClassBench draws filters from the statistics of real filter sets: a protocol distribution;
 * per protocol, a distribution of <em>port pair classes</em> (source/destination port each WC
 * wildcard, HI 1024-65535, LO 0-1023, AR an arbitrary range, EM an exact port); address prefix
 * lengths; and an address trie whose skew makes prefixes cluster, nest and overlap. Its ACL sets
 * (router access lists) are mostly exact destination ports and specific addresses; its FW sets
 * (firewalls) have many wildcards and wide port ranges. The two {@link Profile}s here carry
 * parameters shaped after those published characteristics (not copies of the seed files).
 *
 * <p>The mapping onto Ringfence: a vNIC's table matches only the <em>remote</em> end of a packet
 * (the vNIC's own address is implied by the vNIC), so one ClassBench address dimension maps to the
 * entry's remote address group, and the rule's IN direction makes the remote end the packet's
 * source:
 * <ul>
 * <li><b>remote</b>: ANY (remote null), or an address group of 1..16 prefixes (most often one),
 *     sometimes negated (ANY and negated remotes take narrow services, and broad services long
 *     prefixes: see {@code broad}); a rule reuses an earlier rule's group with the profile's probability, as
 *     real policies name the same servers with many services. Prefixes come from a skewed hierarchy
 *     (a Zipf choice of /8 site, then /16, /24, host), so that short prefixes contain long ones;
 *     their lengths follow the profile. With an IPv6 share, each prefix is IPv6 with that
 *     probability: the same hierarchy under 2001:db8::/32, lengths scaled (/32 to /128, /24 to /64,
 *     /16 to /48, /8 to /32).</li>
 * <li><b>service</b>: one service entry (two for a tenth of the rules, as a rule may name several
 *     services); its protocol from the profile; for TCP and UDP a port pair class gives the source
 *     and destination ports (EM from a weighted list of well-known ports with a random tail; AR
 *     from common ranges or random ones; HI; LO; WC as no constraint); ICMP rules name a type, and
 *     sometimes a code; ANY matches every protocol.</li>
 * <li><b>action</b>: ALLOW, DROP or REJECT in the profile's mix.</li>
 * </ul>
 *
 * <p>Traces pick a target entry uniformly over positions and generate a packet inside its fields
 * (an address inside one of its prefixes, or outside a negated group; a port inside its range), so
 * that they hit entries at every depth (the packet hits its target or an earlier entry); a share
 * of packets is drawn at random and kept only if it matches nothing (the {@link LinearRuleTable}
 * oracle says so), within a few attempts. Everything is a function of the seed.
 */
public final class ClassBench {

    /** The local end of every packet: nothing names it. */
    private static final IpPrefix LOCAL4 = IpPrefix.parse("192.0.2.10");
    private static final IpPrefix LOCAL6 = IpPrefix.parse("2001:db8:ffff::10");
    private static final long V6_TOP = 0x2001_0db8_0000_0000L;

    /** The two kinds of ClassBench filter set. */
    public enum Profile {
        /** Access-control lists: exact destination ports, specific remote addresses, few wildcards. */
        ACL(new double[] {0.80, 0.08, 0.04, 0.08},
                new Object[][] {{"WC", "EM", 0.62}, {"WC", "WC", 0.14}, {"WC", "AR", 0.12}, {"WC", "HI", 0.04},
                        {"WC", "LO", 0.02}, {"HI", "EM", 0.03}, {"EM", "WC", 0.02}, {"AR", "AR", 0.01}},
                0.05, 0.01, new double[] {0.55, 0.25, 0.12, 0.05, 0.01}, 0.35,
                new double[] {0.75, 0.15, 0.10}),
        /** Firewalls: many wildcard remotes and protocols, wide port ranges, more negation. */
        FW(new double[] {0.55, 0.22, 0.05, 0.18},
                new Object[][] {{"WC", "EM", 0.34}, {"WC", "WC", 0.18}, {"HI", "EM", 0.10}, {"WC", "HI", 0.08},
                        {"WC", "AR", 0.10}, {"HI", "HI", 0.04}, {"AR", "EM", 0.03}, {"EM", "WC", 0.04},
                        {"LO", "LO", 0.02}, {"HI", "AR", 0.03}, {"AR", "AR", 0.02}, {"EM", "EM", 0.02}},
                0.30, 0.04, new double[] {0.35, 0.18, 0.10, 0.04, 0.01}, 0.40,
                new double[] {0.55, 0.30, 0.15});

        /** TCP, UDP, ICMP, ANY. */
        private final double[] protocols;
        /** Source class, destination class, weight. */
        private final Object[][] portPairs;
        private final double anyRemote;
        private final double negatedRemote;
        /** Weights of prefix lengths 32, 24-31, 16-23, 8-15, 1-7. */
        private final double[] lengths;
        private final double reuseGroup;
        /** ALLOW, DROP, REJECT. */
        private final double[] actions;

        Profile(double[] protocols, Object[][] portPairs, double anyRemote, double negatedRemote, double[] lengths,
                double reuseGroup, double[] actions) {
            this.protocols = protocols;
            this.portPairs = portPairs;
            this.anyRemote = anyRemote;
            this.negatedRemote = negatedRemote;
            this.lengths = lengths;
            this.reuseGroup = reuseGroup;
            this.actions = actions;
        }
    }

    // well-known TCP and UDP ports with weights; the rest of the mass goes to random ports
    private static final int[] TCP_PORTS = {80, 443, 22, 53, 25, 21, 23, 110, 143, 389, 636, 3306, 5432, 1521, 3389,
        8080, 8443, 123, 161, 445, 139, 514, 6379, 9200, 27017};
    private static final double[] TCP_WEIGHTS = {20, 18, 7, 6, 4, 3, 2, 2, 2, 2, 1, 3, 3, 2, 3, 4, 2, 2, 2, 2, 1, 1, 2,
        1, 1};
    private static final int[] UDP_PORTS = {53, 123, 161, 162, 514, 500, 4500, 1812, 67, 69, 5060};
    private static final double[] UDP_WEIGHTS = {30, 15, 10, 5, 8, 5, 5, 4, 4, 2, 5};
    private static final int[][] COMMON_RANGES = {{6000, 6063}, {1024, 5000}, {8000, 8100}, {137, 139}, {5060, 5061},
        {10000, 20000}, {49152, 65535}, {20, 21}, {6660, 6669}, {33434, 33534}};
    private static final int[] ICMP_TYPES = {0, 3, 8, 11, 5, 13, 14, 4, 12};
    private static final int[] ICMPV6_TYPES = {128, 129, 1, 2, 3, 4, 133, 134, 135, 136};
    // skewed address hierarchy: a Zipf choice at each level
    private static final int SITES = 24;
    private static final int SUBNETS = 64;
    private static final int RACKS = 128;
    private static final double[] ZIPF_SITES = zipfCumulative(SITES);
    private static final double[] ZIPF_SUBNETS = zipfCumulative(SUBNETS);
    private static final double[] ZIPF_RACKS = zipfCumulative(RACKS);

    private final Profile profile;
    private final double ipv6Share;
    private final Random random;
    private final int[] siteOctets = new int[SITES];
    private final Map<String, AddressSet> groups = new LinkedHashMap<>();
    private final List<String> groupIds = new ArrayList<>();
    private int nextRule;

    /**
     * @param profile   ACL or FW
     * @param ipv6Share probability that a prefix (or a packet to an ANY remote) is IPv6; 0 for ClassBench's IPv4
     * @param seed      everything generated is a function of it
     */
    public ClassBench(Profile profile, double ipv6Share, long seed) {
        this.profile = profile;
        this.ipv6Share = ipv6Share;
        this.random = new Random(seed);
        for (int i = 0; i < SITES; i++) {
            // first octets of public-looking /8s, avoiding 0, 127, 192 (the local end) and multicast
            int octet;
            do {
                octet = 1 + random.nextInt(223);
            } while (octet == 127 || octet == 192 || contains(siteOctets, i, octet));
            siteOctets[i] = octet;
        }
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** A rule set of {@code count} entries, in evaluation order. */
    public List<CompiledRule> rules(int count) {
        List<CompiledRule> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(rule());
        }
        return entries;
    }

    /** One more rule of the profile, with a fresh id. */
    public CompiledRule rule() {
        return rule("cb-" + nextRule++);
    }

    private CompiledRule rule(String id) {
        double r = random.nextDouble();
        boolean open = r < profile.anyRemote + profile.negatedRemote;
        List<ServiceEntry> services = new ArrayList<>();
        services.add(service(open));
        if (random.nextInt(10) == 0) {
            services.add(service(open));
        }
        String remote = null;
        boolean negated = false;
        if (!open) {
            boolean broad = services.stream().anyMatch(ClassBench::broad);
            remote = !broad && !groupIds.isEmpty() && random.nextDouble() < profile.reuseGroup ? reusedGroup()
                    : newGroup(broad);
        } else if (r >= profile.anyRemote) {
            negated = true;
            remote = newGroup(false);
        }
        Action action = Action.values()[pick(profile.actions)];
        return new CompiledRule(id, "classbench", Category.APPLICATION, 1, nextRule, Direction.IN, action,
                random.nextInt(20) == 0, null, remote, negated, services);
    }

    /**
     * A service that accepts more than a few ports of its protocol (or every ICMP type, or every
     * protocol). With an ANY or negated remote, or a short prefix, it would match a large share of all
     * traffic and shadow most of what follows: real sets keep such rules last (as the default rule
     * is here), and in ClassBench's seeds the filters wildcard on ports name long prefixes. So the
     * generator gives broad services a new group of long prefixes, and ANY and negated remotes narrow
     * services only (see {@link #service}).
     */
    private static boolean broad(ServiceEntry s) {
        if (s.protocol() == Protocol.ANY || s.protocol().isIcmp()) {
            return s.protocol() == Protocol.ANY || s.icmpType() == null;
        }
        int ports = s.destinationPorts().stream().mapToInt(r -> r.to() - r.from() + 1).sum();
        return ports == 0 || ports > 64;
    }

    /** Recent groups are reused more than old ones, as rules about one server tend to be written together. */
    private String reusedGroup() {
        int n = groupIds.size();
        int back = (int) Math.min(n - 1, Math.floor(-Math.log(1 - random.nextDouble()) * Math.max(1, n / 8.0)));
        return groupIds.get(n - 1 - back);
    }

    /** A new group; for a rule with a broad service, of long prefixes only (see {@link #broad}). */
    private String newGroup(boolean wide) {
        double g = random.nextDouble();
        int size = g < 0.72 ? 1 : g < 0.92 ? 2 + random.nextInt(3) : 5 + random.nextInt(12);
        List<IpPrefix> prefixes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            prefixes.add(prefix(random.nextDouble() < ipv6Share ? IpFamily.IPV6 : IpFamily.IPV4, wide));
        }
        String id = "g" + groupIds.size();
        groups.put(id, AddressSet.of(prefixes));
        groupIds.add(id);
        return id;
    }

    private IpPrefix prefix(IpFamily family, boolean longOnly) {
        int band = pick(longOnly ? Arrays.copyOf(profile.lengths, 2) : profile.lengths);
        int length = switch (band) {
            case 0 -> 32;
            case 1 -> 24 + random.nextInt(8);
            case 2 -> 16 + random.nextInt(8);
            case 3 -> 8 + random.nextInt(8);
            default -> 1 + random.nextInt(7);
        };
        return family == IpFamily.IPV4 ? mask(IpFamily.IPV4, 0, address4(), length)
                : mask(IpFamily.IPV6, address6High(), address6Low(), v6Length(length));
    }

    /** The IPv6 length standing for an IPv4 length: /32 → /128, /24..31 → /64..120, /16..23 → /48..62, /8..15 → /32..46. */
    private static int v6Length(int v4Length) {
        if (v4Length == 32) {
            return 128;
        }
        if (v4Length >= 24) {
            return 64 + (v4Length - 24) * 8;
        }
        if (v4Length >= 8) {
            return 32 + (v4Length - 8) * 2;
        }
        return 16 + v4Length * 2;
    }

    private long address4() {
        long site = siteOctets[zipf(SITES)];
        return site << 24 | (long) zipf(SUBNETS) << 16 | (long) zipf(RACKS) << 8 | (1 + random.nextInt(254));
    }

    /** 2001:db8:site:subnet::/64 in the high half ... */
    private long address6High() {
        return V6_TOP | (long) (siteOctets[zipf(SITES)]) << 16 | zipf(SUBNETS);
    }

    /** ... and rack::/80 then a random host in the low half. */
    private long address6Low() {
        return (long) zipf(RACKS) << 48 | random.nextLong() & 0xFFFF_FFFF_FFFFL;
    }

    private static IpPrefix mask(IpFamily family, long high, long low, int length) {
        if (family == IpFamily.IPV4) {
            return new IpPrefix(family, 0, length == 0 ? 0 : low & (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL,
                    length);
        }
        long h = length >= 64 ? high : length == 0 ? 0 : high & (-1L << (64 - length));
        long l = length <= 64 ? 0 : length == 128 ? low : low & (-1L << (128 - length));
        return new IpPrefix(family, h, l, length);
    }

    /** Index in 0..n-1 (n one of the hierarchy's fan-outs), Zipf-distributed: a few values take most draws. */
    private int zipf(int n) {
        double[] cumulative = n == SITES ? ZIPF_SITES : n == SUBNETS ? ZIPF_SUBNETS : ZIPF_RACKS;
        int i = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(n - 1, i >= 0 ? i : -i - 1);
    }

    /** Cumulative Zipf distribution (exponent 1.1) over n values, normalised to end at 1. */
    private static double[] zipfCumulative(int n) {
        double[] c = new double[n];
        double total = 0;
        for (int k = 1; k <= n; k++) {
            total += Math.pow(k, -1.1);
            c[k - 1] = total;
        }
        for (int k = 0; k < n; k++) {
            c[k] /= total;
        }
        return c;
    }

    /**
     * A service of the profile; a narrow one (a protocol with an exact destination port, mostly one
     * outside the well-known list, or an ICMP type) for a rule with an ANY or negated remote.
     */
    private ServiceEntry service(boolean narrow) {
        int p = pick(profile.protocols);
        if (p == 3 && !narrow) {
            return new ServiceEntry(Protocol.ANY, List.of(), List.of(), null, null);
        }
        if (p == 2) {
            boolean v6 = random.nextDouble() < ipv6Share;
            int[] types = v6 ? ICMPV6_TYPES : ICMP_TYPES;
            Integer type = narrow || random.nextInt(10) < 7 ? types[random.nextInt(types.length)] : null;
            Integer code = type != null && random.nextInt(5) == 0 ? random.nextInt(4) : null;
            return new ServiceEntry(v6 ? Protocol.ICMPV6 : Protocol.ICMP, List.of(), List.of(), type, code);
        }
        boolean tcp = p != 1;
        double[] weights = new double[profile.portPairs.length];
        for (int i = 0; i < weights.length; i++) {
            boolean exact = "EM".equals(profile.portPairs[i][1]);
            weights[i] = narrow && !exact ? 0 : (double) profile.portPairs[i][2];
        }
        Object[] pair = profile.portPairs[pick(weights)];
        List<PortRange> destination = narrow ? List.of(PortRange.of(random.nextDouble() < 0.2 ? wellKnownPort(tcp)
                : 1 + random.nextInt(65535))) : ports((String) pair[1], tcp);
        return new ServiceEntry(tcp ? Protocol.TCP : Protocol.UDP, destination, ports((String) pair[0], tcp), null,
                null);
    }

    private List<PortRange> ports(String portClass, boolean tcp) {
        return switch (portClass) {
            case "WC" -> List.of();
            case "HI" -> List.of(new PortRange(1024, 65535));
            case "LO" -> List.of(new PortRange(0, 1023));
            case "EM" -> List.of(PortRange.of(wellKnownPort(tcp)));
            case "AR" -> List.of(arbitraryRange());
            default -> throw new IllegalArgumentException(portClass);
        };
    }

    private int wellKnownPort(boolean tcp) {
        if (random.nextDouble() < 0.12) {
            return 1 + random.nextInt(65535);
        }
        return tcp ? TCP_PORTS[pick(TCP_WEIGHTS)] : UDP_PORTS[pick(UDP_WEIGHTS)];
    }

    private PortRange arbitraryRange() {
        if (random.nextDouble() < 0.6) {
            int[] r = COMMON_RANGES[random.nextInt(COMMON_RANGES.length)];
            return new PortRange(r[0], r[1]);
        }
        int width = (int) Math.pow(2, 1 + random.nextInt(12));
        int from = random.nextInt(65536 - width);
        return new PortRange(from, from + width - 1);
    }

    private int pick(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    // ---- groups

    /** Every address group generated so far, by id (a live, read-only view). */
    public Map<String, AddressSet> groups() {
        return Collections.unmodifiableMap(groups);
    }

    /**
     * Changes the addresses of one group that {@code entries} name (adds a prefix, or drops one when
     * it has several), as a VM joining or leaving it would; returns its id, or null if no entry names one.
     */
    public String changeGroup(List<CompiledRule> entries) {
        List<String> named = entries.stream().map(CompiledRule::remote).filter(r -> r != null).distinct().toList();
        if (named.isEmpty()) {
            return null;
        }
        String id = named.get(random.nextInt(named.size()));
        List<IpPrefix> prefixes = new ArrayList<>(groups.get(id).toPrefixes());
        if (prefixes.size() > 1 && random.nextBoolean()) {
            prefixes.remove(random.nextInt(prefixes.size()));
        } else {
            prefixes.add(prefix(random.nextDouble() < ipv6Share ? IpFamily.IPV6 : IpFamily.IPV4, false));
        }
        groups.put(id, AddressSet.of(prefixes));
        return id;
    }

    // ---- changes

    /** The kinds of one-rule change. */
    public enum Change { INSERT, REMOVE, REPLACE }

    /**
     * {@code entries} after one rule change of a random kind at a uniformly random position: a new
     * rule inserted, a rule removed, or a rule edited in place (same id; new services, or another
     * remote group).
     */
    public List<CompiledRule> change(List<CompiledRule> entries) {
        Change kind = entries.isEmpty() ? Change.INSERT : Change.values()[random.nextInt(3)];
        return change(entries, kind);
    }

    /** {@code entries} after one rule change of {@code kind} at a uniformly random position. */
    public List<CompiledRule> change(List<CompiledRule> entries, Change kind) {
        List<CompiledRule> next = new ArrayList<>(entries);
        switch (kind) {
            case INSERT -> next.add(random.nextInt(next.size() + 1), rule());
            case REMOVE -> next.remove(random.nextInt(next.size()));
            case REPLACE -> {
                int i = random.nextInt(next.size());
                CompiledRule old = next.get(i);
                CompiledRule fresh = rule(old.ruleId());
                next.set(i, random.nextBoolean()
                        ? new CompiledRule(old.ruleId(), old.policyId(), old.category(), old.policySequence(),
                                old.ruleSequence(), old.direction(), old.action(), old.logged(), old.tag(),
                                old.remote(), old.remoteNegated(), fresh.services())
                        : new CompiledRule(old.ruleId(), old.policyId(), old.category(), old.policySequence(),
                                old.ruleSequence(), old.direction(), old.action(), old.logged(), old.tag(),
                                fresh.remote(), fresh.remoteNegated(), old.services()));
            }
        }
        return next;
    }

    // ---- traces

    /**
     * {@code count} packets for the IN table of {@code entries}: a share {@code missShare} drawn at
     * random and kept if no entry matches them (within a few attempts), the rest each aimed at an
     * entry picked uniformly over positions.
     */
    public List<Packet> trace(List<CompiledRule> entries, int count, double missShare) {
        LinearRuleTable oracle = new LinearRuleTable(Direction.IN, entries, groups::get);
        List<Packet> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (entries.isEmpty() || random.nextDouble() < missShare) {
                packets.add(miss(oracle));
            } else {
                packets.add(aimedAt(entries.get(random.nextInt(entries.size()))));
            }
        }
        return packets;
    }

    private Packet miss(LinearRuleTable oracle) {
        Packet p = null;
        for (int attempt = 0; attempt < 16; attempt++) {
            IpFamily family = random.nextDouble() < ipv6Share ? IpFamily.IPV6 : IpFamily.IPV4;
            int[] protocols = {Packet.TCP, Packet.UDP, family == IpFamily.IPV4 ? Packet.ICMP : Packet.ICMPV6, 47};
            p = packet(family, randomAddress(family), protocols[random.nextInt(protocols.length)],
                    random.nextInt(65536), random.nextInt(65536), random.nextInt(256), random.nextInt(16));
            if (oracle.classify(p) < 0) {
                return p;
            }
        }
        return p;
    }

    /** A packet inside the fields of {@code e} (it hits {@code e} or an earlier entry). */
    public Packet aimedAt(CompiledRule e) {
        ServiceEntry s = e.services().isEmpty() ? null : e.services().get(random.nextInt(e.services().size()));
        IpPrefix remote = remoteFor(e);
        IpFamily family = remote.family();
        Protocol protocol = s == null ? Protocol.ANY : s.protocol();
        int number = switch (protocol) {
            case TCP -> Packet.TCP;
            case UDP -> Packet.UDP;
            case ICMP -> Packet.ICMP;
            case ICMPV6 -> Packet.ICMPV6;
            case ANY -> new int[] {Packet.TCP, Packet.TCP, Packet.UDP, family == IpFamily.IPV4 ? Packet.ICMP
                    : Packet.ICMPV6, 47}[random.nextInt(5)];
        };
        boolean ports = s != null && s.protocol().hasPorts();
        boolean icmp = s != null && s.protocol().isIcmp();
        int destinationPort = ports && !s.destinationPorts().isEmpty() ? inside(s.destinationPorts())
                : random.nextInt(4) == 0 ? TCP_PORTS[pick(TCP_WEIGHTS)] : random.nextInt(65536);
        int sourcePort = ports && !s.sourcePorts().isEmpty() ? inside(s.sourcePorts()) : 32768 + random.nextInt(28232);
        int type = icmp && s.icmpType() != null ? s.icmpType() : random.nextInt(16);
        int code = icmp && s.icmpCode() != null ? s.icmpCode() : random.nextInt(4);
        return packet(family, remote, number, sourcePort, destinationPort, type, code);
    }

    private IpPrefix remoteFor(CompiledRule e) {
        IpFamily family = random.nextDouble() < ipv6Share ? IpFamily.IPV6 : IpFamily.IPV4;
        if (e.remote() == null) {
            return randomAddress(family);
        }
        AddressSet set = groups.get(e.remote());
        if (e.remoteNegated()) {
            IpPrefix a = randomAddress(family);
            for (int attempt = 0; attempt < 32 && set.contains(a); attempt++) {
                a = randomAddress(family);
            }
            return a;
        }
        List<IpPrefix> prefixes = set.toPrefixes();
        if (prefixes.isEmpty()) {
            return randomAddress(family);
        }
        IpPrefix p = prefixes.get(random.nextInt(prefixes.size()));
        long[] last = p.last();
        if (p.family() == IpFamily.IPV4) {
            return IpPrefix.host(IpFamily.IPV4, 0, p.low() + (long) (random.nextDouble() * (last[1] - p.low() + 1)));
        }
        long high = p.high() | (random.nextLong() & (last[0] ^ p.high()));
        long low = p.low() | (random.nextLong() & (last[1] ^ p.low()));
        return IpPrefix.host(IpFamily.IPV6, high, low);
    }

    /** An address from the skewed hierarchy (so that it may fall in groups) or, a third of the time, anywhere. */
    private IpPrefix randomAddress(IpFamily family) {
        boolean anywhere = random.nextInt(3) == 0;
        if (family == IpFamily.IPV4) {
            return IpPrefix.host(family, 0, anywhere ? random.nextLong() & 0xFFFF_FFFFL : address4());
        }
        return anywhere ? IpPrefix.host(family, random.nextLong(), random.nextLong())
                : IpPrefix.host(family, address6High(), address6Low());
    }

    private int inside(List<PortRange> ranges) {
        PortRange r = ranges.get(random.nextInt(ranges.size()));
        return r.from() + random.nextInt(r.to() - r.from() + 1);
    }

    private static Packet packet(IpFamily family, IpPrefix remote, int protocol, int sourcePort, int destinationPort,
                                 int type, int code) {
        boolean ports = protocol == Packet.TCP || protocol == Packet.UDP;
        boolean icmp = protocol == Packet.ICMP || protocol == Packet.ICMPV6;
        return new Packet(family, remote, family == IpFamily.IPV4 ? LOCAL4 : LOCAL6, protocol,
                ports ? sourcePort : 0, ports ? destinationPort : 0, protocol == Packet.TCP ? Packet.SYN : 0, 0, 0, 0,
                icmp ? type : -1, icmp ? code : -1, 0, null, 64, 40, null);
    }
}
