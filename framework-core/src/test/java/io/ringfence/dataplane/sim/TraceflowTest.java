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
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.agent.TraceStep;
import io.ringfence.dataplane.agent.TraceStep.DecidedBy;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.api.Traceflow;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Protocol;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traceflow over a manager, a compiler and the simulated data center: h1 runs web1 (app:web), h2 runs
 * db1 (app:db). r-mysql allows web → db tcp/3306, r-ssh drops it for tcp/22, r-pg allows tcp/5432
 * leaving web (OUT) but r-pg-in rejects it entering db (IN); the default rule drops.
 */
class TraceflowTest {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";
    static final Instant EPOCH = Instant.parse("2024-05-01T00:00:00Z");

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.fixed(EPOCH, ZoneOffset.UTC));
    final AtomicLong nanos = new AtomicLong(1_000);
    final SimulatedDataCenter dc;

    TraceflowTest() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", "app:web", "web1-0", WEB, 1);
        vm("db1", "h2", "app:db", "db1-0", DB, 2);
        manager.create(Kind.VM, new Vm("bare", "bare", "h1", null, List.of(), List.of(), 0), "t");
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.SERVICE, service("ssh", tcp("22")), "t");
        manager.create(Kind.SERVICE, service("pg", tcp("5432")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("r-mysql").sequence(10).sources("g-web").destinations("g-db").services("mysql")
                        .action(Action.ALLOW).build(),
                rule("r-ssh").sequence(20).sources("g-web").destinations("g-db").services("ssh")
                        .action(Action.DROP).build(),
                rule("r-pg").sequence(30).sources("g-web").destinations("g-db").services("pg")
                        .direction(Direction.OUT).action(Action.ALLOW).build(),
                rule("r-pg-in").sequence(40).sources("g-web").destinations("g-db").services("pg")
                        .direction(Direction.IN).action(Action.REJECT).build()), "t");
        PolicyCompiler compiler = new PolicyCompiler(manager.snapshot());
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

    @Test
    void anAllowedPathHasAnOutAndAnInStep() {
        Traceflow t = dc.trace(TraceRequest.tcp("web1", "db1", 3306));

        assertThat(t.verdict()).isEqualTo(Action.ALLOW);
        assertThat(t.sourceVnic()).isEqualTo("web1-0");
        assertThat(t.destinationVnic()).isEqualTo("db1-0");
        assertThat(t.sourceAddress()).isEqualTo(WEB);
        assertThat(t.destinationAddress()).isEqualTo(DB);
        assertThat(t.protocol()).isEqualTo(Packet.TCP);
        assertThat(t.sourcePort()).isEqualTo(TraceRequest.DEFAULT_SOURCE_PORT);
        assertThat(t.destinationPort()).isEqualTo(3306);
        assertThat(t.steps()).hasSize(2);
        TraceStep out = t.steps().get(0);
        assertThat(out.hostId()).isEqualTo("h1");
        assertThat(out.vnicId()).isEqualTo("web1-0");
        assertThat(out.direction()).isEqualTo(Direction.OUT);
        assertThat(out.decidedBy()).isEqualTo(DecidedBy.RULE);
        assertThat(out.ruleId()).isEqualTo("r-mysql");
        assertThat(out.policyId()).isEqualTo("p1");
        assertThat(out.generation()).isPositive();
        TraceStep in = t.steps().get(1);
        assertThat(in.hostId()).isEqualTo("h2");
        assertThat(in.vnicId()).isEqualTo("db1-0");
        assertThat(in.direction()).isEqualTo(Direction.IN);
        assertThat(in.ruleId()).isEqualTo("r-mysql");
        assertThat(in.action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aPacketDroppedAtOutHasNoInStep() {
        Traceflow t = dc.trace(TraceRequest.tcp("web1-0", "db1-0", 22));

        assertThat(t.verdict()).isEqualTo(Action.DROP);
        assertThat(t.steps()).singleElement().satisfies(s -> {
            assertThat(s.direction()).isEqualTo(Direction.OUT);
            assertThat(s.decidedBy()).isEqualTo(DecidedBy.RULE);
            assertThat(s.ruleId()).isEqualTo("r-ssh");
            assertThat(s.action()).isEqualTo(Action.DROP);
        });
    }

    @Test
    void aPacketRejectedAtInIsRejected() {
        Traceflow t = dc.trace(TraceRequest.tcp("web1", "db1", 5432));

        assertThat(t.verdict()).isEqualTo(Action.REJECT);
        assertThat(t.steps()).extracting(TraceStep::ruleId).containsExactly("r-pg", "r-pg-in");
        assertThat(t.steps()).extracting(TraceStep::action).containsExactly(Action.ALLOW, Action.REJECT);
    }

    @Test
    void theDefaultRuleDecidesWhatNoRuleMatches() {
        Traceflow t = dc.trace(TraceRequest.tcp("db1", "web1", 8080));

        assertThat(t.verdict()).isEqualTo(Action.DROP);
        assertThat(t.steps()).singleElement().satisfies(s -> {
            assertThat(s.decidedBy()).isEqualTo(DecidedBy.DEFAULT_RULE);
            assertThat(s.ruleId()).isEqualTo(Verdict.DEFAULT);
            assertThat(s.policyId()).isNull();
        });
    }

    @Test
    void aDestinationAddressOutsideTheDataCenterHasOnlyTheOutStep() {
        Traceflow t = dc.trace(new TraceRequest("web1", null, "192.0.2.9", Protocol.ICMP, null, null, null, null));

        assertThat(t.destinationVnic()).isNull();
        assertThat(t.destinationAddress()).isEqualTo("192.0.2.9");
        assertThat(t.steps()).singleElement().extracting(TraceStep::decidedBy).isEqualTo(DecidedBy.DEFAULT_RULE);
    }

    @Test
    void anAddressOfAVnicIsTracedIntoThatVnic() {
        Traceflow t = dc.trace(new TraceRequest("web1", null, DB, Protocol.TCP, null, 3306, null, null));

        assertThat(t.destinationVnic()).isEqualTo("db1-0");
        assertThat(t.steps()).extracting(TraceStep::vnicId).containsExactly("web1-0", "db1-0");
        assertThat(t.verdict()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aVnicWithoutTablesOnTheHostIsDecidedByTheDefaultRule() {
        var agent = dc.agent("h1").orElseThrow();
        var before = agent.stats();

        TraceStep s = agent.trace("elsewhere-0", Direction.OUT, Packet.tcp(WEB, 40000, DB, 80, Packet.SYN), nanos.get());

        assertThat(s.decidedBy()).isEqualTo(DecidedBy.DEFAULT_RULE);
        assertThat(s.ruleId()).isEqualTo(Verdict.DEFAULT);
        assertThat(s.action()).isEqualTo(Action.DROP);
        assertThat(s.generation()).isEqualTo(-1);
        assertThat(agent.stats()).isEqualTo(before); // process() would have counted a packet without rule set
    }

    @Test
    void anExistingFlowIsAFlowTableHit() {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        dc.process("web1-0", Direction.OUT, syn);
        dc.process("db1-0", Direction.IN, syn);

        Traceflow t = dc.trace(new TraceRequest("web1", "db1", null, Protocol.TCP, 40000, 3306, null, null));

        // the traced SYN is a retransmission of the tracked flow's SYN on both sides
        assertThat(t.verdict()).isEqualTo(Action.ALLOW);
        assertThat(t.steps()).extracting(TraceStep::decidedBy).containsExactly(DecidedBy.FLOW_TABLE, DecidedBy.FLOW_TABLE);
        assertThat(t.steps()).extracting(TraceStep::ruleId).containsExactly("r-mysql", "r-mysql");
        assertThat(t.steps()).extracting(TraceStep::policyId).containsExactly("p1", "p1");
    }

    @Test
    void aTraceChangesNoCounterAndNoFlow() {
        Packet syn = Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN);
        dc.process("web1-0", Direction.OUT, syn);
        dc.process("db1-0", Direction.IN, syn);
        var rules = dc.ruleStats();
        var web = dc.vnicStats("web1-0").orElseThrow();
        var db = dc.vnicStats("db1-0").orElseThrow();
        var webFlows = dc.flows("web1");
        var dbFlows = dc.flows("db1");
        nanos.addAndGet(1_000_000);

        dc.trace(TraceRequest.tcp("web1", "db1", 3306));
        dc.trace(TraceRequest.tcp("web1", "db1", 22));
        dc.trace(TraceRequest.tcp("web1", "db1", 5432));
        dc.trace(TraceRequest.tcp("db1", "web1", 8080));
        dc.trace(new TraceRequest("db1", "web1", null, Protocol.TCP, 3306, 40000, null, null));
        dc.trace(new TraceRequest("web1", "db1", null, Protocol.TCP, 40000, 3306, null, null));

        assertThat(dc.ruleStats()).isEqualTo(rules);
        assertThat(dc.vnicStats("web1-0")).contains(web);
        assertThat(dc.vnicStats("db1-0")).contains(db);
        assertThat(dc.flows("web1")).isEqualTo(webFlows);
        assertThat(dc.flows("db1")).isEqualTo(dbFlows);
    }

    @Test
    void badRequestsNameTheirFields() {
        assertThat(violations(TraceRequest.tcp("nope", "db1", 80))).extracting(Violation::field)
                .containsExactly("/source");
        assertThat(violations(TraceRequest.tcp("web1", "nope", 80))).extracting(Violation::field)
                .containsExactly("/destination");
        assertThat(violations(TraceRequest.tcp("bare", "db1", 80))).extracting(Violation::field)
                .containsExactly("/source");
        assertThat(violations(new TraceRequest("web1", "db1", null, Protocol.TCP, 70000, -1, null, null)))
                .extracting(Violation::field).containsExactly("/sourcePort", "/destinationPort");
        assertThat(violations(new TraceRequest("web1", "db1", null, Protocol.ICMP, 1, null, null, null)))
                .extracting(Violation::field).containsExactly("/sourcePort");
        assertThat(violations(new TraceRequest("web1", "db1", null, null, null, null, null, null)))
                .extracting(Violation::field).containsExactly("/protocol");
        assertThat(violations(new TraceRequest("web1", null, "2001:db8::1", Protocol.TCP, null, 80, null, null)))
                .extracting(Violation::field).containsExactly("/source");
    }

    private List<Violation> violations(TraceRequest request) {
        ValidationException e = catchThrowableOfType(() -> dc.trace(request), ValidationException.class);
        assertThat(e).as("a ValidationException for %s", request).isNotNull();
        return e.violations();
    }
}
