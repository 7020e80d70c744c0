package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static io.ringfence.model.ModelFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow log of a host agent. */
class FlowLogTest {

    private static final FlowLogQuery ALL = FlowLogQuery.all(1000);

    private static AgentFixture withLoggedMysqlAndHttps() {
        AgentFixture dc = new AgentFixture();
        dc.replaceRule(rule("r-mysql").sequence(10).sources("g-web").destinations("g-db").services("mysql")
                .action(Action.ALLOW).logged(true).build());
        return dc;
    }

    @Test
    void aLoggedRuleLogsEachNewFlowOnceNotEachPacket() {
        AgentFixture dc = withLoggedMysqlAndHttps();
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 10);
        dc.h1.process("web1-0", Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK), 11);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK), 12);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 3306, Packet.SYN), 13);

        List<FlowLogRecord> log = dc.h1.flowLog(ALL);
        assertThat(log).hasSize(2);
        FlowLogRecord newest = log.get(0);
        assertThat(newest.sourcePort()).isEqualTo(40001);
        assertThat(newest.vnicId()).isEqualTo("web1-0");
        assertThat(newest.vmId()).isEqualTo("web1");
        assertThat(newest.hostId()).isEqualTo("h1");
        assertThat(newest.direction()).isEqualTo(Direction.OUT);
        assertThat(newest.protocol()).isEqualTo(Packet.TCP);
        assertThat(newest.source()).isEqualTo(WEB);
        assertThat(newest.destination()).isEqualTo(DB);
        assertThat(newest.destinationPort()).isEqualTo(3306);
        assertThat(newest.action()).isEqualTo(Action.ALLOW);
        assertThat(newest.ruleId()).isEqualTo("r-mysql");
        assertThat(newest.policyId()).isEqualTo("p1");
        assertThat(log.get(1).sourcePort()).isEqualTo(40000);
        assertThat(log.get(1).time()).isBefore(newest.time());
    }

    @Test
    void unloggedRulesAreNotLoggedButTheDefaultDropAlwaysIs() {
        AgentFixture dc = new AgentFixture();
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN), 10);
        dc.h1.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN), 11);
        dc.h1.process("web1-0", Direction.OUT, Packet.icmp(WEB, DB, 8, 0, 7), 12);

        List<FlowLogRecord> log = dc.h1.flowLog(ALL);
        assertThat(log).hasSize(1);
        FlowLogRecord r = log.get(0);
        assertThat(r.ruleId()).isEqualTo(Verdict.DEFAULT);
        assertThat(r.action()).isEqualTo(Action.DROP);
        assertThat(r.policyId()).isNull();
        assertThat(r.protocol()).isEqualTo(Packet.ICMP);
        assertThat(r.icmpType()).isEqualTo(8);
        assertThat(r.icmpCode()).isZero();
    }

    @Test
    void theRingKeepsTheNewestAndCountsTheOverwritten() {
        FlowLog log = new FlowLog(3);
        for (int i = 0; i < 5; i++) {
            log.append(record(i, "r" + i, Action.DROP, "vm"));
        }
        assertThat(log.overwritten()).isEqualTo(2);
        assertThat(log.appended()).isEqualTo(5);
        assertThat(log.read(ALL)).extracting(FlowLogRecord::ruleId).containsExactly("r4", "r3", "r2");
        assertThat(log.read(FlowLogQuery.all(2))).extracting(FlowLogRecord::ruleId).containsExactly("r4", "r3");
        assertThatThrownBy(() -> new FlowLog(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filtersSelectByVmRuleActionAndTime() {
        FlowLog log = new FlowLog(10);
        log.append(record(0, "a", Action.ALLOW, "vm1"));
        log.append(record(1, "b", Action.DROP, "vm1"));
        log.append(record(2, "a", Action.REJECT, "vm2"));
        log.append(record(3, "a", Action.ALLOW, "vm2"));

        assertThat(log.read(new FlowLogQuery("vm1", null, null, null, null, 10))).extracting(FlowLogRecord::ruleId)
                .containsExactly("b", "a");
        assertThat(log.read(new FlowLogQuery(null, "a", null, null, null, 10))).hasSize(3);
        assertThat(log.read(new FlowLogQuery(null, null, Action.REJECT, null, null, 10)))
                .extracting(FlowLogRecord::vmId).containsExactly("vm2");
        assertThat(log.read(new FlowLogQuery(null, "a", null, Instant.EPOCH.plusSeconds(2), null, 10)))
                .extracting(FlowLogRecord::action).containsExactly(Action.ALLOW, Action.REJECT);
        assertThatThrownBy(() -> FlowLogQuery.all(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stagedRecordsAreSelectedApartOrTogetherWithRealOnes() {
        FlowLog log = new FlowLog(10);
        log.append(record(0, "a", Action.ALLOW, "vm1"));
        log.append(new FlowLogRecord(Instant.EPOCH.plusSeconds(1), "h", "nic", "vm1", Direction.OUT, Packet.TCP,
                "10.0.0.1", "10.0.0.2", 1000, 80, -1, -1, Action.DROP, "s", "p", null, true, Action.ALLOW, "a"));

        assertThat(log.read(new FlowLogQuery(null, null, null, null, true, 10))).singleElement()
                .extracting(FlowLogRecord::ruleId, FlowLogRecord::actualRuleId, FlowLogRecord::actualAction)
                .containsExactly("s", "a", Action.ALLOW);
        assertThat(log.read(new FlowLogQuery(null, null, null, null, false, 10))).extracting(FlowLogRecord::ruleId)
                .containsExactly("a");
        assertThat(log.read(FlowLogQuery.all(10))).extracting(FlowLogRecord::ruleId).containsExactly("s", "a");
        // the verdict filter reads a staged record's would-be verdict
        assertThat(log.read(new FlowLogQuery(null, null, Action.DROP, null, null, 10))).extracting(FlowLogRecord::ruleId)
                .containsExactly("s");
    }

    private static FlowLogRecord record(int second, String ruleId, Action action, String vmId) {
        return new FlowLogRecord(Instant.EPOCH.plusSeconds(second), "h", "nic", vmId, Direction.OUT, Packet.TCP,
                "10.0.0.1", "10.0.0.2", 1000, 80, -1, -1, action, ruleId, "p", null, false, null, null);
    }
}
