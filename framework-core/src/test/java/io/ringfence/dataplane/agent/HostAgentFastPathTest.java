package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.HostDelta;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HostAgent#process(String, Direction, PacketView, long)} decides and counts like the
 * {@link Packet} form: one agent fed views and one fed packets, the same traffic, the same answers.
 */
class HostAgentFastPathTest {

    private final AgentFixture viaView = new AgentFixture();
    private final AgentFixture viaPacket = new AgentFixture();
    private final PacketView view = new PacketView();
    private long now;

    /** Decides {@code p} on web1-0 in both data centers; returns the view's verdict, checked equal to the other. */
    private Verdict web(Direction direction, Packet p) {
        now++;
        PacketParser.parseEthernet(PacketWriter.toEthernet(p, 1, 2), view);
        Verdict fast = viaView.h1.process("web1-0", direction, view, now);
        Verdict full = viaPacket.h1.process("web1-0", direction, PacketParser.parseEthernet(
                PacketWriter.toEthernet(p, 1, 2)), now);
        assertThat(fast).usingRecursiveComparison().isEqualTo(full);
        return fast;
    }

    @Test
    void aConnectionIsDecidedAndCountedAlike() {
        assertThat(web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN)))
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", false);
        for (int i = 0; i < 3; i++) {
            assertThat(List.of(
                    web(Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, i == 0 ? Packet.SYN | Packet.ACK : Packet.ACK)),
                    web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK))))
                    .allSatisfy(v -> assertThat(v).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                            .containsExactly(Action.ALLOW, "r-mysql", true));
        }
        // a packet that makes no sense for the flow leaves the fast path and is dropped as invalid
        assertThat(web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN)))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.INVALID);

        assertThat(viaView.h1.ruleStats("r-mysql")).isEqualTo(viaPacket.h1.ruleStats("r-mysql"));
        assertThat(viaView.h1.ruleStats("r-mysql").packets()).isEqualTo(7);
        assertThat(viaView.h1.vnicStats("web1-0")).isEqualTo(viaPacket.h1.vnicStats("web1-0"));
        assertThat(viaView.h1.vnicStats("web1-0").orElseThrow())
                .extracting(VnicStats::allowed, VnicStats::dropped).containsExactly(7L, 1L);
        Packet ack = Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK);
        assertThat(viaView.h1.tracker().flows("web1-0")).singleElement().satisfies(f -> {
            assertThat(f.originalPackets()).isEqualTo(4);
            assertThat(f.replyPackets()).isEqualTo(3);
            assertThat(f.originalBytes()).isEqualTo(4L * ack.length());
        });
    }

    @Test
    void newFlowsRejectsAndUnknownVnicsTakeTheFullPath() {
        Verdict rejected = web(Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN));
        assertThat(rejected.action()).isEqualTo(Action.REJECT);
        assertThat(rejected.reject()).isNotNull();

        now++;
        PacketParser.parseEthernet(PacketWriter.toEthernet(Packet.tcp(WEB, 40002, DB, 3306, Packet.SYN), 1, 2), view);
        assertThat(viaView.h1.process("no-such-vnic", Direction.OUT, view, now))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
        assertThat(viaView.h1.stats().unknownVnicDrops()).isEqualTo(1);
    }

    @Test
    void aFlowTableVerdictCarriesTheCurrentGeneration() {
        web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN));
        long before = viaView.h1.tables("web1-0").orElseThrow().generation();
        // a change that keeps the flow allowed but gives web1-0 a new generation
        viaView.addRule(AgentFixture.webToDb("r-more", 40, "dns", Action.ALLOW));
        viaPacket.addRule(AgentFixture.webToDb("r-more", 40, "dns", Action.ALLOW));
        long after = viaView.h1.tables("web1-0").orElseThrow().generation();

        Verdict reply = web(Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK));
        assertThat(reply.fromFlowTable()).isTrue();
        assertThat(reply.generation()).isEqualTo(after).isNotEqualTo(before);
    }

    @Test
    void aVnicKeepsItsCountersAcrossTablesUpdatesUntilItLeaves() {
        web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN));
        viaView.addRule(AgentFixture.webToDb("r-more", 40, "dns", Action.ALLOW)); // new tables for web1-0

        // the caller's id is equal to the vNIC's, not the same instance: same flow, same counters
        String sameVnic = new String("web1-0");
        now++;
        PacketParser.parseEthernet(PacketWriter.toEthernet(
                Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), 1, 2), view);
        assertThat(viaView.h1.process(sameVnic, Direction.IN, view, now).fromFlowTable()).isTrue();
        assertThat(viaView.h1.vnicStats("web1-0").orElseThrow())
                .extracting(VnicStats::allowed, VnicStats::flowsCreated).containsExactly(2L, 1L);

        HostDelta leaves = new HostDelta("h1", viaView.compiler.generation() + 1, true, List.of(), List.of(),
                List.of(), List.of());
        viaView.h1.accept(leaves);
        // a late packet of the vNIC that left is decided by the default rule and brings no counters back
        now++;
        PacketParser.parseEthernet(PacketWriter.toEthernet(Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 1, 2), view);
        assertThat(viaView.h1.process("web1-0", Direction.OUT, view, now).ruleId()).isEqualTo(Verdict.DEFAULT);
        assertThat(viaView.h1.vnicStats("web1-0")).isEmpty();
    }
}
