package io.ringfence.shell.internal;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.dataplane.sim.VmMover;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commands over a real manager, compiler and simulated data center: h1 runs web1 (app:web),
 * h2 runs db1 (app:db); policy p1 allows web → db tcp/3306 (r-mysql) and drops tcp/22 (r-ssh, logged);
 * p0 (an earlier category) has no rules.
 */
class CommandsTest {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final PolicyCompiler compiler;
    final SimulatedDataCenter dc;
    final Console console = new Console();

    CommandsTest() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", "app:web", "web1-0", WEB, 1);
        vm("db1", "h2", "app:db", "db1-0", DB, 2);
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.SERVICE, service("ssh", tcp("22")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("r-mysql").sequence(10).sources("g-web").destinations("g-db").services("mysql")
                        .action(Action.ALLOW).build(),
                rule("r-ssh").sequence(20).sources("g-web").destinations("g-db").services("ssh")
                        .action(Action.DROP).logged(true).build()), "t");
        manager.create(Kind.POLICY, policy("p0", Category.EMERGENCY, 5), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        dc = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(1000, null));
        manager.addListener(dc);
    }

    @AfterEach
    void close() {
        dc.close();
    }

    @Test
    void policiesAreListedInEvaluationOrder() throws Exception {
        PoliciesCommand c = console.attach(new PoliciesCommand());
        c.models = manager;
        c.execute();

        String text = console.text();
        assertThat(text.indexOf("p0")).isLessThan(text.indexOf("p1")).isPositive();
        assertThat(text).contains("EMERGENCY", "APPLICATION");
    }

    @Test
    void ruleStatsCountWhatTheTrafficDid() throws Exception {
        mysqlHandshake();
        dc.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 22, Packet.SYN));

        RuleStatsCommand c = console.attach(new RuleStatsCommand());
        c.models = manager;
        c.dataPlane = dc;
        c.json = true;
        c.execute();

        JsonNode lines = console.json();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("ruleId").asText()).isEqualTo("r-mysql");
        // SYN and ACK out at web1 and in at db1, the SYN-ACK in at web1 and out at db1
        assertThat(lines.get(0).get("traffic").get("packets").asLong()).isEqualTo(6);
        assertThat(lines.get(0).get("traffic").get("sessions").asLong()).isEqualTo(2);
        assertThat(lines.get(1).get("ruleId").asText()).isEqualTo("r-ssh");
        assertThat(lines.get(1).get("traffic").get("packets").asLong()).isEqualTo(1);
        assertThat(lines.get(2).get("ruleId").asText()).isEqualTo("default");
        assertThat(lines.get(2).get("policyId").isNull()).isTrue();
    }

    @Test
    void ruleStatsOfOnePolicyAndOfAnUnknownOne() throws Exception {
        RuleStatsCommand c = console.attach(new RuleStatsCommand());
        c.models = manager;
        c.dataPlane = dc;
        c.policyId = "p1";
        c.execute();
        assertThat(console.text()).contains("r-mysql", "r-ssh").doesNotContain("default");

        RuleStatsCommand unknown = console.attach(new RuleStatsCommand());
        unknown.models = manager;
        unknown.dataPlane = dc;
        unknown.policyId = "nope";
        assertThatThrownBy(unknown::execute).hasMessage("no policy nope");
    }

    @Test
    void flowsOfAVm() throws Exception {
        mysqlHandshake();

        FlowsCommand c = console.attach(new FlowsCommand());
        c.models = manager;
        c.dataPlane = dc;
        c.vmId = "web1";
        c.execute();

        assertThat(console.text()).contains("tcp " + WEB + ":40000 -> " + DB + ":3306", "ESTABLISHED", "r-mysql", "2/1");

        FlowsCommand unknown = console.attach(new FlowsCommand());
        unknown.models = manager;
        unknown.dataPlane = dc;
        unknown.vmId = "nope";
        assertThatThrownBy(unknown::execute).hasMessage("no VM nope");
    }

    @Test
    void traceflowShowsEachStepAndTheVerdict() throws Exception {
        TraceflowCommand c = console.attach(new TraceflowCommand());
        c.dataPlane = dc;
        c.source = "web1";
        c.destination = "db1";
        c.port = 22;
        c.execute();

        String text = console.text();
        assertThat(text).contains("h1", "web1-0", "OUT", "RULE", "r-ssh", "Verdict: DROP");
        assertThat(text).doesNotContain("db1-0");
    }

    @Test
    void traceflowToAnAddressAndItsRefusals() throws Exception {
        TraceflowCommand c = console.attach(new TraceflowCommand());
        c.dataPlane = dc;
        c.source = "web1";
        c.destination = "192.0.2.7";
        c.port = 443;
        c.json = true;
        c.execute();
        JsonNode trace = console.json();
        assertThat(trace.get("destinationAddress").asText()).isEqualTo("192.0.2.7");
        assertThat(trace.get("steps")).hasSize(1);
        assertThat(trace.get("steps").get(0).get("decidedBy").asText()).isEqualTo("DEFAULT_RULE");

        TraceflowCommand badProtocol = console.attach(new TraceflowCommand());
        badProtocol.dataPlane = dc;
        badProtocol.source = "web1";
        badProtocol.destination = "db1";
        badProtocol.protocol = "sctp";
        assertThatThrownBy(badProtocol::execute).hasMessageContaining("unknown protocol sctp");

        TraceflowCommand unknownSource = console.attach(new TraceflowCommand());
        unknownSource.dataPlane = dc;
        unknownSource.source = "nope";
        unknownSource.destination = "db1";
        unknownSource.port = 22;
        assertThatThrownBy(unknownSource::execute).hasMessageContaining("source");
    }

    @Test
    void theFlowLogFiltersByVerdict() throws Exception {
        mysqlHandshake();
        dc.process("web1-0", Direction.OUT, Packet.tcp(WEB, 40001, DB, 22, Packet.SYN));

        FlowLogCommand c = console.attach(new FlowLogCommand());
        c.dataPlane = dc;
        c.verdict = "drop";
        c.json = true;
        c.execute();

        JsonNode records = console.json();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("ruleId").asText()).isEqualTo("r-ssh");
        assertThat(records.get(0).get("destinationPort").asInt()).isEqualTo(22);

        FlowLogCommand bad = console.attach(new FlowLogCommand());
        bad.dataPlane = dc;
        bad.verdict = "maybe";
        assertThatThrownBy(bad::execute).hasMessageContaining("unknown verdict maybe");
        FlowLogCommand badSince = console.attach(new FlowLogCommand());
        badSince.dataPlane = dc;
        badSince.since = "yesterday";
        assertThatThrownBy(badSince::execute).hasMessageContaining("--since");
    }

    @Test
    void hostsAndVmStatsShowTheDataPlanesCounters() throws Exception {
        mysqlHandshake();

        HostsCommand hosts = console.attach(new HostsCommand());
        hosts.models = manager;
        hosts.dataPlane = dc;
        hosts.json = true;
        hosts.execute();
        JsonNode lines = console.json();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("hostId").asText()).isEqualTo("h1");
        assertThat(lines.get(0).get("stats").get("flows").asInt()).isEqualTo(1);

        console.clear();
        VmStatsCommand vm = console.attach(new VmStatsCommand());
        vm.models = manager;
        vm.dataPlane = dc;
        vm.vmId = "db1";
        vm.json = true;
        vm.execute();
        JsonNode vnics = console.json();
        assertThat(vnics).hasSize(1);
        assertThat(vnics.get(0).get("allowed").asLong()).isEqualTo(3);
        assertThat(vnics.get(0).get("flowsCreated").asLong()).isEqualTo(1);
    }

    @Test
    void aVmMovesWithItsConnections() throws Exception {
        mysqlHandshake();
        manager.create(Kind.HOST, host("h3"), "t");

        VmMoveCommand c = console.attach(new VmMoveCommand());
        c.models = manager;
        c.moves = new VmMover(manager, manager, compiler, dc);
        c.vmId = "db1";
        c.hostId = "h3";
        c.execute();

        assertThat(console.text()).startsWith("db1 moved from h2 to h3: 1 connections carried, 0 cut");
        assertThat(manager.snapshot().find(Kind.VM, "db1").orElseThrow().hostId()).isEqualTo("h3");
        assertThat(manager.audit(new AuditQuery(0, 10, null, "db1", "console")).records()).isNotEmpty();
        // the connection goes on from the new host's flow table
        send("web1-0", "db1-0", Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK));

        VmMoveCommand again = console.attach(new VmMoveCommand());
        again.models = manager;
        again.moves = c.moves;
        again.vmId = "db1";
        again.hostId = "h3";
        assertThatThrownBy(again::execute).hasMessageContaining("h3");
        VmMoveCommand nowhere = console.attach(new VmMoveCommand());
        nowhere.models = manager;
        nowhere.moves = c.moves;
        nowhere.vmId = "db1";
        nowhere.hostId = "nope";
        assertThatThrownBy(nowhere::execute).hasMessageContaining("nope");
    }

    // ---- fixtures

    /** web1:40000 → db1:3306, each packet OUT at its source and IN at its destination. */
    private void mysqlHandshake() {
        send("web1-0", "db1-0", Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN));
        send("db1-0", "web1-0", Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK));
        send("web1-0", "db1-0", Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK));
    }

    private void send(String from, String to, Packet p) {
        assertThat(dc.process(from, Direction.OUT, p).action()).isEqualTo(Action.ALLOW);
        assertThat(dc.process(to, Direction.IN, p).action()).isEqualTo(Action.ALLOW);
    }


    private void vm(String id, String hostId, String tag, String vnicId, String address, int mac) {
        Vnic nic = new Vnic(vnicId, new MacAddress(0x005056000000L + mac), prefixes(address), "seg");
        manager.create(Kind.VM, new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0), "t");
    }
}
