package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.dataplane.packet.RejectPackets;
import io.ringfence.model.Action;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one packet is decided: flow table, classification, default rule, reject packets. */
class HostAgentDecisionTest {

    private final AgentFixture dc = new AgentFixture();

    @Test
    void anAllowedHandshakePassesOutAtTheSourceAndInAtTheDestinationThenByTheFlowTable() {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        Verdict out = dc.h1.process("web1-0", Direction.OUT, syn, 1);
        Verdict in = dc.h2.process("db1-0", Direction.IN, syn, 2);
        assertThat(out).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", false);
        assertThat(in).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", false);
        assertThat(out.generation()).isEqualTo(dc.h1.tables("web1-0").orElseThrow().generation());

        Packet synAck = Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK);
        Packet ack = Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK);
        assertThat(List.of(
                dc.h2.process("db1-0", Direction.OUT, synAck, 3),
                dc.h1.process("web1-0", Direction.IN, synAck, 4),
                dc.h1.process("web1-0", Direction.OUT, ack, 5),
                dc.h2.process("db1-0", Direction.IN, ack, 6)))
                .allSatisfy(v -> assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                        .containsExactly(Action.ALLOW, "r-mysql", true));
    }

    @Test
    void aReplyPassesThroughTheFlowTableWhereNoRuleWouldAllowIt() {
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 1);
        dc.h2.process("db1-0", Direction.IN, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 2);

        // db → web is allowed by no rule: a new flow that way is dropped by the default rule...
        assertThat(dc.h2.process("db1-0", Direction.OUT, Packet.tcp(DB, 3306, WEB, 40001, Packet.SYN), 3))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
        // ...but the reply of the allowed flow passes, without being classified
        assertThat(dc.h2.process("db1-0", Direction.OUT, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), 4))
                .extracting(Verdict::action, Verdict::fromFlowTable).containsExactly(Action.ALLOW, true);
        assertThat(dc.h2.ruleStats(Verdict.DEFAULT).packets()).isEqualTo(1);
    }

    @Test
    void aDeniedFlowIsDroppedAndLeavesNoFlow() {
        Verdict v = dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 22, Packet.SYN), 1);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable, Verdict::reject)
                .containsExactly(Action.DROP, Verdict.DEFAULT, false, null);
        assertThat(dc.h1.tracker().flows("web1-0")).isEmpty();
        // the rest of that connection is invalid, not allowed
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 22, Packet.ACK), 2).action())
                .isEqualTo(Action.DROP);
    }

    @Test
    void aRejectedTcpSegmentIsAnsweredWithAWellFormedReset() {
        Packet syn = new Packet(IpFamily.IPV4, IpPrefix.parse(WEB), IpPrefix.parse(DB), Packet.TCP, 40000, 443,
                Packet.SYN, 1000, 0, 65535, -1, -1, 0, null, 64, 40, null);
        Verdict v = dc.h1.process("web1-0", Direction.OUT, syn, 1);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.REJECT, "r-https");
        Packet rst = v.reject();
        assertThat(rst).isNotNull();

        byte[] ip = PacketWriter.toIp(rst);
        Packet parsed = PacketParser.parseIp(ip, 0, ip.length);
        assertThat(parsed.source().toString()).isEqualTo(DB);
        assertThat(parsed.destination().toString()).isEqualTo(WEB);
        assertThat(parsed.sourcePort()).isEqualTo(443);
        assertThat(parsed.destinationPort()).isEqualTo(40000);
        assertThat(parsed.tcpFlags()).isEqualTo(Packet.RST | Packet.ACK);
        assertThat(parsed.tcpAck()).isEqualTo(1001);
        assertThat(PacketParser.parseEthernet(PacketWriter.toEthernet(rst, 0x0050560000aaL, 0x0050560000bbL)))
                .usingRecursiveComparison().isEqualTo(parsed);
        assertThat(dc.h1.tracker().flows("web1-0")).isEmpty();
    }

    @Test
    void aRejectedUdpDatagramIsAnsweredWithAnIcmpUnreachableQuotingIt() {
        Packet query = Packet.udp(WEB, 5353, DB, 53, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        Verdict v = dc.h1.process("web1-0", Direction.OUT, query, 1);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.REJECT, "r-dns");

        byte[] ip = PacketWriter.toIp(v.reject());
        Packet parsed = PacketParser.parseIp(ip, 0, ip.length);
        assertThat(parsed.protocol()).isEqualTo(Packet.ICMP);
        assertThat(parsed.icmpType()).isEqualTo(3);
        assertThat(parsed.icmpCode()).isEqualTo(13);
        assertThat(parsed.destination().toString()).isEqualTo(WEB);
        assertThat(parsed.embedded().source().toString()).isEqualTo(WEB);
        assertThat(parsed.embedded().destinationPort()).isEqualTo(53);
    }

    @Test
    void aVnicWithoutTablesIsDecidedByTheDefaultRuleWhichDropsBeforeTheFirstDelta() {
        HostAgent lonely = new HostAgent("h3", new ConnectionTracker(ConnectionTracker.Config.defaults(10)));
        Verdict v = lonely.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 1);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::generation)
                .containsExactly(Action.DROP, Verdict.DEFAULT, -1L);
        assertThat(dc.h1.process("db1-0", Direction.IN, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 1).action())
                .isEqualTo(Action.DROP);
        assertThat(lonely.stats().unknownVnicDrops()).isEqualTo(1);
        assertThat(lonely.tracker().size()).isZero();
    }

    @Test
    void theDefaultRuleDecidesWhatNoRuleMatches() {
        Packet ssh = Packet.tcp(WEB, 40000, DB, 22, Packet.SYN);
        assertThat(dc.h1.process("web1-0", Direction.OUT, ssh, 1).action()).isEqualTo(Action.DROP);

        dc.manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0), null, "t");
        Verdict v = dc.h1.process("web1-0", Direction.OUT, ssh, 2);
        assertThat(v).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, Verdict.DEFAULT);
        assertThat(dc.h1.process("web1-0", Direction.IN, Packet.tcp(DB, 22, WEB, 40000, Packet.SYN | Packet.ACK), 3))
                .extracting(Verdict::ruleId, Verdict::fromFlowTable).containsExactly(Verdict.DEFAULT, true);
        assertThat(dc.h1.ruleStats(Verdict.DEFAULT)).extracting(RuleStats::packets, RuleStats::sessions)
                .containsExactly(3L, 1L);
    }

    @Test
    void anIcmpErrorAboutAnAllowedFlowPassesAsRelated() {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        dc.h1.process("web1-0", Direction.OUT, syn, 1);
        Packet error = RejectPackets.unreachable(syn, PacketWriter.toIp(syn));
        assertThat(dc.h1.process("web1-0", Direction.IN, error, 2))
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", true);
        // the same error about a flow nobody opened is classified, and dropped
        Packet stray = RejectPackets.unreachable(Packet.tcp(WEB, 40009, DB, 3306, Packet.SYN),
                PacketWriter.toIp(Packet.tcp(WEB, 40009, DB, 3306, Packet.SYN)));
        assertThat(dc.h1.process("web1-0", Direction.IN, stray, 3).action()).isEqualTo(Action.DROP);
    }

    @Test
    void anIcmpEchoIsTrackedAndItsReplyPasses() {
        dc.manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0), null, "t");
        assertThat(dc.h1.process("web1-0", Direction.OUT, Packet.icmp(WEB, DB, 8, 0, 7), 1).action())
                .isEqualTo(Action.ALLOW);
        dc.manager.setDefaultRule(new DefaultRule(Action.DROP, false, 0), null, "t");
        // the default rule changed back to DROP: the echo flow was re-checked against it and cut
        assertThat(dc.h1.process("web1-0", Direction.IN, Packet.icmp(DB, WEB, 0, 0, 7), 2).action())
                .isEqualTo(Action.DROP);
    }
}
