package io.ringfence.target.openconfig;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.target.openconfig.DeviceAcl.AclSet;
import io.ringfence.target.openconfig.DeviceAcl.Action;
import io.ringfence.target.openconfig.DeviceAcl.Binding;
import io.ringfence.target.openconfig.DeviceAcl.Entry;
import io.ringfence.target.openconfig.DeviceAcl.Match;
import io.ringfence.target.openconfig.DeviceAcl.PortRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the desired state of a device into its ACLs: per vNIC, four ACL sets (from / to the vNIC,
 * IPv4 / IPv6) bound to the device interface that faces the vNIC. The mapping, and what a stateless
 * ACL can and cannot say of a stateful rule set, is in the package description.
 *
 * <p>Rendering plans every set as blocks (one per rule, reply, neighbour-discovery pair or default
 * rule), counts their entries, and refuses the whole state before building any entry when the
 * count is over the configured limit: an address group of thousands of prefixes times a handful of
 * port ranges must fail fast, not fill the heap.
 */
final class AclRenderer {

    /** {@code <interface>.<subinterface index>}, the model's suggested interface id convention. */
    private static final Pattern SUBINTERFACE = Pattern.compile("(.+)\\.(\\d{1,10})");
    private static final long SEQUENCE_STEP = 10;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final List<Prefix> NOTHING = List.of();

    private final OpenConfigConfiguration config;

    AclRenderer(OpenConfigConfiguration config) {
        this.config = config;
    }

    /** @throws RenderingException if a rule cannot be expressed, or the device would hold too many entries */
    DeviceAcl render(DesiredState state) throws RenderingException {
        Groups groups = new Groups(state.groups(), config.maxEntries());
        List<PlannedVnic> vnics = new ArrayList<>();
        Map<String, String> vnicByInterface = new HashMap<>();
        for (TargetRuleSet ruleSet : state.ruleSets().values()) {
            String interfaceId = config.interfaceOf(ruleSet);
            if (interfaceId == null || !OpenConfigConfiguration.isInterfaceId(interfaceId)) {
                throw new RenderingException(RenderingException.UNKNOWN_INTERFACE, "no device interface "
                        + (interfaceId == null ? "is configured" : "can be named '" + interfaceId + "'")
                        + " for vNIC " + ruleSet.vnicId() + " (target " + config.targetId() + ")");
            }
            String other = vnicByInterface.putIfAbsent(interfaceId, ruleSet.vnicId());
            if (other != null) {
                throw new RenderingException(RenderingException.UNKNOWN_INTERFACE, "vNICs " + other + " and "
                        + ruleSet.vnicId() + " would share interface " + interfaceId + " (target "
                        + config.targetId() + "): one ACL per direction cannot hold two vNICs' rule sets");
            }
            vnics.add(plan(ruleSet, interfaceId, groups));
        }
        checkSize(vnics);
        List<AclSet> sets = new ArrayList<>();
        List<Binding> bindings = new ArrayList<>();
        for (PlannedVnic v : vnics) {
            List<AclSet> ingress = new ArrayList<>();
            List<AclSet> egress = new ArrayList<>();
            for (PlannedSet p : v.sets) {
                AclSet set = p.build();
                sets.add(set);
                (p.fromVnic ? ingress : egress).add(set);
            }
            Matcher sub = SUBINTERFACE.matcher(v.interfaceId);
            boolean hasSub = sub.matches() && Long.parseLong(sub.group(2)) <= 0xFFFF_FFFFL;
            bindings.add(new Binding(v.interfaceId, hasSub ? sub.group(1) : v.interfaceId,
                    hasSub ? Long.valueOf(sub.group(2)) : null, ingress, egress));
        }
        return new DeviceAcl(sets, bindings);
    }

    private PlannedVnic plan(TargetRuleSet ruleSet, String interfaceId, Groups groups) throws RenderingException {
        for (TargetRule r : ruleSet.outbound()) {
            Services.check(r, ruleSet.vnicId());
        }
        for (TargetRule r : ruleSet.inbound()) {
            Services.check(r, ruleSet.vnicId());
        }
        List<Prefix> addresses = new ArrayList<>();
        for (String a : ruleSet.addresses()) {
            addresses.add(parse(a, "address of vNIC " + ruleSet.vnicId()));
        }
        List<PlannedSet> sets = new ArrayList<>();
        for (Family family : Family.values()) {
            List<Prefix> local = addresses.stream().filter(p -> p.family() == family).toList();
            PlannedSet out = new PlannedSet(ruleSet, family, true);
            PlannedSet in = new PlannedSet(ruleSet, family, false);
            if (family == Family.IPV6) {
                out.blocks.add(neighbourDiscovery());
                in.blocks.add(neighbourDiscovery());
            }
            // replies first: in the stateful original they never meet the table at all
            for (TargetRule r : ruleSet.outbound()) {
                if (!r.staged() && r.action() == RuleAction.ALLOW) {
                    in.blocks.add(block("replies to " + about(r), Action.ACCEPT, false, false, local,
                            groups.remote(r, family), Services.replies(r.services(), family)));
                }
            }
            for (TargetRule r : ruleSet.inbound()) {
                if (!r.staged() && r.action() == RuleAction.ALLOW) {
                    out.blocks.add(block("replies to " + about(r), Action.ACCEPT, false, true, local,
                            groups.remote(r, family), Services.replies(r.services(), family)));
                }
            }
            for (TargetRule r : ruleSet.outbound()) {
                if (!r.staged()) {
                    out.blocks.add(block(about(r), action(r.action()), r.logged(), true, local,
                            groups.remote(r, family), Services.forward(r.services(), family)));
                }
            }
            for (TargetRule r : ruleSet.inbound()) {
                if (!r.staged()) {
                    in.blocks.add(block(about(r), action(r.action()), r.logged(), false, local,
                            groups.remote(r, family), Services.forward(r.services(), family)));
                }
            }
            // the default rule always logs what it denies, as the data plane's flow log does
            boolean logDefault = ruleSet.defaultLogged() || ruleSet.defaultAction() != RuleAction.ALLOW;
            Block fallThrough = new Block("default rule", action(ruleSet.defaultAction()), logDefault,
                    List.of(Prefix.any(family)), List.of(Prefix.any(family)), List.of(Match.ANY));
            out.blocks.add(fallThrough);
            in.blocks.add(fallThrough);
            sets.add(out);
            sets.add(in);
        }
        return new PlannedVnic(interfaceId, sets);
    }

    /**
     * A rule's entries: from the vNIC the local addresses are the source and the remote ones the
     * destination, to the vNIC the other way round.
     *
     * @param fromVnic the set the block goes into checks what the vNIC sends
     */
    private static Block block(String description, Action action, boolean log, boolean fromVnic, List<Prefix> local,
                               List<Prefix> remote, List<Match> services) {
        return fromVnic ? new Block(description, action, log, local, remote, services)
                : new Block(description, action, log, remote, local, services);
    }

    private static Block neighbourDiscovery() {
        IcmpIdentities icmp = IcmpIdentities.ICMPV6;
        List<Match> nd = List.of(
                new Match(null, null, icmp.protocol, null, null, icmp.type(135), null, false),
                new Match(null, null, icmp.protocol, null, null, icmp.type(136), null, false));
        return new Block("IPv6 neighbour discovery", Action.ACCEPT, false, List.of(Prefix.any(Family.IPV6)),
                List.of(Prefix.any(Family.IPV6)), nd);
    }

    private void checkSize(List<PlannedVnic> vnics) throws RenderingException {
        long total = 0;
        for (PlannedVnic v : vnics) {
            for (PlannedSet s : v.sets) {
                total = saturatedAdd(total, s.size());
            }
        }
        if (total > config.maxEntries()) {
            String largest = vnics.stream().flatMap(v -> v.sets.stream())
                    .sorted(Comparator.comparingLong(PlannedSet::size).reversed()).limit(3)
                    .map(s -> s.name() + " (" + s.size() + ")").collect(Collectors.joining(", "));
            throw new RenderingException(RenderingException.TOO_MANY_ENTRIES, "device " + config.targetId()
                    + " would need at least " + total + " ACL entries, over its limit of " + config.maxEntries()
                    + " (maxEntries); largest sets: " + largest);
        }
    }

    private static String about(TargetRule r) {
        return "rule " + r.ruleId() + " of policy " + r.policyId();
    }

    private static Action action(RuleAction a) {
        return switch (a) {
            case ALLOW -> Action.ACCEPT;
            case DROP -> Action.DROP;
            case REJECT -> Action.REJECT;
        };
    }

    private static Prefix parse(String cidr, String what) throws RenderingException {
        try {
            return Prefix.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw new RenderingException(RenderingException.UNSUPPORTED_RULE, "malformed " + what + ": " + cidr);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The remote side of rules, per family, resolved once per address group: its prefixes, or for a
     * negated group their complement (exact, unlike deny-then-permit pairs; see the package
     * description), computed no further than the entry limit.
     */
    private static final class Groups {

        private final Map<String, AddressGroupSet> sets;
        private final int cap;
        private final Map<String, List<Prefix>> resolved = new HashMap<>();

        Groups(Map<String, AddressGroupSet> sets, int cap) {
            this.sets = sets;
            this.cap = cap;
        }

        List<Prefix> remote(TargetRule r, Family family) throws RenderingException {
            if (r.remoteGroup() == null) {
                return r.remoteNegated() ? NOTHING : List.of(Prefix.any(family));
            }
            String key = r.remoteGroup() + "/" + family + "/" + r.remoteNegated();
            List<Prefix> done = resolved.get(key);
            if (done != null) {
                return done;
            }
            List<Prefix> members = new ArrayList<>();
            for (String cidr : sets.get(r.remoteGroup()).prefixes()) {
                Prefix p = parse(cidr, "prefix in address group " + r.remoteGroup());
                if (p.family() == family) {
                    members.add(p);
                }
            }
            List<Prefix> result = r.remoteNegated() ? Prefix.complement(family, members, cap) : List.copyOf(members);
            resolved.put(key, result);
            return result;
        }
    }

    /** A run of entries: every source by every destination by every service match, in that order. */
    private record Block(String description, Action action, boolean log, List<Prefix> sources,
                         List<Prefix> destinations, List<Match> services) {

        long size() {
            return saturatedMultiply(saturatedMultiply(sources.size(), destinations.size()), services.size());
        }

        void emit(List<Entry> into) {
            for (Prefix source : sources) {
                for (Prefix destination : destinations) {
                    for (Match s : services) {
                        Match m = new Match(source.length() == 0 ? null : source,
                                destination.length() == 0 ? null : destination, s.protocol(), s.sourcePort(),
                                s.destinationPort(), s.icmpType(), s.icmpCode(), s.established());
                        into.add(new Entry(SEQUENCE_STEP * (into.size() + 1), description, m, action, log));
                    }
                }
            }
        }
    }

    /** One ACL set before its entries exist. */
    private static final class PlannedSet {

        final TargetRuleSet ruleSet;
        final Family family;
        /** Checks what the vNIC sends (bound as the interface's ingress); else what it receives. */
        final boolean fromVnic;
        final List<Block> blocks = new ArrayList<>();

        PlannedSet(TargetRuleSet ruleSet, Family family, boolean fromVnic) {
            this.ruleSet = ruleSet;
            this.family = family;
            this.fromVnic = fromVnic;
        }

        String name() {
            return "ringfence-" + ruleSet.vnicId() + (fromVnic ? "-out-" : "-in-") + family.container;
        }

        long size() {
            long size = 0;
            for (Block b : blocks) {
                size = saturatedAdd(size, b.size());
            }
            return size;
        }

        AclSet build() {
            List<Entry> entries = new ArrayList<>();
            blocks.forEach(b -> b.emit(entries));
            String description = "Ringfence: traffic " + (fromVnic ? "from" : "to") + " vNIC " + ruleSet.vnicId()
                    + " (VM " + ruleSet.vmId() + "), " + (family == Family.IPV4 ? "IPv4" : "IPv6") + ", generation "
                    + ruleSet.generation();
            return new AclSet(name(), family, description, entries);
        }
    }

    private record PlannedVnic(String interfaceId, List<PlannedSet> sets) {
    }

    /** Services as match templates (no addresses yet), forward or reversed for replies. */
    private static final class Services {

        private Services() {
        }

        /** Refuses what the model cannot express exactly, whichever family it would land in. */
        static void check(TargetRule r, String vnicId) throws RenderingException {
            for (TargetService s : r.services()) {
                String where = "rule " + r.ruleId() + " (vNIC " + vnicId + ")";
                int p = s.protocol();
                if (p < -1 || p > 254) {
                    throw unsupported(where + ": protocol " + p + " (the model matches 0-254, or any)");
                }
                boolean ports = !s.destinationPorts().isEmpty() || !s.sourcePorts().isEmpty();
                if (ports && p != TCP && p != UDP) {
                    throw unsupported(where + ": ports with protocol " + p + " (TCP and UDP only)");
                }
                for (List<int[]> ranges : List.of(s.destinationPorts(), s.sourcePorts())) {
                    for (int[] range : ranges) {
                        if (range.length != 2 || range[0] < 0 || range[1] > 65535 || range[0] > range[1]) {
                            throw unsupported(where + ": malformed port range");
                        }
                    }
                }
                boolean icmp = s.icmpType() != null || s.icmpCode() != null;
                if (icmp && p != IcmpIdentities.ICMPV4.protocol && p != IcmpIdentities.ICMPV6.protocol) {
                    throw unsupported(where + ": ICMP type or code with protocol " + p);
                }
                if (s.icmpCode() != null && s.icmpType() == null) {
                    throw unsupported(where + ": an ICMP code without a type");
                }
                if (s.icmpType() != null) {
                    IcmpIdentities ids = p == IcmpIdentities.ICMPV4.protocol ? IcmpIdentities.ICMPV4
                            : IcmpIdentities.ICMPV6;
                    String name = ids == IcmpIdentities.ICMPV4 ? "ICMP" : "ICMPv6";
                    if (ids.type(s.icmpType()) == null) {
                        throw unsupported(where + ": " + name + " type " + s.icmpType() + " has no identity in "
                                + ids.module);
                    }
                    if (s.icmpCode() != null && ids.code(s.icmpType(), s.icmpCode()) == null) {
                        throw unsupported(where + ": " + name + " type " + s.icmpType() + " code " + s.icmpCode()
                                + " has no identity in " + ids.module);
                    }
                }
            }
        }

        /** What the rule's flows send first: the services as they are (empty: anything). */
        static List<Match> forward(List<TargetService> services, Family family) {
            if (services.isEmpty()) {
                return List.of(Match.ANY);
            }
            List<Match> out = new ArrayList<>();
            for (TargetService s : services) {
                int p = s.protocol();
                if (p == -1) {
                    out.add(Match.ANY);
                } else if (p == TCP || p == UDP) {
                    for (PortRange dst : ranges(s.destinationPorts())) {
                        for (PortRange src : ranges(s.sourcePorts())) {
                            out.add(new Match(null, null, p, src, dst, null, null, false));
                        }
                    }
                } else if (p == IcmpIdentities.ICMPV4.protocol || p == IcmpIdentities.ICMPV6.protocol) {
                    if (p == family.icmp.protocol) {
                        out.add(icmp(family, s.icmpType(), s.icmpCode()));
                    }
                } else {
                    out.add(new Match(null, null, p, null, null, null, null, false));
                }
            }
            return out;
        }

        /**
         * What the answering side sends back: ports swapped; TCP only with ACK or RST (a reply can
         * never open a connection); the reply type of an ICMP query; for any protocol, TCP
         * replies, UDP and the family's ICMP.
         */
        static List<Match> replies(List<TargetService> services, Family family) {
            List<Match> out = new ArrayList<>();
            List<TargetService> all = services.isEmpty() ? List.of(new TargetService(-1, List.of(), List.of(), null,
                    null)) : services;
            for (TargetService s : all) {
                int p = s.protocol();
                if (p == -1) {
                    out.add(new Match(null, null, TCP, null, null, null, null, true));
                    out.add(new Match(null, null, UDP, null, null, null, null, false));
                    out.add(new Match(null, null, family.icmp.protocol, null, null, null, null, false));
                } else if (p == TCP || p == UDP) {
                    for (PortRange serverPort : ranges(s.destinationPorts())) {
                        for (PortRange clientPort : ranges(s.sourcePorts())) {
                            out.add(new Match(null, null, p, serverPort, clientPort, null, null, p == TCP));
                        }
                    }
                } else if (p == IcmpIdentities.ICMPV4.protocol || p == IcmpIdentities.ICMPV6.protocol) {
                    if (p == family.icmp.protocol) {
                        if (s.icmpType() == null) {
                            out.add(icmp(family, null, null));
                        } else if (family.icmp.replyType(s.icmpType()) != null) {
                            out.add(icmp(family, family.icmp.replyType(s.icmpType()), null));
                        }
                    }
                } else {
                    out.add(new Match(null, null, p, null, null, null, null, false));
                }
            }
            return out;
        }

        private static Match icmp(Family family, Integer type, Integer code) {
            return new Match(null, null, family.icmp.protocol, null, null,
                    type == null ? null : family.icmp.type(type),
                    code == null ? null : family.icmp.code(type, code), false);
        }

        /** The ranges as matches; none given, or 0-65535, is any port. */
        private static List<PortRange> ranges(List<int[]> ranges) {
            List<PortRange> out = new ArrayList<>();
            for (int[] r : ranges) {
                PortRange range = new PortRange(r[0], r[1]);
                if (range.isAny()) {
                    return Collections.singletonList(null);
                }
                out.add(range);
            }
            return out.isEmpty() ? Collections.singletonList(null) : out;
        }

        private static RenderingException unsupported(String message) {
            return new RenderingException(RenderingException.UNSUPPORTED_RULE, message);
        }
    }
}
