package io.ringfence.target.nftables;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ruleset a desired state becomes, before tokens are given out: per vNIC its port, its two
 * chains with their entries and counters, the address groups as sets, and the ALLOW
 * <em>decisions</em> that need a verdict token.
 *
 * <p>A decision is identified by a digest of what could change the fate of the connections it
 * allowed: the vNIC and its port, the direction, the entry itself (rule, match, address group
 * contents), and every DROP or REJECT entry before it in the chain. Add an ALLOW rule, edit a rule
 * further down, or let a VM join the group of another rule, and the decision keeps its token:
 * its connections stay on the fast path. Put a DROP in front of it, or change the entry, and it
 * gets a new token: its connections are classified again by their next packet. Staged entries
 * decide nothing and are left out (their would-be hits are the in-JVM data plane's business).
 */
final class RulesetPlan {

    /** OUT: traffic from the vNIC (the remote end is the destination); IN: traffic to it. */
    enum Direction { OUT, IN }

    /** An address group as two sets, one per family; prefixes in canonical text. */
    record Group(String id, String v4Set, String v6Set, List<String> v4, List<String> v6) {
    }

    /**
     * One entry (or the default rule, {@code rule} null) of a chain.
     *
     * @param decision the digest naming its ALLOW decision, null for DROP and REJECT
     */
    record Entry(TargetRule rule, RuleAction action, String counter, String decision) {
    }

    record Chain(String name, Direction direction, List<Entry> entries) {
    }

    /** A vNIC on its bridge port. */
    record Port(String vnicId, String ifname, int number, Chain out, Chain in) {
    }

    /** What a counter counts. */
    record CounterKey(String vnicId, String ruleId) {
    }

    private final List<Port> ports = new ArrayList<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, CounterKey> counters = new LinkedHashMap<>();
    private final Map<Direction, Set<String>> decisions = Map.of(Direction.OUT, new HashSet<>(), Direction.IN,
            new HashSet<>());

    /**
     * @param state every vNIC of it has an interface in {@code config}
     * @throws IllegalArgumentException when an address is malformed
     */
    RulesetPlan(DesiredState state, NftablesConfiguration config, Names names) {
        names.retain(config.interfaces().values(), state.groups().keySet());
        Map<String, String> groupDigests = new HashMap<>();
        for (AddressGroupSet g : state.groups().values()) {
            List<String> v4 = new ArrayList<>();
            List<String> v6 = new ArrayList<>();
            for (String p : new TreeSet<>(g.prefixes())) {
                Cidr c = Cidr.parse(p);
                (c.ipv6() ? v6 : v4).add(c.text());
            }
            int n = names.group(g.id());
            groups.put(g.id(), new Group(g.id(), "g" + n + "_4", "g" + n + "_6", v4, v6));
            groupDigests.put(g.id(), hex(Names.sha256(String.join(",", v4) + ";" + String.join(",", v6))));
        }
        List<TargetRuleSet> sets = new ArrayList<>(state.ruleSets().values());
        // a configured vNIC whose rule set has not come enforces the default rule: its port is tagged
        // like the others (an untagged port is not a vNIC's, and its traffic passes unchecked)
        for (String vnic : new TreeSet<>(config.interfaces().keySet())) {
            if (!state.ruleSets().containsKey(vnic)) {
                sets.add(new TargetRuleSet(vnic, null, null, null, List.of(), -1, List.of(), List.of(),
                        state.defaultRule().action(), state.defaultRule().logged()));
            }
        }
        sets.sort(Comparator.comparing(TargetRuleSet::vnicId));
        for (TargetRuleSet set : sets) {
            String ifname = config.interfaces().get(set.vnicId());
            int number = names.port(ifname);
            String context = set.vnicId() + '\0' + ifname;
            ports.add(new Port(set.vnicId(), ifname, number,
                    chain("out_" + number, Direction.OUT, set.vnicId(), context, set.outbound(), set, groupDigests),
                    chain("in_" + number, Direction.IN, set.vnicId(), context, set.inbound(), set, groupDigests)));
        }
    }

    private Chain chain(String name, Direction direction, String vnicId, String context, List<TargetRule> rules,
                        TargetRuleSet set, Map<String, String> groupDigests) {
        List<Entry> entries = new ArrayList<>();
        String before = context + '\0' + direction;
        for (TargetRule r : rules) {
            if (r.staged()) {
                continue;
            }
            String text = canonical(r, groupDigests);
            String decision = null;
            if (r.action() == RuleAction.ALLOW) {
                decision = hex(Names.sha256(before + '\0' + text));
                decisions.get(direction).add(decision);
            } else {
                before = hex(Names.sha256(before + '\0' + text));
            }
            entries.add(new Entry(r, r.action(), counter(vnicId, direction, r.ruleId()), decision));
        }
        String decision = null;
        if (set.defaultAction() == RuleAction.ALLOW) {
            decision = hex(Names.sha256(before + "\0default"));
            decisions.get(direction).add(decision);
        }
        entries.add(new Entry(null, set.defaultAction(), counter(vnicId, direction, "default"), decision));
        return new Chain(name, direction, entries);
    }

    private String counter(String vnicId, Direction direction, String ruleId) {
        String name = Names.counter(vnicId, direction.name(), ruleId);
        counters.put(name, new CounterKey(vnicId, ruleId));
        return name;
    }

    /** Everything that decides what the entry matches and does, as text. */
    private static String canonical(TargetRule r, Map<String, String> groupDigests) {
        StringBuilder sb = new StringBuilder(r.ruleId()).append('|').append(r.action()).append('|')
                .append(r.remoteNegated()).append('|')
                .append(r.remoteGroup() == null ? "*" : r.remoteGroup() + "=" + groupDigests.get(r.remoteGroup()));
        for (TargetService s : r.services()) {
            sb.append('|').append(s.protocol()).append(':');
            s.destinationPorts().forEach(p -> sb.append(p[0]).append('-').append(p[1]).append(','));
            sb.append(':');
            s.sourcePorts().forEach(p -> sb.append(p[0]).append('-').append(p[1]).append(','));
            sb.append(':').append(s.icmpType()).append(':').append(s.icmpCode());
        }
        return sb.toString();
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    List<Port> ports() {
        return ports;
    }

    Map<String, Group> groups() {
        return groups;
    }

    /** Counter name to what it counts. */
    Map<String, CounterKey> counters() {
        return counters;
    }

    Set<String> decisions(Direction direction) {
        return decisions.get(direction);
    }

    /** Sums counter readings (by counter name) into the SPI's rule counters, both directions together. */
    List<RuleCounter> ruleCounters(Map<String, long[]> readings) {
        Map<CounterKey, long[]> sums = new LinkedHashMap<>();
        counters.forEach((name, key) -> {
            long[] r = readings.get(name);
            if (r != null) {
                long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
                sum[0] += r[0];
                sum[1] += r[1];
            }
        });
        List<RuleCounter> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(new RuleCounter(k.vnicId(), k.ruleId(), v[0], v[1])));
        return out;
    }
}
