package io.ringfence.target.nftables;

import static io.ringfence.target.nftables.Rules.config;
import static io.ringfence.target.nftables.Rules.full;
import static io.ringfence.target.nftables.Rules.group;
import static io.ringfence.target.nftables.Rules.icmp;
import static io.ringfence.target.nftables.Rules.negated;
import static io.ringfence.target.nftables.Rules.rule;
import static io.ringfence.target.nftables.Rules.ruleSet;
import static io.ringfence.target.nftables.Rules.tcp;
import static io.ringfence.target.nftables.Rules.tcpRange;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.target.nftables.RulesetPlan.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The script one plan becomes. vNIC "vnic-ID-1" on vnet1: IN web (ALLOW from clients, tcp 443,
 * 444, 8443), ping (REJECT, ICMP echo), ssh (REJECT any protocol from outside admins); OUT any
 * ALLOW; default DROP.
 */
class RulesetScriptTest {

    static final TargetRule WEB = rule("rule-ID-web", RuleAction.ALLOW, "group-ID-clients", tcp(443, 444, 8443));
    static final TargetRule PING = rule("rule-ID-ping", RuleAction.REJECT, null, icmp(8, null));
    static final TargetRule NOT_ADMINS = negated("rule-ID-admins", RuleAction.REJECT, "group-ID-admins");
    static final TargetRule OUT = rule("rule-ID-out", RuleAction.ALLOW, null);

    final Names names = new Names();
    final VerdictTokens tokens = new VerdictTokens(Duration.ofDays(5));
    final Instant now = Instant.parse("2024-05-01T00:00:00Z");

    String render(Set<String> previous, List<Integer> restingOut) {
        DesiredState state = DesiredState.EMPTY.with(full(1, List.of(ruleSet("vnic-ID-1", 1,
                        List.of(WEB, PING, NOT_ADMINS), List.of(OUT), RuleAction.DROP)),
                group("group-ID-clients", "10.0.0.0/24", "2001:db8::/64"), group("group-ID-admins", "10.9.9.9")));
        RulesetPlan plan = new RulesetPlan(state, config(Map.of("vnic-ID-1", "vnet1")), names);
        VerdictTokens.Allocation a = tokens.allocate(plan.decisions(Direction.OUT), plan.decisions(Direction.IN), now);
        return RulesetScript.full(plan, a, "ringfence", previous, restingOut, List.of(), 3600).text();
    }

    @Test
    void theTablesAreFlushedNotDeletedAndEveryEntryMatchesTheConnectionsOriginalTuple() {
        String script = render(Set.of(), List.of());
        List<String> lines = script.lines().toList();

        assertThat(lines.subList(0, 4)).containsExactly("add table inet ringfence", "add table bridge ringfence",
                "flush table inet ringfence", "flush table bridge ringfence");
        assertThat(script).doesNotContain("delete table");
        assertThat(lines).filteredOn(l -> l.startsWith("add rule inet ringfence in_1 ")).extracting(l -> l
                        .replaceAll("\"c_[a-z2-7]+\"", "C").substring("add rule inet ringfence in_1 ".length()))
                .containsExactly(
                        "ct original ip saddr @g2_4 meta l4proto tcp ct original proto-dst { 443-444, 8443 } counter name C"
                                + " ct mark set ct mark & 0xffff0000 | 0x00000001 return",
                        "ct original ip6 saddr @g2_6 meta l4proto tcp ct original proto-dst { 443-444, 8443 } counter name C"
                                + " ct mark set ct mark & 0xffff0000 | 0x00000001 return",
                        "meta l4proto icmp ct original proto-dst 2048-2303 counter name C"
                                + " reject with icmpx type admin-prohibited",
                        "meta l4proto tcp ct original ip saddr != @g1_4 counter name C reject with tcp reset",
                        "ct original ip saddr != @g1_4 counter name C reject with icmpx type admin-prohibited",
                        "meta l4proto tcp ct original ip6 saddr != @g1_6 counter name C reject with tcp reset",
                        "ct original ip6 saddr != @g1_6 counter name C reject with icmpx type admin-prohibited",
                        "counter name C drop");
        assertThat(lines).filteredOn(l -> l.startsWith("add rule inet ringfence out_1 ")).hasSize(2).first()
                .asString().endsWith("ct mark set ct mark & 0x0000ffff | 0x00010000 return");
    }

    @Test
    void theMapsAndSetsHoldTheTokensPortsAndAddresses() {
        String script = render(Set.of(), List.of());

        assertThat(script).contains("add element inet ringfence out_valid { 0x00000000, 0x00010000 }\n",
                "add element inet ringfence in_valid { 0x00000000, 0x00000001 }\n",
                "add element inet ringfence out_orig { 0x00010000 : jump out_1 }\n",
                "add element inet ringfence in_orig { 0x00000001 : jump in_1 }\n",
                "add element inet ringfence out_reply { 0x00000001 : jump out_1 }\n",
                "add element inet ringfence in_reply { 0x00010000 : jump in_1 }\n",
                "add element inet ringfence g2_4 { 10.0.0.0/24 }\n",
                "add element inet ringfence g2_6 { 2001:db8:0:0:0:0:0:0/64 }\n",
                "add element inet ringfence g1_4 { 10.9.9.9/32 }\n",
                "add element bridge ringfence iif_tags { \"vnet1\" : 0x00010000 }\n",
                "add element bridge ringfence oif_tags { \"vnet1\" : jump oif_1 }\n",
                "add rule bridge ringfence oif_1 meta mark set meta mark | 0x00000001\n");
        assertThat(script).as("admins have no IPv6 address: an empty set").doesNotContain("add element inet ringfence g1_6")
                .contains("add set inet ringfence g1_6 ");
        assertThat(script).containsPattern("add element inet ringfence in_counters \\{ 0x00000001 : \"c_[a-z2-7]{26}\" }");
    }

    @Test
    void noIdFromTheModelReachesTheScript() {
        assertThat(render(Set.of(), List.of())).doesNotContain("ID");
    }

    @Test
    void staleObjectsAreDeletedLastMapsThenSetsThenChainsThenCounters() {
        String script = render(Set.of("counter inet ringfence c_old", "chain inet ringfence in_7",
                "set inet ringfence g9_4", "map bridge ringfence old_map", "chain inet ringfence in_1"), List.of(5));
        List<String> lines = script.lines().toList();

        assertThat(lines.subList(lines.size() - 4, lines.size())).containsExactly("delete map bridge ringfence old_map",
                "delete set inet ringfence g9_4", "delete chain inet ringfence in_7", "delete counter inet ringfence c_old");
        assertThat(script).doesNotContain("delete chain inet ringfence in_1")
                .contains("add element inet ringfence out_resting { 0x00050000 timeout 3600s }\n")
                .doesNotContain("flush set inet ringfence out_resting");
    }

    @Test
    void anIcmpCodeIsMatchedExactlyAndIcmpNeverMeetsIpv6Addresses() {
        TargetRule unreachable = rule("u", RuleAction.DROP, "group-ID-clients", icmp(3, 4));
        TargetRule range = rule("r", RuleAction.DROP, null, tcpRange(1000, 2000), new TargetService(17,
                List.of(new int[] {53, 53}), List.of(new int[] {1024, 65535}), null, null));
        DesiredState state = DesiredState.EMPTY.with(full(1, List.of(ruleSet("v", 1, List.of(unreachable, range),
                List.of(), RuleAction.DROP)), group("group-ID-clients", "10.0.0.0/24", "2001:db8::/64")));
        RulesetPlan plan = new RulesetPlan(state, config(Map.of("v", "vnet1")), names);
        String script = RulesetScript.full(plan, tokens.allocate(Set.of(), Set.of(), now), "ringfence", Set.of(),
                List.of(), List.of(), 1).text();

        assertThat(script).contains("in_1 ct original ip saddr @g1_4 meta l4proto icmp ct original proto-dst 772 counter")
                .doesNotContain("ip6 saddr @g1_6 meta l4proto icmp")
                .contains("in_1 meta l4proto tcp ct original proto-dst 1000-2000 counter")
                .contains("in_1 meta l4proto udp ct original proto-dst 53 ct original proto-src 1024-65535 counter");
    }

    @Test
    void aScriptOfChangesRewritesOnlyWhatDiffers() {
        RulesetScript.Rendered first = renderChanges(List.of(WEB, PING), "10.9.9.9", null);
        assertThat(first.full()).isTrue();

        RulesetScript.Rendered same = renderChanges(List.of(WEB, PING), "10.9.9.9", first.objects());
        assertThat(same.full()).isFalse();
        assertThat(same.text()).as("nothing changed: nothing but the tables' declarations")
                .isEqualTo("add table inet ringfence\nadd table bridge ringfence\n");

        RulesetScript.Rendered moved = renderChanges(List.of(WEB, PING), "10.9.9.8", same.objects());
        assertThat(moved.text().lines()).as("a group no entry of the chain uses: its set alone")
                .containsExactly("add table inet ringfence", "add table bridge ringfence",
                        "flush set inet ringfence g1_4", "add element inet ringfence g1_4 { 10.9.9.8/32 }");

        RulesetScript.Rendered edited = renderChanges(List.of(PING, WEB), "10.9.9.8", moved.objects());
        assertThat(edited.text()).contains("flush chain inet ringfence in_1\nadd rule inet ringfence in_1 meta l4proto icmp")
                .as("a REJECT in front of web: web's decision is renewed, with a new token")
                .contains("add element inet ringfence in_valid { 0x00000000, 0x00000002 }")
                .doesNotContain("out_1", "flush table", "flush set inet ringfence g");
    }

    @Test
    void aScriptOfChangesDeclaresWhatIsNewAndDeletesWhatIsGone() {
        RulesetScript.Rendered first = renderChanges(List.of(WEB), "10.9.9.9", null);
        DesiredState other = DesiredState.EMPTY.with(full(2, List.of(ruleSet("vnic-ID-2", 1, List.of(), List.of(),
                RuleAction.DROP)), group("group-ID-clients", "10.0.0.0/24"), group("group-ID-servers", "10.1.0.0/24")));
        RulesetPlan plan = new RulesetPlan(other, config(Map.of("vnic-ID-2", "vnet2")), names);
        String script = RulesetScript.changes(plan, tokens.allocate(plan.decisions(Direction.OUT),
                plan.decisions(Direction.IN), now), "ringfence", first.objects(), List.of(), List.of(), 1).text();

        assertThat(script).doesNotContain("flush table")
                .as("servers took the admins' number: their set is refilled")
                .contains("flush set inet ringfence g1_4\nadd element inet ringfence g1_4 { 10.1.0.0/24 }\n",
                        "add counter inet ringfence " + Names.counter("vnic-ID-2", "IN", "default") + "\n",
                        "flush map bridge ringfence iif_tags\nadd element bridge ringfence iif_tags { \"vnet2\" : 0x00010000 }\n",
                        "delete counter inet ringfence " + Names.counter("vnic-ID-1", "IN", "rule-ID-web") + "\n")
                .as("vnet2 took vnet1's free number: its chains are rewritten, not declared")
                .contains("flush chain inet ringfence in_1\n").doesNotContain("add chain inet ringfence in_1");
        assertThat(script.lines().filter(l -> l.startsWith("delete ")))
                .as("the counters of vnic-ID-1")
                .containsExactlyInAnyOrder("delete counter inet ringfence " + Names.counter("vnic-ID-1", "OUT", "rule-ID-out"),
                        "delete counter inet ringfence " + Names.counter("vnic-ID-1", "OUT", "default"),
                        "delete counter inet ringfence " + Names.counter("vnic-ID-1", "IN", "rule-ID-web"),
                        "delete counter inet ringfence " + Names.counter("vnic-ID-1", "IN", "default"));
    }

    private RulesetScript.Rendered renderChanges(List<TargetRule> in, String admins,
                                                 Map<String, RulesetScript.Content> previous) {
        DesiredState state = DesiredState.EMPTY.with(full(1, List.of(ruleSet("vnic-ID-1", 1, in, List.of(OUT),
                RuleAction.DROP)), group("group-ID-clients", "10.0.0.0/24"), group("group-ID-admins", admins)));
        RulesetPlan plan = new RulesetPlan(state, config(Map.of("vnic-ID-1", "vnet1")), names);
        VerdictTokens.Allocation a = tokens.allocate(plan.decisions(Direction.OUT), plan.decisions(Direction.IN), now);
        tokens.commit(a, now);
        return previous == null ? RulesetScript.full(plan, a, "ringfence", Set.of(), List.of(), List.of(), 1)
                : RulesetScript.changes(plan, a, "ringfence", previous, List.of(), List.of(), 1);
    }
}
