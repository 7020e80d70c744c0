package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link VnicPort} decides as the vNIC's id does, follows the vNIC's tables as they change, and
 * stays correct after its vNIC left (and came back).
 */
class VnicPortTest {

    private static final String WEB2 = "10.0.1.2";

    private final AgentFixture fixture = new AgentFixture();
    private final PacketView view = new PacketView();
    private long now;

    private Verdict through(VnicPort port, Direction direction, Packet p) {
        now++;
        PacketParser.parseEthernet(PacketWriter.toEthernet(p, 1, 2), view);
        return fixture.h1.process(port, direction, view, now);
    }

    @Test
    void aPortDecidesAndCountsAsTheIdDoesAndFollowsNewTables() {
        VnicPort port = fixture.h1.port("web1-0");
        assertThat(port.vnicId()).isEqualTo("web1-0");
        assertThat(fixture.h1.port(new String("web1-0"))).isSameAs(port);

        assertThat(through(port, Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN)))
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", false);
        long before = fixture.h1.tables("web1-0").orElseThrow().generation();
        fixture.addRule(AgentFixture.webToDb("r-more", 40, "dns", Action.ALLOW)); // new tables for web1-0
        long after = fixture.h1.tables("web1-0").orElseThrow().generation();
        assertThat(after).isNotEqualTo(before);

        Verdict reply = through(port, Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK));
        assertThat(reply).extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable, Verdict::generation)
                .containsExactly(Action.ALLOW, "r-mysql", true, after);
        // the id path sees the same flow and counters the port path made
        now++;
        PacketParser.parseEthernet(PacketWriter.toEthernet(Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 1, 2), view);
        assertThat(fixture.h1.process("web1-0", Direction.OUT, view, now).fromFlowTable()).isTrue();
        assertThat(fixture.h1.vnicStats("web1-0").orElseThrow())
                .extracting(VnicStats::allowed, VnicStats::flowsCreated).containsExactly(3L, 1L);
        assertThat(fixture.h1.ruleStats("r-mysql").packets()).isEqualTo(3);
        assertThat(fixture.h1.tracker().flows("web1-0")).singleElement()
                .satisfies(f -> assertThat(f.originalPackets() + f.replyPackets()).isEqualTo(3));
    }

    @Test
    void aPortTakenBeforeItsVnicHasTablesGetsThemWhenTheyCome() {
        VnicPort port = fixture.h1.port("web2-0");
        assertThat(through(port, Direction.OUT, Packet.tcp(WEB2, 40000, DB, 3306, Packet.SYN)).ruleId())
                .isEqualTo(Verdict.DEFAULT);

        fixture.vm("web2", "h1", List.of("app:web"), fixture.nic("web2-0", WEB2));

        assertThat(fixture.h1.port("web2-0")).isSameAs(port);
        assertThat(through(port, Direction.OUT, Packet.tcp(WEB2, 40001, DB, 3306, Packet.SYN)))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, "r-mysql");
        assertThat(fixture.h1.vnicStats("web2-0").orElseThrow().allowed()).isEqualTo(1);
    }

    @Test
    void aPortOfAVnicThatLeftDecidesByTheDefaultRuleAndFindsItAgainWhenItComesBack() {
        fixture.vm("web2", "h1", List.of("app:web"), fixture.nic("web2-0", WEB2));
        VnicPort port = fixture.h1.port("web2-0");
        assertThat(through(port, Direction.OUT, Packet.tcp(WEB2, 40000, DB, 3306, Packet.SYN)).ruleId())
                .isEqualTo("r-mysql");

        fixture.manager.delete(Kind.VM, "web2", null, "t");
        assertThat(fixture.h1.vnics()).doesNotContain("web2-0");
        // a late packet through the old port: the default rule, no counters brought back, no flow
        assertThat(through(port, Direction.OUT, Packet.tcp(WEB2, 40001, DB, 3306, Packet.SYN)))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, Verdict.DEFAULT);
        assertThat(fixture.h1.vnicStats("web2-0")).isEmpty();
        assertThat(fixture.h1.tracker().flows("web2-0")).isEmpty();
        VnicPort next = fixture.h1.port("web2-0");
        assertThat(next).isNotSameAs(port);

        fixture.vm("web2", "h1", List.of("app:web"), fixture.nic("web2-0", WEB2));
        // both the old port and the new one reach the vNIC's new tables
        assertThat(through(port, Direction.OUT, Packet.tcp(WEB2, 40002, DB, 3306, Packet.SYN)).ruleId())
                .isEqualTo("r-mysql");
        assertThat(through(next, Direction.OUT, Packet.tcp(WEB2, 40003, DB, 3306, Packet.SYN)).ruleId())
                .isEqualTo("r-mysql");
        assertThat(fixture.h1.vnicStats("web2-0").orElseThrow().allowed()).isEqualTo(2);
    }

    @Test
    void closingTheAgentLeavesItsPortsWithoutTables() {
        VnicPort port = fixture.h1.port("web1-0");
        fixture.h1.close();
        assertThat(through(port, Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN)).ruleId())
                .isEqualTo(Verdict.DEFAULT);
        assertThat(fixture.h1.port("web1-0")).isNotSameAs(port);
    }
}
