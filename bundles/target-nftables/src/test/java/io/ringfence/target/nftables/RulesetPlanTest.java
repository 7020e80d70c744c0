package io.ringfence.target.nftables;

import static io.ringfence.target.nftables.Rules.config;
import static io.ringfence.target.nftables.Rules.full;
import static io.ringfence.target.nftables.Rules.group;
import static io.ringfence.target.nftables.Rules.rule;
import static io.ringfence.target.nftables.Rules.ruleSet;
import static io.ringfence.target.nftables.Rules.staged;
import static io.ringfence.target.nftables.Rules.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.target.nftables.RulesetPlan.Direction;
import io.ringfence.target.nftables.RulesetPlan.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which changes keep an ALLOW decision (its connections stay on the fast path) and which renew it. */
class RulesetPlanTest {

    static final TargetRule WEB = rule("web", RuleAction.ALLOW, "clients", tcp(443));
    static final TargetRule SSH = rule("ssh", RuleAction.DROP, "clients", tcp(22));

    final Names names = new Names();

    @Test
    void addingAnAllowOrARuleFurtherDownKeepsTheDecision() {
        String before = decision(List.of(WEB, SSH), group("clients", "10.0.0.0/24"));

        assertThat(decision(List.of(WEB, SSH, rule("mail", RuleAction.ALLOW, null, tcp(25))),
                group("clients", "10.0.0.0/24"))).isEqualTo(before);
        assertThat(decision(List.of(rule("dns", RuleAction.ALLOW, null, tcp(53)), WEB), group("clients", "10.0.0.0/24")))
                .as("an ALLOW in front takes no connection away from it").isEqualTo(before);
    }

    @Test
    void aDropInFrontOrAChangeOfTheEntryOrItsGroupRenewsTheDecision() {
        String before = decision(List.of(WEB), group("clients", "10.0.0.0/24"));

        assertThat(decision(List.of(SSH, WEB), group("clients", "10.0.0.0/24"))).isNotEqualTo(before);
        assertThat(decision(List.of(rule("web", RuleAction.ALLOW, "clients", tcp(443, 8443))),
                group("clients", "10.0.0.0/24"))).isNotEqualTo(before);
        assertThat(decision(List.of(WEB), group("clients", "10.0.0.0/25"))).isNotEqualTo(before);
    }

    @Test
    void stagedEntriesAreLeftOutAndTheDefaultRuleEndsEveryChainWithItsCounter() {
        DesiredState state = DesiredState.EMPTY.with(full(1, List.of(ruleSet("v1", 1,
                List.of(staged("audit", RuleAction.DROP, null, tcp(80)), WEB), List.of(), RuleAction.ALLOW)),
                group("clients", "10.0.0.1")));
        RulesetPlan plan = new RulesetPlan(state, config(Map.of("v1", "vnet1")), names);

        List<Entry> in = plan.ports().get(0).in().entries();
        assertThat(in).extracting(e -> e.rule() == null ? "default" : e.rule().ruleId()).containsExactly("web", "default");
        assertThat(in.get(1).decision()).as("a default ALLOW is a decision too").isNotNull();
        assertThat(plan.ports().get(0).out().entries()).singleElement().satisfies(e -> assertThat(e.rule()).isNull());
        assertThat(plan.decisions(Direction.IN)).hasSize(2);
        assertThat(plan.decisions(Direction.OUT)).hasSize(1);
    }

    @Test
    void countersOfBothDirectionsAddUpPerVnicAndRule() {
        TargetRule both = rule("both", RuleAction.ALLOW, null);
        DesiredState state = DesiredState.EMPTY.with(full(1, List.of(ruleSet("v1", 1, List.of(both), List.of(both),
                RuleAction.DROP))));
        RulesetPlan plan = new RulesetPlan(state, config(Map.of("v1", "vnet1")), names);
        Map<String, long[]> readings = new java.util.HashMap<>();
        plan.ports().get(0).in().entries().forEach(e -> readings.put(e.counter(), new long[] {2, 200}));
        plan.ports().get(0).out().entries().forEach(e -> readings.put(e.counter(), new long[] {3, 300}));

        assertThat(plan.ruleCounters(readings)).containsExactlyInAnyOrder(new RuleCounter("v1", "both", 5, 500),
                new RuleCounter("v1", "default", 5, 500));
    }

    @Test
    void aPortKeepsItsNumberWhileItsInterfaceIsConfiguredWhetherItsVnicHasARuleSetOrNot() {
        RulesetPlan first = plan(List.of("a", "b"), RuleSetUpdate.DefaultRule.DENY);
        RulesetPlan second = plan(List.of("b", "c"), RuleSetUpdate.DefaultRule.DENY);

        for (String vnic : List.of("a", "b", "c")) {
            assertThat(number(second, vnic)).as(vnic).isEqualTo(number(first, vnic));
        }
        RulesetPlan third = new RulesetPlan(DesiredState.EMPTY.with(full(1, List.of())),
                config(Map.of("b", "vnet-b", "d", "vnet-d")), names);
        assertThat(number(third, "d")).as("a's and c's numbers are free again once unconfigured")
                .isIn(number(first, "a"), number(first, "c"));
    }

    @Test
    void aConfiguredVnicWhoseRuleSetHasNotComeEnforcesTheDefaultRuleOfTheUpdate() {
        RulesetPlan deny = plan(List.of("a"), RuleSetUpdate.DefaultRule.DENY);
        RulesetPlan.Port b = deny.ports().stream().filter(p -> p.vnicId().equals("b")).findFirst().orElseThrow();
        assertThat(List.of(b.out(), b.in())).allSatisfy(chain -> assertThat(chain.entries())
                .extracting(RulesetPlan.Entry::rule, RulesetPlan.Entry::action, RulesetPlan.Entry::decision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, RuleAction.DROP, null)));

        RulesetPlan allow = plan(List.of("a"), new RuleSetUpdate.DefaultRule(RuleAction.ALLOW, false));
        assertThat(allow.ports()).extracting(RulesetPlan.Port::vnicId).containsExactly("a", "b", "c");
        assertThat(allow.ports().get(2).in().entries()).singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo(RuleAction.ALLOW))
                .satisfies(e -> assertThat(e.decision()).isNotNull());
    }

    private RulesetPlan plan(List<String> vnics, RuleSetUpdate.DefaultRule defaultRule) {
        List<io.ringfence.spi.enforcement.TargetRuleSet> sets = new ArrayList<>();
        for (String v : vnics) {
            sets.add(ruleSet(v, 1, List.of(), List.of(), RuleAction.DROP));
        }
        RuleSetUpdate update = full(1, sets);
        return new RulesetPlan(DesiredState.EMPTY.with(new RuleSetUpdate(1, true, update.ruleSets(), List.of(),
                update.addressGroups(), List.of(), defaultRule)),
                config(Map.of("a", "vnet-a", "b", "vnet-b", "c", "vnet-c")), names);
    }

    private static int number(RulesetPlan plan, String vnic) {
        return plan.ports().stream().filter(p -> p.vnicId().equals(vnic)).findFirst().orElseThrow().number();
    }

    /** The decision of the entry "web" in vNIC v1's IN chain. */
    private String decision(List<TargetRule> in, AddressGroupSet... groups) {
        DesiredState state = DesiredState.EMPTY.with(full(1, List.of(ruleSet("v1", 1, in, List.of(), RuleAction.DROP)),
                groups));
        RulesetPlan plan = new RulesetPlan(state, config(Map.of("v1", "vnet1")), names);
        return plan.ports().get(0).in().entries().stream().filter(e -> e.rule() != null && e.rule().ruleId().equals("web"))
                .findFirst().orElseThrow().decision();
    }
}
