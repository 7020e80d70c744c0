package io.ringfence.target.nftables;

import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.target.nftables.RulesetPlan.Chain;
import io.ringfence.target.nftables.RulesetPlan.Direction;
import io.ringfence.target.nftables.RulesetPlan.Entry;
import io.ringfence.target.nftables.RulesetPlan.Group;
import io.ringfence.target.nftables.RulesetPlan.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a plan out as one nft script, which {@code nft -f -} applies as one transaction: the
 * kernel switches from the old ruleset to the new one between two packets, and a refused script
 * changes nothing. The tables themselves are never deleted, so that the named counters keep
 * counting and the resting tokens keep resting across updates.
 *
 * <p>Every object the plan needs (chain with its rules, set or map with its elements, counter) is
 * rendered whole, then compared with what the previous script left: a <em>full</em> script flushes
 * both tables and writes everything again (the first update of a target, the framework's full
 * updates, and whenever the target does not know what the kernel holds); otherwise the script
 * declares the new objects, flushes and rewrites only the chains, sets and maps whose content
 * changed, and leaves the others alone. Both delete the objects the plan no longer has, last. See
 * the package description for the layout.
 */
final class RulesetScript {

    /**
     * What one object of the tables holds.
     *
     * @param spec       what follows its name when it is declared (hook, type, flags), or ""
     * @param lines      its rules (a chain) or elements (a set or map)
     * @param appendOnly elements are only ever added (the resting tokens, which the kernel expires)
     */
    record Content(String spec, List<String> lines, boolean appendOnly) {
    }

    /** The objects of the tables by what {@code add} and {@code delete} name them, e.g. {@code chain inet t out_1}. */
    private final Map<String, Content> objects = new LinkedHashMap<>();
    private final String inet;
    private final String bridge;

    private RulesetScript(String table) {
        this.inet = "inet " + table;
        this.bridge = "bridge " + table;
    }

    /**
     * The script and the objects the tables hold once it is applied.
     *
     * @param full    whether it rewrote everything
     */
    record Rendered(String text, Map<String, Content> objects, boolean full) {
    }

    /**
     * A full script: both tables flushed and written again.
     *
     * @param existing the objects the tables hold now, by name (those the plan lacks are deleted)
     * @param resting  tokens going to rest, per direction, for {@code restSeconds}
     */
    static Rendered full(RulesetPlan plan, VerdictTokens.Allocation tokens, String table, Set<String> existing,
                         List<Integer> restingOut, List<Integer> restingIn, long restSeconds) {
        RulesetScript s = new RulesetScript(table);
        s.write(plan, tokens, restingOut, restingIn, restSeconds);
        return s.assemble(null, existing);
    }

    /**
     * A script that changes what differs from {@code previous}, what the last script left.
     *
     * @param resting tokens going to rest, per direction, for {@code restSeconds}
     */
    static Rendered changes(RulesetPlan plan, VerdictTokens.Allocation tokens, String table,
                            Map<String, Content> previous, List<Integer> restingOut, List<Integer> restingIn,
                            long restSeconds) {
        RulesetScript s = new RulesetScript(table);
        s.write(plan, tokens, restingOut, restingIn, restSeconds);
        return s.assemble(previous, previous.keySet());
    }

    /** @param previous null for a full script */
    private Rendered assemble(Map<String, Content> previous, Set<String> existing) {
        boolean full = previous == null;
        StringBuilder text = new StringBuilder(1 << 16);
        text.append("add table ").append(inet).append('\n');
        text.append("add table ").append(bridge).append('\n');
        if (full) {
            text.append("flush table ").append(inet).append('\n');
            text.append("flush table ").append(bridge).append('\n');
        }
        objects.forEach((name, c) -> {
            if (full || !previous.containsKey(name)) {
                text.append("add ").append(name).append(c.spec()).append('\n');
            }
        });
        objects.forEach((name, c) -> {
            boolean known = !full && previous.containsKey(name);
            boolean changed = !known || !previous.get(name).lines().equals(c.lines());
            if (name.startsWith("chain ")) {
                String chain = name.substring("chain ".length());
                if (known && changed) {
                    text.append("flush chain ").append(chain).append('\n');
                }
                if (changed) {
                    c.lines().forEach(r -> text.append("add rule ").append(chain).append(' ').append(r).append('\n'));
                }
            } else if (c.appendOnly()) {
                elements(text, name, c.lines());
            } else if (name.startsWith("set ") || name.startsWith("map ")) {
                if (changed) {
                    // a flushed table keeps its sets' elements: refill them all
                    text.append("flush ").append(name).append('\n');
                    elements(text, name, c.lines());
                }
            }
        });
        // stale objects last, once nothing refers to them: maps and sets, then chains, then counters
        List<String> stale = new ArrayList<>(existing);
        stale.removeAll(objects.keySet());
        for (String kind : List.of("map ", "set ", "chain ", "counter ")) {
            stale.stream().filter(o -> o.startsWith(kind)).forEach(o -> text.append("delete ").append(o).append('\n'));
        }
        Map<String, Content> held = new LinkedHashMap<>(objects);
        held.replaceAll((name, c) -> c.appendOnly() ? new Content(c.spec(), List.of(), true) : c);
        return new Rendered(text.toString(), held, full);
    }

    /** Element lines of bounded length: one huge element list costs nft more than several. */
    private static void elements(StringBuilder text, String object, List<String> elements) {
        String target = object.substring(object.indexOf(' ') + 1);
        for (int i = 0; i < elements.size(); i += 1000) {
            text.append("add element ").append(target).append(" { ")
                    .append(String.join(", ", elements.subList(i, Math.min(elements.size(), i + 1000))))
                    .append(" }\n");
        }
    }

    private void write(RulesetPlan plan, VerdictTokens.Allocation tokens, List<Integer> restingOut,
                       List<Integer> restingIn, long restSeconds) {
        writeTagging(plan);
        chain("dispatch", "{ type filter hook forward priority filter; policy accept; }");
        chain("fastpath", null);
        for (Port p : plan.ports()) {
            chain(p.out().name(), null);
            chain(p.in().name(), null);
        }
        plan.counters().keySet().forEach(c -> objects.put("counter " + inet + " " + c, new Content("", List.of(), false)));
        set("out_valid", "type mark;");
        set("in_valid", "type mark;");
        String rest = " timeout " + restSeconds + "s";
        objects.put("set " + inet + " out_resting", new Content(" { type mark; flags timeout; }",
                restingOut.stream().map(t -> hex(t << 16) + rest).toList(), true));
        objects.put("set " + inet + " in_resting", new Content(" { type mark; flags timeout; }",
                restingIn.stream().map(t -> hex(t) + rest).toList(), true));
        map("out_counters", "type mark : counter;");
        map("in_counters", "type mark : counter;");
        for (String m : List.of("out_orig", "in_orig", "out_reply", "in_reply")) {
            map(m, "type mark : verdict;");
        }
        for (Group g : plan.groups().values()) {
            set(g.v4Set(), "type ipv4_addr; flags interval;");
            set(g.v6Set(), "type ipv6_addr; flags interval;");
            elements("set", g.v4Set(), g.v4());
            elements("set", g.v6Set(), g.v6());
        }

        Map<String, Integer> out = tokens.out().tokens();
        Map<String, Integer> in = tokens.in().tokens();
        List<String> validOut = new ArrayList<>(List.of(hex(0)));
        List<String> validIn = new ArrayList<>(List.of(hex(0)));
        List<String> countOut = new ArrayList<>();
        List<String> countIn = new ArrayList<>();
        List<String> outOrig = new ArrayList<>();
        List<String> inOrig = new ArrayList<>();
        List<String> outReply = new ArrayList<>();
        List<String> inReply = new ArrayList<>();
        for (Port p : plan.ports()) {
            String high = hex(p.number() << 16);
            String low = hex(p.number());
            // the initiator's OUT chain and the responder's IN chain, whichever way the packet goes
            outOrig.add(high + " : jump " + p.out().name());
            inOrig.add(low + " : jump " + p.in().name());
            outReply.add(low + " : jump " + p.out().name());
            inReply.add(high + " : jump " + p.in().name());
            for (Entry e : p.out().entries()) {
                if (e.decision() != null) {
                    int t = out.get(e.decision());
                    validOut.add(hex(t << 16));
                    countOut.add(hex(t << 16) + " : \"" + e.counter() + "\"");
                }
            }
            for (Entry e : p.in().entries()) {
                if (e.decision() != null) {
                    int t = in.get(e.decision());
                    validIn.add(hex(t));
                    countIn.add(hex(t) + " : \"" + e.counter() + "\"");
                }
            }
            writeChain(p.out(), out, plan);
            writeChain(p.in(), in, plan);
        }
        elements("set", "out_valid", validOut);
        elements("set", "in_valid", validIn);
        elements("map", "out_counters", countOut);
        elements("map", "in_counters", countIn);
        elements("map", "out_orig", outOrig);
        elements("map", "in_orig", inOrig);
        elements("map", "out_reply", outReply);
        elements("map", "in_reply", inReply);

        rule("dispatch", "meta mark 0 accept");
        // neighbour discovery is to IPv6 what ARP is to IPv4, and ARP never reaches these hooks
        rule("dispatch", "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept");
        rule("dispatch", "ct state invalid drop");
        rule("dispatch", "ct state established,related ct mark & 0xffff0000 @out_valid ct mark & 0x0000ffff @in_valid"
                + " goto fastpath");
        rule("dispatch", "ct state related drop");
        rule("dispatch", "ct direction original meta mark & 0xffff0000 vmap @out_orig");
        rule("dispatch", "ct direction original meta mark & 0x0000ffff vmap @in_orig");
        rule("dispatch", "ct direction reply meta mark & 0x0000ffff vmap @out_reply");
        rule("dispatch", "ct direction reply meta mark & 0xffff0000 vmap @in_reply");
        rule("fastpath", "counter name ct mark & 0xffff0000 map @out_counters");
        rule("fastpath", "counter name ct mark & 0x0000ffff map @in_counters");
        rule("fastpath", "accept");
    }

    /** The bridge table: tags each frame's mark with its ports' numbers, input high, output low. */
    private void writeTagging(RulesetPlan plan) {
        String tagging = "chain " + bridge + " tagging";
        objects.put(tagging, new Content(" { type filter hook forward priority -200; policy accept; }", new ArrayList<>(),
                false));
        List<String> iif = new ArrayList<>();
        List<String> oif = new ArrayList<>();
        for (Port p : plan.ports()) {
            String chain = "oif_" + p.number();
            objects.put("chain " + bridge + " " + chain, new Content("",
                    List.of("meta mark set meta mark | " + hex(p.number())), false));
            iif.add('"' + p.ifname() + "\" : " + hex(p.number() << 16));
            oif.add('"' + p.ifname() + "\" : jump " + chain);
        }
        objects.put("map " + bridge + " iif_tags", new Content(" { type ifname : mark; }", iif, false));
        objects.put("map " + bridge + " oif_tags", new Content(" { type ifname : verdict; }", oif, false));
        objects.get(tagging).lines().addAll(List.of("meta mark set 0", "meta mark set iifname map @iif_tags",
                "oifname vmap @oif_tags"));
    }

    private void writeChain(Chain chain, Map<String, Integer> tokens, RulesetPlan plan) {
        for (Entry e : chain.entries()) {
            String verdict = verdict(e, chain.direction(), tokens);
            String count = "counter name \"" + e.counter() + "\" ";
            if (e.rule() == null) {
                rejectSplit(chain.name(), "", count, e.action(), verdict);
                continue;
            }
            for (String match : matches(e.rule(), chain.direction(), plan)) {
                rejectSplit(chain.name(), match, count, e.action(), verdict);
            }
        }
    }

    /** REJECT answers TCP with a reset and anything else with ICMP: two rules when the match admits both. */
    private void rejectSplit(String chain, String match, String count, RuleAction action, String verdict) {
        if (action == RuleAction.REJECT && match.contains("meta l4proto tcp ")) {
            rule(chain, match + count + "reject with tcp reset");
            return;
        }
        if (action == RuleAction.REJECT && !match.contains("meta l4proto ")) {
            rule(chain, "meta l4proto tcp " + match + count + "reject with tcp reset");
        }
        rule(chain, match + count + verdict);
    }

    private static String verdict(Entry e, Direction direction, Map<String, Integer> tokens) {
        return switch (e.action()) {
            case ALLOW -> {
                int t = tokens.get(e.decision());
                yield direction == Direction.OUT
                        ? "ct mark set ct mark & 0x0000ffff | " + hex(t << 16) + " return"
                        : "ct mark set ct mark & 0xffff0000 | " + hex(t) + " return";
            }
            case DROP -> "drop";
            case REJECT -> "reject with icmpx type admin-prohibited";
        };
    }

    /**
     * The matches of one entry: one per service and address family it needs. They read the
     * connection's original tuple, not the packet, so that a reply classified again after a change
     * is judged as its connection was: by who opened it, to where.
     */
    private static List<String> matches(TargetRule r, Direction direction, RulesetPlan plan) {
        List<String> families = new ArrayList<>();
        String side = direction == Direction.OUT ? "daddr" : "saddr";
        String not = r.remoteNegated() ? "!= " : "";
        if (r.remoteGroup() == null) {
            families.add("");
        } else {
            Group g = plan.groups().get(r.remoteGroup());
            if (r.remoteNegated() || !g.v4().isEmpty()) {
                families.add("ct original ip " + side + " " + not + "@" + g.v4Set() + " ");
            }
            if (r.remoteNegated() || !g.v6().isEmpty()) {
                families.add("ct original ip6 " + side + " " + not + "@" + g.v6Set() + " ");
            }
        }
        List<String> services = new ArrayList<>();
        if (r.services().isEmpty()) {
            services.add("");
        }
        for (TargetService s : r.services()) {
            services.add(service(s));
        }
        List<String> out = new ArrayList<>();
        for (String family : families) {
            for (String service : services) {
                boolean v4 = family.contains(" ip ");
                boolean v6 = family.contains(" ip6 ");
                if ((v6 && service.startsWith("meta l4proto icmp ")) || (v4 && service.startsWith("meta l4proto ipv6-icmp "))) {
                    continue; // ICMP has no IPv6 addresses, ICMPv6 no IPv4 ones
                }
                out.add(family + service);
            }
        }
        return out;
    }

    private static String service(TargetService s) {
        StringBuilder sb = new StringBuilder();
        switch (s.protocol()) {
            case -1 -> {
                return "";
            }
            case 6 -> sb.append("meta l4proto tcp ");
            case 17 -> sb.append("meta l4proto udp ");
            case 1 -> sb.append("meta l4proto icmp ");
            case 58 -> sb.append("meta l4proto ipv6-icmp ");
            default -> {
                if (s.protocol() < 0 || s.protocol() > 255) {
                    throw new IllegalArgumentException("protocol out of range: " + s.protocol());
                }
                sb.append("meta l4proto ").append(s.protocol()).append(' ');
            }
        }
        if (s.protocol() == 6 || s.protocol() == 17) {
            ports(sb, "proto-dst", s.destinationPorts());
            ports(sb, "proto-src", s.sourcePorts());
        } else if ((s.protocol() == 1 || s.protocol() == 58) && s.icmpType() != null) {
            // conntrack keeps an ICMP query's type and code where a port would be: type * 256 + code
            int type = byteValue(s.icmpType(), "ICMP type");
            sb.append("ct original proto-dst ");
            if (s.icmpCode() == null) {
                sb.append(type * 256).append('-').append(type * 256 + 255);
            } else {
                sb.append(type * 256 + byteValue(s.icmpCode(), "ICMP code"));
            }
            sb.append(' ');
        }
        return sb.toString();
    }

    private static void ports(StringBuilder sb, String field, List<int[]> ranges) {
        if (ranges.isEmpty()) {
            return;
        }
        // sorted and merged: nft refuses overlapping intervals in one set
        TreeMap<Integer, Integer> sorted = new TreeMap<>();
        for (int[] r : ranges) {
            int from = portValue(r[0]);
            int to = portValue(r[1]);
            if (from > to) {
                throw new IllegalArgumentException("port range " + from + "-" + to + " is reversed");
            }
            sorted.merge(from, to, Math::max);
        }
        List<String> merged = new ArrayList<>();
        int from = -1;
        int to = -1;
        for (Map.Entry<Integer, Integer> r : sorted.entrySet()) {
            if (from >= 0 && r.getKey() <= to + 1) {
                to = Math.max(to, r.getValue());
                continue;
            }
            if (from >= 0) {
                merged.add(range(from, to));
            }
            from = r.getKey();
            to = r.getValue();
        }
        merged.add(range(from, to));
        sb.append("ct original ").append(field).append(' ')
                .append(merged.size() == 1 ? merged.get(0) : "{ " + String.join(", ", merged) + " }").append(' ');
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    private static int portValue(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    private static int byteValue(int value, String what) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(what + " out of range: " + value);
        }
        return value;
    }

    private void chain(String name, String spec) {
        objects.put("chain " + inet + " " + name, new Content(spec == null ? "" : " " + spec, new ArrayList<>(), false));
    }

    private void set(String name, String spec) {
        objects.put("set " + inet + " " + name, new Content(" { " + spec + " }", new ArrayList<>(), false));
    }

    private void map(String name, String spec) {
        objects.put("map " + inet + " " + name, new Content(" { " + spec + " }", new ArrayList<>(), false));
    }

    private void elements(String kind, String name, List<String> elements) {
        objects.get(kind + " " + inet + " " + name).lines().addAll(elements);
    }

    private void rule(String chain, String rule) {
        objects.get("chain " + inet + " " + chain).lines().add(rule);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code 0x} and eight hex digits (String.format would be a tenth of the rendering time). */
    static String hex(int value) {
        char[] c = new char[10];
        c[0] = '0';
        c[1] = 'x';
        for (int i = 9, v = value; i >= 2; i--, v >>>= 4) {
            c[i] = HEX[v & 0xF];
        }
        return new String(c);
    }
}
