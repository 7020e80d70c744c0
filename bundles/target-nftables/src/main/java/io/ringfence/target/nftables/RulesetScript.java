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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a plan out as one nft script, which {@code nft -f -} applies as one transaction: the
 * kernel switches from the old ruleset to the new one between two packets. The script flushes the
 * rules of both tables and writes them all again, refills every set and map, and deletes the
 * objects the plan no longer has; it never deletes the tables themselves, so that the named
 * counters keep counting and the resting tokens keep resting across updates. See the package
 * description for the layout.
 */
final class RulesetScript {

    /** The objects of the tables (what {@code delete} needs to name them), e.g. {@code chain inet t out_1}. */
    private final Set<String> objects = new LinkedHashSet<>();
    private final StringBuilder declarations = new StringBuilder();
    private final StringBuilder contents = new StringBuilder();
    private final String inet;
    private final String bridge;

    private RulesetScript(String table) {
        this.inet = "inet " + table;
        this.bridge = "bridge " + table;
    }

    /** The script and the objects it leaves in the tables. */
    record Rendered(String text, Set<String> objects) {
    }

    /**
     * @param previous the objects the tables hold now (their rules are flushed, their other contents
     *                 replaced; those not in the plan are deleted)
     * @param resting  tokens going to rest, per direction, with how long (seconds)
     */
    static Rendered render(RulesetPlan plan, VerdictTokens.Allocation tokens, String table, Set<String> previous,
                           List<Integer> restingOut, List<Integer> restingIn, long restSeconds) {
        RulesetScript s = new RulesetScript(table);
        s.write(plan, tokens, restingOut, restingIn, restSeconds);
        StringBuilder text = new StringBuilder(s.declarations.length() + s.contents.length() + 4096);
        text.append("add table ").append(s.inet).append('\n');
        text.append("flush table ").append(s.inet).append('\n');
        text.append("add table ").append(s.bridge).append('\n');
        text.append("flush table ").append(s.bridge).append('\n');
        text.append(s.declarations).append(s.contents);
        // stale objects last, once nothing refers to them: maps and sets, then chains, then counters
        List<String> stale = new ArrayList<>(previous);
        stale.removeAll(s.objects);
        for (String kind : List.of("map ", "set ", "chain ", "counter ")) {
            stale.stream().filter(o -> o.startsWith(kind)).forEach(o -> text.append("delete ").append(o).append('\n'));
        }
        return new Rendered(text.toString(), Set.copyOf(s.objects));
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
        plan.counters().keySet().forEach(c -> declare("counter " + inet + " " + c, ""));
        set("out_valid", "type mark;");
        set("in_valid", "type mark;");
        declare("set " + inet + " out_resting", " { type mark; flags timeout; }");
        declare("set " + inet + " in_resting", " { type mark; flags timeout; }");
        map("out_counters", "type mark : counter;");
        map("in_counters", "type mark : counter;");
        for (String m : List.of("out_orig", "in_orig", "out_reply", "in_reply")) {
            map(m, "type mark : verdict;");
        }
        for (Group g : plan.groups().values()) {
            set(g.v4Set(), "type ipv4_addr; flags interval;");
            set(g.v6Set(), "type ipv6_addr; flags interval;");
            elements(inet, g.v4Set(), g.v4());
            elements(inet, g.v6Set(), g.v6());
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
        elements(inet, "out_valid", validOut);
        elements(inet, "in_valid", validIn);
        elements(inet, "out_counters", countOut);
        elements(inet, "in_counters", countIn);
        elements(inet, "out_orig", outOrig);
        elements(inet, "in_orig", inOrig);
        elements(inet, "out_reply", outReply);
        elements(inet, "in_reply", inReply);
        String rest = " timeout " + restSeconds + "s";
        elements(inet, "out_resting", restingOut.stream().map(t -> hex(t << 16) + rest).toList());
        elements(inet, "in_resting", restingIn.stream().map(t -> hex(t) + rest).toList());

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
        objects.add("chain " + bridge + " tagging");
        declarations.append("add chain ").append(bridge)
                .append(" tagging { type filter hook forward priority -200; policy accept; }\n");
        declare("map " + bridge + " iif_tags", " { type ifname : mark; }");
        declare("map " + bridge + " oif_tags", " { type ifname : verdict; }");
        contents.append("flush map ").append(bridge).append(" iif_tags\n");
        contents.append("flush map ").append(bridge).append(" oif_tags\n");
        List<String> iif = new ArrayList<>();
        List<String> oif = new ArrayList<>();
        for (Port p : plan.ports()) {
            String chain = "oif_" + p.number();
            declare("chain " + bridge + " " + chain, "");
            contents.append("add rule ").append(bridge).append(' ').append(chain).append(" meta mark set meta mark | ")
                    .append(hex(p.number())).append('\n');
            iif.add('"' + p.ifname() + "\" : " + hex(p.number() << 16));
            oif.add('"' + p.ifname() + "\" : jump " + chain);
        }
        elements(bridge, "iif_tags", iif);
        elements(bridge, "oif_tags", oif);
        contents.append("add rule ").append(bridge).append(" tagging meta mark set 0\n");
        contents.append("add rule ").append(bridge).append(" tagging meta mark set iifname map @iif_tags\n");
        contents.append("add rule ").append(bridge).append(" tagging oifname vmap @oif_tags\n");
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
        objects.add("chain " + inet + " " + name);
        declarations.append("add chain ").append(inet).append(' ').append(name);
        if (spec != null) {
            declarations.append(' ').append(spec);
        }
        declarations.append('\n');
    }

    private void set(String name, String spec) {
        declare("set " + inet + " " + name, " { " + spec + " }");
        contents.append("flush set ").append(inet).append(' ').append(name).append('\n');
    }

    private void map(String name, String spec) {
        declare("map " + inet + " " + name, " { " + spec + " }");
        contents.append("flush map ").append(inet).append(' ').append(name).append('\n');
    }

    private void declare(String object, String spec) {
        objects.add(object);
        declarations.append("add ").append(object).append(spec).append('\n');
    }

    private void elements(String table, String name, List<String> elements) {
        // bounded lines: one huge element list costs nft more than several
        for (int i = 0; i < elements.size(); i += 1000) {
            contents.append("add element ").append(table).append(' ').append(name).append(" { ")
                    .append(String.join(", ", elements.subList(i, Math.min(elements.size(), i + 1000))))
                    .append(" }\n");
        }
    }

    private void rule(String chain, String rule) {
        contents.append("add rule ").append(inet).append(' ').append(chain).append(' ').append(rule).append('\n');
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
