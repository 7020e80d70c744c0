package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.ModelFixtures.RuleBuilder;
import org.junit.jupiter.api.Test;

/**
 * Staged (audit-mode) rules on the agent: decided by the enforced rules only, would-be hits counted
 * and logged apart, new flows only, never a flow cut. The fixture's policy p1: r-mysql (10, web→db
 * tcp/3306 ALLOW), r-https (20, tcp/443 REJECT), r-dns (30, udp/53 REJECT); default DROP.
 */
class HostAgentStagedRuleTest {

    private final AgentFixture dc = new AgentFixture();

    private static RuleBuilder staged(String id, int sequence, Action action) {
        return rule(id).sequence(sequence).sources("g-web").destinations("g-db").action(action).staged(true);
    }

    @Test
    void aStagedDropAheadOfAnAllowDecidesNothingButCountsAndLogsWhatItWouldHaveCut() {
        dc.addRule(staged("s-cut", 5, Action.DROP).services("mysql").logged(true).tag("audit").build());

        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        assertThat(dc.h1.process("web1-0", Direction.OUT, syn, 10))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, "r-mysql");
        assertThat(dc.h2.process("db1-0", Direction.IN, syn, 11))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, "r-mysql");
        Packet synAck = Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK);
        assertThat(dc.h2.process("db1-0", Direction.OUT, synAck, 12).allowed()).isTrue();
        assertThat(dc.h1.process("web1-0", Direction.IN, synAck, 13).allowed()).isTrue();
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 14).allowed())
                .isTrue();

        // one would-be hit per host: the packet that opened the flow, not the rest of the flow
        assertThat(dc.h1.stagedRuleStats("s-cut")).isEqualTo(new RuleStats("s-cut", 1, 40, 1, 10));
        assertThat(dc.h2.stagedRuleStats("s-cut")).isEqualTo(new RuleStats("s-cut", 1, 40, 1, 11));
        assertThat(dc.h1.ruleStats("s-cut").packets()).as("a staged rule decides nothing").isZero();
        assertThat(dc.h1.ruleStats("r-mysql")).isEqualTo(new RuleStats("r-mysql", 3, 120, 1, 14));
        assertThat(dc.h1.stagedRuleStats("r-mysql").packets()).isZero();

        assertThat(dc.h1.flowLog(FlowLogQuery.all(10))).singleElement().satisfies(r -> {
            assertThat(r.staged()).isTrue();
            assertThat(r).extracting(FlowLogRecord::ruleId, FlowLogRecord::policyId, FlowLogRecord::tag,
                            FlowLogRecord::action, FlowLogRecord::actualRuleId, FlowLogRecord::actualAction)
                    .containsExactly("s-cut", "p1", "audit", Action.DROP, "r-mysql", Action.ALLOW);
            assertThat(r).extracting(FlowLogRecord::vnicId, FlowLogRecord::direction, FlowLogRecord::destinationPort)
                    .containsExactly("web1-0", Direction.OUT, 3306);
        });
    }

    @Test
    void aStagedAllowAheadOfTheDefaultRuleCountsEveryAttemptButNoSession() {
        dc.manager.create(Kind.SERVICE, service("ssh", tcp("22")), "t");
        dc.addRule(staged("s-ssh", 40, Action.ALLOW).services("ssh").build());

        Packet syn = Packet.tcp(WEB, 40000, DB, 22, Packet.SYN);
        assertThat(dc.h1.process("web1-0", Direction.OUT, syn, 10))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
        assertThat(dc.h1.process("web1-0", Direction.OUT, syn, 20).action()).as("retransmitted").isEqualTo(Action.DROP);

        assertThat(dc.h1.stagedRuleStats("s-ssh")).isEqualTo(new RuleStats("s-ssh", 2, 80, 0, 20));
        // the default rule logs its drops; the staged rule is not logged
        assertThat(dc.h1.flowLog(FlowLogQuery.all(10))).extracting(FlowLogRecord::ruleId, FlowLogRecord::staged)
                .containsOnly(tuple(Verdict.DEFAULT, false));
    }

    @Test
    void aStagedRuleBetweenEnforcedRulesWinsOnlyOverThoseAfterIt() {
        dc.addRule(staged("s-any", 15, Action.DROP).logged(true).build());

        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 1).ruleId())
                .isEqualTo("r-mysql");
        assertThat(dc.h1.stagedRuleStats("s-any").packets()).as("r-mysql comes first").isZero();

        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN), 2))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.REJECT, "r-https");
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 22, Packet.SYN), 3))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
        assertThat(dc.h1.stagedRuleStats("s-any")).isEqualTo(new RuleStats("s-any", 2, 80, 0, 3));

        assertThat(dc.h1.flowLog(new FlowLogQuery(null, null, null, null, true, 10)))
                .extracting(FlowLogRecord::actualRuleId, FlowLogRecord::actualAction)
                .containsExactly(tuple(Verdict.DEFAULT, Action.DROP),
                        tuple("r-https", Action.REJECT));
    }

    @Test
    void establishedFlowsAreNeitherReEvaluatedNorCutForAStagedRule() {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        dc.h1.process("web1-0", Direction.OUT, syn, 1);

        dc.addRule(staged("s-cut", 5, Action.DROP).services("mysql").build());

        Packet synAck = Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK);
        assertThat(dc.h1.process("web1-0", Direction.IN, synAck, 2))
                .extracting(Verdict::action, Verdict::fromFlowTable).containsExactly(Action.ALLOW, true);
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 3).allowed())
                .isTrue();
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsCut()).isZero();
        assertThat(dc.h1.tracker().flows("web1-0")).hasSize(1);
        assertThat(dc.h1.stagedRuleStats("s-cut").packets()).isZero();

        // a new flow is evaluated
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 4);
        assertThat(dc.h1.stagedRuleStats("s-cut").sessions()).isEqualTo(1);
    }

    @Test
    void onlyTheDirectionsOfVnicsThatHaveStagedEntriesGetAStagedTable() {
        assertThat(dc.h1.tables("web1-0").orElseThrow()).satisfies(t -> {
            assertThat(t.stagedIn()).isNull();
            assertThat(t.stagedOut()).isNull();
        });

        dc.addRule(staged("s-cut", 5, Action.DROP).services("mysql").build());

        VnicTables web = dc.h1.tables("web1-0").orElseThrow();
        assertThat(web.stagedOut()).isNotNull();
        assertThat(web.stagedOut().table().size()).isEqualTo(1);
        assertThat(web.stagedIn()).isNull();
        assertThat(web.out().size()).as("the enforced table leaves staged entries out").isEqualTo(3);
        assertThat(web.ruleSet().out()).hasSize(4);
        VnicTables db = dc.h2.tables("db1-0").orElseThrow();
        assertThat(db.stagedIn()).isNotNull();
        assertThat(db.stagedOut()).isNull();
        assertThat(dc.h2.tables("app2-0").orElseThrow().stagedOut()).isNull();
    }

    @Test
    void aDisabledStagedRuleIsNotEvaluatedAndAnEnforcedOneDecidesForReal() {
        dc.addRule(staged("s-cut", 5, Action.DROP).services("mysql").disabled(true).build());
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 1);
        assertThat(dc.h1.stagedRuleStats("s-cut").packets()).isZero();

        dc.replaceRule(staged("s-cut", 5, Action.DROP).services("mysql").build());
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 2);
        assertThat(dc.h1.stagedRuleStats("s-cut").packets()).isEqualTo(1);

        // enforced: it drops, and its would-be count stays what it was
        dc.replaceRule(staged("s-cut", 5, Action.DROP).services("mysql").staged(false).build());
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 3306, Packet.SYN), 3))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, "s-cut");
        assertThat(dc.h1.ruleStats("s-cut").packets()).isEqualTo(1);
        assertThat(dc.h1.stagedRuleStats("s-cut").packets()).isEqualTo(1);
        // enforcing cut the flow it now denies; staging never did
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsCut()).isEqualTo(2);
    }

    @Test
    void aTraceShowsWhatTheStagedRuleWouldHaveDecidedAndCountsNothing() {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        assertThat(dc.h1.trace("web1-0", Direction.OUT, syn, 1).staged()).isNull();

        dc.addRule(staged("s-cut", 5, Action.DROP).services("mysql").build());
        TraceStep step = dc.h1.trace("web1-0", Direction.OUT, syn, 2);
        assertThat(step).extracting(TraceStep::decidedBy, TraceStep::ruleId, TraceStep::action)
                .containsExactly(TraceStep.DecidedBy.RULE, "r-mysql", Action.ALLOW);
        assertThat(step.staged()).isEqualTo(new TraceStep.StagedDecision("s-cut", "p1", Action.DROP));
        assertThat(dc.h1.stagedRuleStats("s-cut").packets()).isZero();

        // a packet of a tracked flow is not evaluated for staged rules
        dc.h1.process("web1-0", Direction.OUT, syn, 3);
        TraceStep tracked = dc.h1.trace("web1-0", Direction.IN,
                Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), 4);
        assertThat(tracked.decidedBy()).isEqualTo(TraceStep.DecidedBy.FLOW_TABLE);
        assertThat(tracked.staged()).isNull();
    }
}
