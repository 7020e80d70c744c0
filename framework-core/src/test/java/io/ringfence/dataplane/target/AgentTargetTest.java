package io.ringfence.dataplane.target;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.sim.AgentChannel;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data center's agents fed as enforcement targets, over the real manager, compiler and target
 * feeds: what they acknowledge, what a vNIC enforces before its rule set is realized, and that the
 * agents keep their tables when the manager side goes away.
 *
 * <p>h1 runs web1 (app:web, 10.0.1.1), h2 runs db1 (app:db, 10.0.2.1), h3 runs nothing. Policy p1:
 * r-mysql allows web → db tcp/3306 (logged, tag {@code pci}), r-https rejects web → db tcp/443.
 */
class AgentTargetTest {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";
    static final Duration WAIT = Duration.ofSeconds(10);

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final PolicyCompiler compiler;
    final FeedRegistry feeds;
    SimulatedDataCenter dc;
    AgentTargets targets;
    /** Updates the agents of {@link #heldChannel} were asked to apply, not applied yet. */
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    private int port = 40000;

    AgentTargetTest() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        manager.create(Kind.HOST, host("h3"), "t");
        vm("web1", "h1", "app:web", WEB, 1);
        vm("db1", "h2", "app:db", DB, 2);
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.SERVICE, service("https", tcp("443")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10, mysql(Action.ALLOW),
                rule("r-https").sequence(20).sources("g-web").destinations("g-db").services("https")
                        .action(Action.REJECT).build()), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        feeds = new FeedRegistry(compiler, manager);
    }

    @AfterEach
    void close() {
        if (dc != null) {
            dc.close();
        }
        if (targets != null) {
            targets.close();
        }
        feeds.close();
    }

    private static io.ringfence.model.Rule mysql(Action action) {
        return rule("r-mysql").sequence(10).sources("g-web").destinations("g-db").services("mysql").action(action)
                .logged(true).tag("pci").build();
    }

    private void vm(String id, String hostId, String tag, String address, int mac) {
        Vnic nic = new Vnic(id + "-0", new MacAddress(0x005056000000L + mac), prefixes(address), "seg");
        manager.create(Kind.VM, new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0), "t");
    }

    /** A data center whose agents are targets on their own threads, as the OSGi wiring makes it. */
    private void startWithAgentTargets() {
        targets = new AgentTargets(feeds, 2);
        start(targets);
    }

    /** A data center whose agents apply their updates only when the test runs {@link #held} ones. */
    private void startWithHeldUpdates() {
        start(new AgentChannel() {
            @Override
            public void connect(io.ringfence.dataplane.agent.HostAgent agent) {
                feeds.register(new AgentTarget(agent, held::add));
            }

            @Override
            public void disconnect(io.ringfence.dataplane.agent.HostAgent agent) {
                // only when the data center closes; the teardown closes the feeds
            }
        });
    }

    private void start(AgentChannel channel) {
        dc = new SimulatedDataCenter(channel, new SimulatedDataCenter.Config(1000, null));
        manager.addListener(dc);
    }

    /** Applies the held updates until every feed has its acknowledgement. */
    private void realizeHeld() {
        await().atMost(WAIT).until(() -> {
            for (Runnable r = held.poll(); r != null; r = held.poll()) {
                r.run();
            }
            return feeds.inSync();
        });
    }

    private Verdict open(String vnic, Direction direction, String from, String to, int dport) {
        return dc.process(vnic, direction, Packet.tcp(from, port++, to, dport, Packet.SYN));
    }

    private long generation(String vnic) {
        return compiler.ruleSet(vnic).map(VnicRuleSet::generation).orElseThrow();
    }

    @Test
    void eachAgentIsAHypervisorTargetThatAcknowledgesTheGenerationsItSwappedIn() {
        startWithAgentTargets();
        await().atMost(WAIT).until(feeds::inSync);

        TargetFeedStatus h1 = feeds.status("agent:h1").orElseThrow();
        assertThat(h1.realized()).isEqualTo(Map.of("web1-0", generation("web1-0")));
        assertThat(h1.error()).isNull();
        assertThat(feeds.status("agent:h2").orElseThrow().realized()).isEqualTo(Map.of("db1-0", generation("db1-0")));
        assertThat(feeds.status("agent:h3").orElseThrow().realized()).isEmpty();

        assertThat(open("web1-0", Direction.OUT, WEB, DB, 3306).action()).isEqualTo(Action.ALLOW);
        assertThat(open("db1-0", Direction.IN, WEB, DB, 3306).action()).isEqualTo(Action.ALLOW);
        assertThat(open("web1-0", Direction.OUT, WEB, DB, 443).action()).isEqualTo(Action.REJECT);
        // what only the flow log shows made it through the SPI: the rule's policy and tag
        assertThat(dc.flowLog(new FlowLogQuery("web1", "r-mysql", null, null, null, 10)))
                .extracting(FlowLogRecord::policyId, FlowLogRecord::tag).containsOnly(org.assertj.core.groups.Tuple
                        .tuple("p1", "pci"));

        long before = generation("web1-0");
        manager.replaceRule("p1", "r-mysql", mysql(Action.DROP), null, "t");
        await().atMost(WAIT).until(feeds::inSync);

        assertThat(generation("web1-0")).isGreaterThan(before);
        assertThat(feeds.status("agent:h1").orElseThrow().realized()).containsEntry("web1-0", generation("web1-0"));
        assertThat(dc.agent("h1").orElseThrow().tables("web1-0").orElseThrow().generation())
                .isEqualTo(generation("web1-0"));
        assertThat(open("web1-0", Direction.OUT, WEB, DB, 3306).action()).isEqualTo(Action.DROP);
    }

    @Test
    void entriesAChangeDidNotTouchReachTheAgentAsTheObjectsItAlreadyHas() {
        startWithAgentTargets();
        await().atMost(WAIT).until(feeds::inSync);
        var before = dc.agent("h1").orElseThrow().tables("web1-0").orElseThrow().ruleSet().out();

        manager.replaceRule("p1", "r-https", rule("r-https").sequence(20).sources("g-web").destinations("g-db")
                .services("https").action(Action.DROP).build(), null, "t");
        await().atMost(WAIT).until(() -> feeds.inSync()
                && feeds.status("agent:h1").orElseThrow().realized().get("web1-0") == generation("web1-0"));

        var after = dc.agent("h1").orElseThrow().tables("web1-0").orElseThrow().ruleSet().out();
        assertThat(after).extracting(e -> e.ruleId()).containsExactly("r-mysql", "r-https");
        assertThat(after.get(0)).isSameAs(before.get(0));
        assertThat(after.get(1)).isNotSameAs(before.get(1));
        assertThat(after.get(1).action()).isEqualTo(Action.DROP);
    }

    @Test
    void aNewVnicEnforcesTheDefaultRuleFromItsFirstPacketUntilItsRuleSetIsRealized() {
        startWithHeldUpdates();
        realizeHeld();

        vm("web2", "h1", "app:web", "10.0.1.2", 3);
        assertThat(feeds.status("agent:h1").orElseThrow().desired()).containsKey("web2-0");
        assertThat(feeds.status("agent:h1").orElseThrow().realized()).doesNotContainKey("web2-0");

        Verdict first = open("web2-0", Direction.OUT, "10.0.1.2", DB, 3306);
        assertThat(first).extracting(Verdict::action, Verdict::ruleId, Verdict::generation)
                .containsExactly(Action.DROP, Verdict.DEFAULT, -1L);
        assertThat(dc.flowLog(new FlowLogQuery(null, Verdict.DEFAULT, null, null, null, 10)))
                .extracting(FlowLogRecord::vnicId, FlowLogRecord::action).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("web2-0", Action.DROP));

        realizeHeld();
        assertThat(feeds.status("agent:h1").orElseThrow().realized()).containsEntry("web2-0", generation("web2-0"));
        assertThat(open("web2-0", Direction.OUT, "10.0.1.2", DB, 3306).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void flowsAnAllowingDefaultRuleOpenedBeforeTheRuleSetAreCutWhenItArrives() {
        manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0), null, "t");
        startWithHeldUpdates();
        realizeHeld();

        vm("web2", "h1", "app:web", "10.0.1.2", 3);
        Verdict early = open("web2-0", Direction.OUT, "10.0.1.2", DB, 443);
        assertThat(early).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, Verdict.DEFAULT);
        assertThat(dc.flows("web2")).hasSize(1);

        realizeHeld();
        // r-https rejects what the default rule let open: the flow is cut
        assertThat(dc.flows("web2")).isEmpty();
        assertThat(dc.vnicStats("web2-0").orElseThrow().flowsCut()).isEqualTo(1);
    }

    @Test
    void aDefaultRuleChangeReachesAHostWithoutVnicsBeforeItsFirstVnic() {
        startWithHeldUpdates();
        realizeHeld();
        assertThat(dc.agent("h3").orElseThrow().process("new-0", Direction.OUT,
                Packet.tcp("10.0.3.1", 1234, DB, 22, Packet.SYN), 1).action()).isEqualTo(Action.DROP);

        manager.setDefaultRule(new DefaultRule(Action.ALLOW, true, 0), null, "t");
        realizeHeld();

        assertThat(dc.agent("h3").orElseThrow().process("new-0", Direction.OUT,
                Packet.tcp("10.0.3.1", 1235, DB, 22, Packet.SYN), 2))
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, Verdict.DEFAULT);
    }

    @Test
    void theAgentsKeepEnforcingTheirLastTablesWhenTheManagerSideGoesAway() {
        startWithAgentTargets();
        await().atMost(WAIT).until(feeds::inSync);
        long realized = dc.agent("h1").orElseThrow().tables("web1-0").orElseThrow().generation();

        feeds.close(); // every feed detached from the compiler and closed
        manager.replaceRule("p1", "r-mysql", mysql(Action.DROP), null, "t");

        assertThat(generation("web1-0")).isGreaterThan(realized);
        assertThat(dc.agent("h1").orElseThrow().tables("web1-0").orElseThrow().generation()).isEqualTo(realized);
        assertThat(open("web1-0", Direction.OUT, WEB, DB, 3306).action()).isEqualTo(Action.ALLOW);
        assertThat(open("db1-0", Direction.IN, WEB, DB, 3306).action()).isEqualTo(Action.ALLOW);
        assertThat(open("web1-0", Direction.OUT, WEB, DB, 443).action()).isEqualTo(Action.REJECT);
    }
}
