package io.ringfence.dataplane.sim;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.api.FlowEntry;
import io.ringfence.dataplane.api.RuleTraffic;
import io.ringfence.dataplane.conntrack.FlowState;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated data center over a manager and a compiler: h1 runs web1 (app:web, 10.0.1.1), h2 runs
 * db1 (app:db, 10.0.2.1); r-mysql allows web → db tcp/3306, r-https rejects web → db tcp/443.
 */
class SimulatedDataCenterTest {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";
    static final Instant EPOCH = Instant.parse("2024-05-01T00:00:00Z");

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.fixed(EPOCH, ZoneOffset.UTC));
    final AtomicLong nanos = new AtomicLong(1_000);
    PolicyCompiler compiler;
    SimulatedDataCenter dc;

    SimulatedDataCenterTest() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", "app:web", "web1-0", WEB, 1);
        vm("db1", "h2", "app:db", "db1-0", DB, 2);
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.SERVICE, service("https", tcp("443")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("r-mysql").sequence(10).sources("g-web").destinations("g-db").services("mysql")
                        .action(Action.ALLOW).build(),
                rule("r-https").sequence(20).sources("g-web").destinations("g-db").services("https")
                        .action(Action.REJECT).build()), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        dc = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(1000, null), nanos::get,
                Clock.fixed(EPOCH, ZoneOffset.UTC));
        manager.addListener(dc);
    }

    @AfterEach
    void close() {
        dc.close();
    }

    private void vm(String id, String hostId, String tag, String vnicId, String address, int mac) {
        Vnic nic = new Vnic(vnicId, new MacAddress(0x005056000000L + mac), prefixes(address), "seg");
        manager.create(Kind.VM, new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0), "t");
    }

    /** A TCP handshake web1 → db1:port, each packet OUT at the source and IN at the destination. */
    private void handshake(int sourcePort, int port) {
        send("web1-0", "db1-0", Packet.tcp(WEB, sourcePort, DB, port, Packet.SYN));
        send("db1-0", "web1-0", Packet.tcp(DB, port, WEB, sourcePort, Packet.SYN | Packet.ACK));
        send("web1-0", "db1-0", Packet.tcp(WEB, sourcePort, DB, port, Packet.ACK));
    }

    private void send(String from, String to, Packet p) {
        nanos.addAndGet(1_000);
        if (dc.process(from, Direction.OUT, p).action() == Action.ALLOW) {
            dc.process(to, Direction.IN, p);
        }
    }

    @Test
    void anAgentPerHostOfTheModel() {
        assertThat(dc.hosts()).containsExactlyInAnyOrder("h1", "h2");
        assertThat(dc.agent("h1").orElseThrow().vnics()).containsExactly("web1-0");
        assertThat(dc.agent("h2").orElseThrow().vnics()).containsExactly("db1-0");
    }

    @Test
    void packetsGoToTheAgentOfTheirVnicsHostAndRuleCountersAreSummedAcrossHosts() {
        handshake(40000, 3306);

        RuleTraffic mysql = dc.ruleStats("r-mysql");
        // 3 packets OUT at web1-0 (h1), 3 IN at db1-0 (h2); one session on each side
        assertThat(mysql.packets()).isEqualTo(6);
        assertThat(mysql.bytes()).isEqualTo(6 * 40);
        assertThat(mysql.sessions()).isEqualTo(2);
        assertThat(mysql.lastHit()).isEqualTo(EPOCH.plusNanos(3_000));
        assertThat(dc.agent("h1").orElseThrow().ruleStats("r-mysql").packets()).isEqualTo(3);
        assertThat(dc.ruleStats()).extracting(RuleTraffic::ruleId).containsExactly("r-mysql");
        assertThat(dc.vnicStats("web1-0").orElseThrow().flowsCreated()).isEqualTo(1);
        assertThat(dc.vnicStats("nope")).isEmpty();
    }

    @Test
    void aRuleWithoutTrafficHasZeroCounters() {
        assertThat(dc.ruleStats("r-https")).isEqualTo(RuleTraffic.none("r-https"));
    }

    @Test
    void rejectedPacketsCountOnTheRejectingRule() {
        Verdict v = dc.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 443, Packet.SYN));
        assertThat(v.action()).isEqualTo(Action.REJECT);
        assertThat(dc.ruleStats("r-https").packets()).isEqualTo(1);
        assertThat(dc.ruleStats("r-https").sessions()).isZero();
        assertThat(dc.vnicStats("web1-0").orElseThrow().rejected()).isEqualTo(1);
    }

    @Test
    void aPacketOfAnUnknownVnicIsDropped() {
        Verdict v = dc.process("ghost-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN));
        assertThat(v.action()).isEqualTo(Action.DROP);
        assertThat(v.ruleId()).isEqualTo(Verdict.NO_RULE_SET);
    }

    @Test
    void flowsOfAVmAreTheFlowsOfItsVnicsWithWallClockTimes() {
        handshake(40000, 3306);

        List<FlowEntry> flows = dc.flows("web1");
        assertThat(flows).hasSize(1);
        FlowEntry f = flows.get(0);
        assertThat(f.key().vnicId()).isEqualTo("web1-0");
        assertThat(f.key().direction()).isEqualTo(Direction.OUT);
        assertThat(f.key().destinationPort()).isEqualTo(3306);
        assertThat(f.state()).isEqualTo(FlowState.ESTABLISHED);
        assertThat(f.ruleId()).isEqualTo("r-mysql");
        assertThat(f.originalPackets()).isEqualTo(2);
        assertThat(f.replyPackets()).isEqualTo(1);
        assertThat(f.created()).isEqualTo(EPOCH.plusNanos(1_000));
        assertThat(f.lastSeen()).isEqualTo(EPOCH.plusNanos(3_000));
        assertThat(f.expiresAt()).isAfter(f.lastSeen());
        assertThat(dc.flows("db1")).hasSize(1);
        assertThat(dc.flows("nope")).isEmpty();
    }

    @Test
    void expiryRemovesTheFlowsWhoseTimeoutPassed() {
        send("web1-0", "db1-0", Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN));
        assertThat(dc.expire()).isZero();

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(dc.expire()).isEqualTo(2);
        assertThat(dc.flows("web1")).isEmpty();
        assertThat(dc.expiredFlows()).isEqualTo(2);
    }

    @Test
    void aNewHostGetsAnAgentAndADeletedHostLosesIt() {
        manager.create(Kind.HOST, host("h3"), "t");
        vm("db2", "h3", "app:db", "db2-0", "10.0.2.2", 3);
        assertThat(dc.hosts()).contains("h3");
        Verdict v = dc.process("db2-0", Direction.IN, Packet.tcp(WEB, 40000, "10.0.2.2", 3306, Packet.SYN));
        assertThat(v.action()).isEqualTo(Action.ALLOW);
        assertThat(v.ruleId()).isEqualTo("r-mysql");

        manager.delete(Kind.VM, "db2", null, "t");
        manager.delete(Kind.HOST, "h3", null, "t");
        assertThat(dc.hosts()).containsExactlyInAnyOrder("h1", "h2");
        assertThat(dc.process("db2-0", Direction.IN, Packet.tcp(WEB, 40001, "10.0.2.2", 3306, Packet.SYN))
                .ruleId()).isEqualTo(Verdict.NO_RULE_SET);
    }

    @Test
    void afterCloseNothingIsRoutedAndLaterChangesAreIgnored() {
        dc.close();
        assertThat(dc.hosts()).isEmpty();
        assertThat(dc.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN)).ruleId())
                .isEqualTo(Verdict.NO_RULE_SET);
        manager.create(Kind.HOST, host("h3"), "t");
        assertThat(dc.hosts()).isEmpty();
    }

    @Test
    void theFlowLogsOfAllHostsAreMergedNewestFirst() {
        nanos.addAndGet(1_000);
        dc.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 22, Packet.SYN));
        nanos.addAndGet(1_000);
        dc.process("db1-0", Direction.IN, Packet.tcp(WEB, 40001, DB, 22, Packet.SYN));
        nanos.addAndGet(1_000);
        dc.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40002, DB, 3306, Packet.SYN)); // r-mysql is not logged

        var log = dc.flowLog(io.ringfence.dataplane.api.FlowLogQuery.all(10));
        assertThat(log).extracting(r -> r.hostId() + "/" + r.sourcePort()).containsExactly("h2/40001", "h1/40000");
        assertThat(log.get(0).time()).isEqualTo(EPOCH.plusNanos(2_000));
        assertThat(dc.flowLog(io.ringfence.dataplane.api.FlowLogQuery.all(1))).hasSize(1);
        assertThat(dc.flowLog(new io.ringfence.dataplane.api.FlowLogQuery("web1", null, Action.DROP, null, null, 10)))
                .extracting(r -> r.vmId()).containsExactly("web1");
        assertThat(dc.flowLog(new io.ringfence.dataplane.api.FlowLogQuery(null, null, null, EPOCH.plusNanos(2_000), null, 10)))
                .hasSize(1);
        assertThat(dc.flowLogOverwritten()).isZero();
    }
}
