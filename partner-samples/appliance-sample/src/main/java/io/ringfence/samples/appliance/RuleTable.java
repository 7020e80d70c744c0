package io.ringfence.samples.appliance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rule sets this appliance enforces and the address groups they name. An update builds a new
 * immutable table, checked whole, and swaps it in: a packet is decided by the old table or by the
 * new one, never by half an update; an update that cannot be enforced changes nothing.
 *
 * <p>A packet is checked OUT on the vNIC it leaves (its source address is that vNIC's) and IN on
 * the vNIC it enters; the first check that does not allow it decides. Each direction's rules are
 * tried in order, the first match wins, then the default rule. Staged rules decide nothing.
 */
final class RuleTable {

    private static final Set<String> ACTIONS = Set.of("ALLOW", "DROP", "REJECT");

    /**
     * What decided a packet.
     *
     * @param action    ALLOW, DROP or REJECT
     * @param vnicId    the vNIC whose rule decided, or null: no vNIC here has either address
     * @param direction IN or OUT, or null
     * @param ruleId    the rule, {@code default} for the default rule, or null
     */
    record Decision(String action, String vnicId, String direction, String ruleId) {
        @Override
        public String toString() {
            return vnicId == null ? action + " - not enforced here" : action + " " + ruleId + " on " + vnicId + " " + direction;
        }
    }

    /** An update this appliance cannot enforce; it is refused whole. */
    static final class UnsupportedUpdate extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedUpdate(String message) {
            super(message);
        }
    }

    private record Snapshot(Map<String, Wire.RuleSet> ruleSets, Map<String, List<Prefix>> groups,
                            Map<String, String> vnicOfAddress) {
    }

    private volatile Snapshot current = new Snapshot(Map.of(), Map.of(), Map.of());

    /**
     * Applies a full state or a delta.
     *
     * @return the generation each vNIC of the update now has
     */
    Map<String, Long> apply(Wire.Update update) throws UnsupportedUpdate {
        Snapshot old = current;
        Map<String, Wire.RuleSet> sets = update.full() ? new HashMap<>() : new HashMap<>(old.ruleSets());
        Map<String, List<Prefix>> groups = update.full() ? new HashMap<>() : new HashMap<>(old.groups());
        update.removedVnics().forEach(sets::remove);
        update.releasedGroups().forEach(groups::remove);
        for (Wire.AddressGroup g : update.addressGroups()) {
            try {
                groups.put(g.id(), g.prefixes().stream().map(Prefix::parse).toList());
            } catch (IllegalArgumentException e) {
                throw new UnsupportedUpdate("address group " + g.id() + ": " + e.getMessage());
            }
        }
        Map<String, Long> realized = new HashMap<>();
        for (Wire.RuleSet s : update.ruleSets()) {
            sets.put(s.vnicId(), s);
            realized.put(s.vnicId(), s.generation());
        }
        Map<String, String> vnicOfAddress = new HashMap<>();
        for (Wire.RuleSet s : sets.values()) {
            check(s, groups);
            for (String cidr : s.addresses()) {
                vnicOfAddress.put(key(Prefix.parse(cidr).network()), s.vnicId());
            }
        }
        current = new Snapshot(Map.copyOf(sets), Map.copyOf(groups), Map.copyOf(vnicOfAddress));
        return realized;
    }

    /** How many vNICs are enforced here. */
    int size() {
        return current.ruleSets().size();
    }

    Decision decide(Packet packet) {
        Snapshot t = current;
        byte[] source = Prefix.address(packet.source());
        byte[] destination = Prefix.address(packet.destination());
        String from = t.vnicOfAddress().get(key(source));
        String to = t.vnicOfAddress().get(key(destination));
        Decision out = null;
        if (from != null) {
            Wire.RuleSet set = t.ruleSets().get(from);
            out = evaluate(t, set, "OUT", set.outbound(), destination, packet);
            if (!out.action().equals("ALLOW")) {
                return out;
            }
        }
        if (to != null) {
            Wire.RuleSet set = t.ruleSets().get(to);
            return evaluate(t, set, "IN", set.inbound(), source, packet);
        }
        return out != null ? out : new Decision("ALLOW", null, null, null);
    }

    private static Decision evaluate(Snapshot t, Wire.RuleSet set, String direction, List<Wire.Rule> rules,
                                     byte[] remote, Packet packet) {
        for (Wire.Rule rule : rules) {
            if (!rule.staged() && remoteMatches(t, rule, remote) && servicesMatch(rule.services(), packet)) {
                return new Decision(rule.action(), set.vnicId(), direction, rule.ruleId());
            }
        }
        return new Decision(set.defaultAction(), set.vnicId(), direction, "default");
    }

    private static boolean remoteMatches(Snapshot t, Wire.Rule rule, byte[] remote) {
        if (rule.remoteGroup() == null) {
            return true;
        }
        boolean in = t.groups().get(rule.remoteGroup()).stream().anyMatch(p -> p.contains(remote));
        return in != rule.remoteNegated();
    }

    private static boolean servicesMatch(List<Wire.Service> services, Packet packet) {
        return services.isEmpty() || services.stream().anyMatch(s -> serviceMatches(s, packet));
    }

    private static boolean serviceMatches(Wire.Service s, Packet p) {
        if (s.protocol() != -1 && s.protocol() != p.protocol()) {
            return false;
        }
        if (p.protocol() == 6 || p.protocol() == 17) {
            return inRanges(s.destinationPorts(), p.destinationPort()) && inRanges(s.sourcePorts(), p.sourcePort());
        }
        if (p.protocol() == 1 || p.protocol() == 58) {
            return (s.icmpType() == null || s.icmpType() == p.sourcePort())
                    && (s.icmpCode() == null || s.icmpCode() == p.destinationPort());
        }
        return true;
    }

    private static boolean inRanges(List<int[]> ranges, int port) {
        return ranges.isEmpty() || ranges.stream().anyMatch(r -> port >= r[0] && port <= r[1]);
    }

    /** Refuses what this appliance would enforce wrongly: unknown actions, groups it was not sent. */
    private static void check(Wire.RuleSet set, Map<String, List<Prefix>> groups) throws UnsupportedUpdate {
        if (!ACTIONS.contains(set.defaultAction())) {
            throw new UnsupportedUpdate(set.vnicId() + ": unsupported default action " + set.defaultAction());
        }
        for (Wire.Rule rule : concat(set.inbound(), set.outbound())) {
            if (!ACTIONS.contains(rule.action())) {
                throw new UnsupportedUpdate(set.vnicId() + ": rule " + rule.ruleId() + " has unsupported action "
                        + rule.action());
            }
            if (rule.remoteGroup() != null && !groups.containsKey(rule.remoteGroup())) {
                throw new UnsupportedUpdate(set.vnicId() + ": rule " + rule.ruleId() + " names address group "
                        + rule.remoteGroup() + ", which was never sent");
            }
        }
    }

    private static List<Wire.Rule> concat(List<Wire.Rule> a, List<Wire.Rule> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The canonical text of an address, as the map keys it. */
    private static String key(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
