package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-rule, per-vNIC and host counters. */
class HostAgentStatsTest {

    @Test
    void ruleCountersCountPacketsBytesSessionsAndTheLastHitIncludingFlowTableHits() {
        AgentFixture dc = new AgentFixture();
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 10);
        dc.h1.process("web1-0", Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), 11);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 12);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN), 13);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 22, Packet.SYN), 14);

        assertThat(dc.h1.ruleStats("r-mysql")).isEqualTo(new RuleStats("r-mysql", 3, 120, 1, 12));
        assertThat(dc.h1.ruleStats("r-https")).isEqualTo(new RuleStats("r-https", 1, 40, 0, 13));
        assertThat(dc.h1.ruleStats(Verdict.DEFAULT)).isEqualTo(new RuleStats(Verdict.DEFAULT, 1, 40, 0, 14));
        assertThat(dc.h1.ruleStats("r-dns")).isEqualTo(new RuleStats("r-dns", 0, 0, 0, Long.MIN_VALUE));
        assertThat(dc.h1.ruleStats()).extracting(RuleStats::ruleId)
                .containsExactlyInAnyOrder("r-mysql", "r-https", Verdict.DEFAULT);
        // the other host counts its own side only
        assertThat(dc.h2.ruleStats("r-mysql").packets()).isZero();
    }

    @Test
    void vnicCountersCountVerdictsAndFlows() {
        AgentFixture dc = new AgentFixture();
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 10);
        dc.h1.process("web1-0", Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), 11);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN), 12);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 22, Packet.SYN), 13);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40003, DB, 22, Packet.ACK), 14);

        assertThat(dc.h1.vnicStats("web1-0")).contains(new VnicStats("web1-0", 2, 2, 1, 1, 1, 0));
        assertThat(dc.h1.vnicStats("db1-0")).isEmpty();
        assertThat(dc.h1.stats()).isEqualTo(new HostStats(1, 1, 0, 0, 0));
    }

    @Test
    void packetsConnectionTrackingFindsInvalidAreCountedApartFromRuleDrops() {
        AgentFixture dc = new AgentFixture();
        // mid-stream segments of connections the tracker does not know
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 10);
        dc.h1.process("web1-0", Direction.IN, Packet.tcp(DB, 3306, WEB, 40001, Packet.PSH | Packet.ACK), 11);
        // an ACK before the handshake's SYN-ACK does not fit the flow's state
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 3306, Packet.SYN), 12);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 3306, Packet.ACK), 13);
        // a rule's drop is no invalid packet
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40003, DB, 22, Packet.SYN), 14);

        VnicStats s = dc.h1.vnicStats("web1-0").orElseThrow();
        assertThat(s.invalid()).isEqualTo(3);
        assertThat(s.dropped()).isEqualTo(4);
        assertThat(s.allowed()).isEqualTo(1);
        assertThat(dc.h1.ruleStats()).extracting(RuleStats::ruleId)
                .containsExactlyInAnyOrder("r-mysql", Verdict.DEFAULT);
    }

    @Test
    void theHostCountsTheFlowsTheTrackerEvicted() {
        AgentFixture dc = new AgentFixture(1);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 10);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 11);
        assertThat(dc.h1.stats().evictions()).isEqualTo(1);
        assertThat(dc.h1.stats().flows()).isEqualTo(1);
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsCreated()).isEqualTo(2);
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsEvicted()).isEqualTo(1);
    }

    @Test
    void eachVnicCountsItsOwnFlowsEvicted() {
        AgentFixture dc = new AgentFixture(2);
        dc.vm("web2", "h1", List.of("app:web"), dc.nic("web2-0", "10.0.1.2"));
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 10);
        dc.h1.process("web2-0", Direction.OUT, Packet.tcp("10.0.1.2", 40000, DB, 3306, Packet.SYN), 11);
        // the table is full: the flow closest to expiry goes, web1-0's first, then web2-0's
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 12);
        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsEvicted()).isEqualTo(1);
        assertThat(dc.h1.vnicStats("web2-0").orElseThrow().flowsEvicted()).isZero();
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 3306, Packet.SYN), 13);

        assertThat(dc.h1.vnicStats("web1-0").orElseThrow().flowsEvicted()).isEqualTo(1);
        assertThat(dc.h1.vnicStats("web2-0").orElseThrow().flowsEvicted()).isEqualTo(1);
        assertThat(dc.h1.stats().evictions()).isEqualTo(2);
        assertThat(dc.h1.tracker().flows("web2-0")).isEmpty();
    }
}
