package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.APP2;
import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static io.ringfence.dataplane.agent.AgentFixture.webToDb;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What rule-set deltas do to tables and to live flows. */
class HostAgentUpdateTest {

    private final AgentFixture dc = new AgentFixture();

    @Test
    void theFullStateInstallsTheTablesOfTheHostsVnicsOnly() {
        assertThat(dc.h1.vnics()).containsExactly("web1-0");
        assertThat(dc.h2.vnics()).containsExactlyInAnyOrder("db1-0", "app2-0");
        assertThat(dc.h1.tables("web1-0").orElseThrow().out().size()).isEqualTo(3);
    }

    @Test
    void changingTheAllowingRuleToDropCutsTheEstablishedFlowOnItsNextPacket() {
        handshake(10);
        dc.replaceRule(webToDb("r-mysql", 10, "mysql", Action.DROP));

        Verdict next = dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 20);
        assertThat(next.action()).isEqualTo(Action.DROP);
        assertThat(next.fromFlowTable()).isFalse();
        assertThat(dc.h1.tracker().flows("web1-0")).isEmpty();
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsCut()).isEqualTo(1);
        // a new connection is now denied by the rule itself
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 21))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, "r-mysql");
    }

    @Test
    void anUnrelatedRuleChangeKeepsTheEstablishedFlow() {
        handshake(10);
        long before = dc.h1.tables("web1-0").orElseThrow().generation();
        dc.addRule(webToDb("r-https-too", 5, "https", Action.ALLOW));
        assertThat(dc.h1.tables("web1-0").orElseThrow().generation()).isGreaterThan(before);

        Verdict next = dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 20);
        assertThat(next).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", true);
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsCut()).isZero();
    }

    @Test
    void aVmJoiningTheRemoteGroupTakesEffectWithoutAnyTableBeingResent() {
        Packet syn = Packet.tcp(WEB, 40000, APP2, 3306, Packet.SYN);
        assertThat(dc.h1.process("web1-0", Direction.OUT, syn, 1).action()).isEqualTo(Action.DROP);
        long generation = dc.h1.tables("web1-0").orElseThrow().generation();
        int sent = dc.h1Deltas.size();

        dc.retag("app2", List.of("app:db"));

        List<HostDelta> deltas = dc.h1Deltas.subList(sent, dc.h1Deltas.size());
        assertThat(deltas).isNotEmpty().allSatisfy(d -> assertThat(d.ruleSets()).isEmpty());
        assertThat(deltas).flatExtracting(HostDelta::addressGroups).extracting(AddressGroup::id).contains("g-db");
        assertThat(dc.h1.tables("web1-0").orElseThrow().generation()).isEqualTo(generation);
        assertThat(dc.h1.process("web1-0", Direction.OUT, syn, 2))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, "r-mysql");
    }

    @Test
    void aVmLeavingTheRemoteGroupCutsItsFlows() {
        handshake(10);
        dc.retag("db1", List.of());
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 20).action())
                .isEqualTo(Action.DROP);
    }

    @Test
    void aRemovedVnicLosesItsTablesAndFlows() {
        handshake(10);
        dc.manager.delete(Kind.VM, "web1", null, "t");
        assertThat(dc.h1.vnics()).isEmpty();
        assertThat(dc.h1.tracker().flows("web1-0")).isEmpty();
        assertThat(dc.h1.vnicStats("web1-0")).isEmpty();
        // its flow is gone (a late ACK is invalid) and a new flow meets the default rule
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 20))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.INVALID);
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 21))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
    }

    @Test
    void aFullDeltaReplacesEverything() {
        handshake(10);
        VnicRuleSet web = dc.h1.tables("web1-0").orElseThrow().ruleSet();
        dc.h1.accept(new HostDelta("h1", web.generation() + 1, true, List.of(), List.of(), List.of(), List.of()));
        assertThat(dc.h1.vnics()).isEmpty();
        assertThat(dc.h1.tracker().size()).isZero();
    }

    @Test
    void aRuleSetNamingAnUnknownAddressGroupKeepsThePreviousTables() {
        VnicTables before = dc.h1.tables("web1-0").orElseThrow();
        VnicRuleSet broken = before.ruleSet();
        dc.h1.accept(new HostDelta("h1", broken.generation() + 1, false, List.of(broken), List.of(), List.of(),
                List.of("g-db")));
        assertThat(dc.h1.tables("web1-0")).containsSame(before);
        assertThat(dc.h1.stats().buildFailures()).isEqualTo(1);
    }

    private void handshake(long now) {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        Packet synAck = Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK);
        Packet ack = Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK);
        assertThat(List.of(
                dc.h1.process("web1-0", Direction.OUT, syn, now),
                dc.h1.process("web1-0", Direction.IN, synAck, now + 1),
                dc.h1.process("web1-0", Direction.OUT, ack, now + 2))).allMatch(Verdict::allowed);
    }
}
