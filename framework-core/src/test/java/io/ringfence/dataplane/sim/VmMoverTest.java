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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.api.FlowEntry;
import io.ringfence.dataplane.conntrack.FlowState;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.RevisionMismatchException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.move.VmMove;
import io.ringfence.move.VmMoveRefusedException;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.AuditRecord;
import io.ringfence.store.InMemoryModelStore;
import io.ringfence.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * VM moves in the simulated data center over a manager and a compiler: h1 runs web1 (app:web, 10.0.1.1),
 * h2 runs db1 (app:db, 10.0.2.1), h3 runs nothing; r-mysql allows web → db tcp/3306, the default rule
 * drops. A TCP connection web1 → db1:3306 is established before each move.
 */
class VmMoverTest {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";
    static final Instant EPOCH = Instant.parse("2024-05-01T00:00:00Z");
    static final int PORT = 40000;

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.fixed(EPOCH, ZoneOffset.UTC));
    final AtomicLong nanos = new AtomicLong(1_000);
    final PolicyCompiler compiler;
    final SimulatedDataCenter dc;
    /** What a test wants done as the commit of a move reaches the model (before it). */
    Runnable beforeCommit = () -> { };
    /** What a test wants done as a move holds the VM's packets (before they are held). */
    Runnable beforeHold = () -> { };
    final VmMover mover;

    VmMoverTest() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        manager.create(Kind.HOST, host("h3"), "t");
        vm("web1", "h1", "app:web", "web1-0", WEB, 1);
        vm("db1", "h2", "app:db", "db1-0", DB, 2);
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10, mysql(Action.ALLOW)), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        dc = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(1000, null), nanos::get,
                Clock.fixed(EPOCH, ZoneOffset.UTC));
        manager.addListener(dc);
        mover = new VmMover(manager, new CommitHook(), compiler, new HoldHook());
        handshake();
    }

    @AfterEach
    void close() {
        dc.close();
    }

    private static Rule mysql(Action action) {
        return rule("r-mysql").sequence(10).sources("g-web").destinations("g-db").services("mysql").action(action)
                .build();
    }

    private void vm(String id, String hostId, String tag, String vnicId, String address, int mac) {
        Vnic nic = new Vnic(vnicId, new MacAddress(0x005056000000L + mac), prefixes(address), "seg");
        manager.create(Kind.VM, new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0), "t");
    }

    private HostAgent agent(String host) {
        return dc.agent(host).orElseThrow();
    }

    /** One packet out of the sender's vNIC and into the receiver's: both verdicts (the second null if dropped). */
    private List<Verdict> send(String from, String to, Packet p) {
        nanos.addAndGet(1_000);
        List<Verdict> verdicts = new ArrayList<>(2);
        Verdict out = dc.process(from, Direction.OUT, p);
        verdicts.add(out);
        verdicts.add(out.allowed() ? dc.process(to, Direction.IN, p) : null);
        return verdicts;
    }

    private void handshake() {
        List<Verdict> all = new ArrayList<>();
        all.addAll(send("web1-0", "db1-0", Packet.tcp(WEB, PORT, DB, 3306, Packet.SYN)));
        all.addAll(send("db1-0", "web1-0", Packet.tcp(DB, 3306, WEB, PORT, Packet.SYN | Packet.ACK)));
        all.addAll(send("web1-0", "db1-0", Packet.tcp(WEB, PORT, DB, 3306, Packet.ACK)));
        assertThat(all).allMatch(v -> v != null && v.allowed());
    }

    /** A data segment from web1 and its acknowledgement from db1: the four verdicts. */
    private List<Verdict> exchange() {
        List<Verdict> v = new ArrayList<>(send("web1-0", "db1-0", Packet.tcp(WEB, PORT, DB, 3306, Packet.ACK)));
        v.addAll(send("db1-0", "web1-0", Packet.tcp(DB, 3306, WEB, PORT, Packet.ACK)));
        return v;
    }

    private static void assertEstablished(List<Verdict> verdicts) {
        assertThat(verdicts).allSatisfy(v -> assertThat(v).isNotNull()
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "r-mysql", true));
    }

    @Test
    void aLongLivedConnectionGoesOnAcrossTheMoveFromTheFlowTableOfTheDestination() {
        long generation = compiler.ruleSet("web1-0").orElseThrow().generation();
        boolean[] realizedFirst = new boolean[1];
        beforeHold = () -> realizedFirst[0] = agent("h3").enforces("web1-0", generation)
                && agent("h1").enforces("web1-0", generation) && dc.process("web1-0", Direction.OUT,
                Packet.tcp(WEB, PORT, DB, 3306, Packet.ACK)).fromFlowTable();
        VmMove move = null;
        for (int i = 0; i < 200; i++) {
            if (i == 100) {
                move = mover.move("web1", "h3", null, "alice");
            }
            assertEstablished(exchange());
        }

        assertThat(realizedFirst[0]).as("h3 enforced web1's rule set while h1 still decided its packets").isTrue();
        assertThat(move.vm().hostId()).isEqualTo("h3");
        assertThat(move.fromHostId()).isEqualTo("h1");
        assertThat(move.flowsCarried()).isEqualTo(1);
        assertThat(move.flowsCut()).isZero();
        assertThat(manager.find(Kind.VM, "web1").orElseThrow().hostId()).isEqualTo("h3");
        // the source forgot the vNIC, the destination has it at the generation the commit compiled
        assertThat(agent("h1").vnics()).doesNotContain("web1-0");
        assertThat(agent("h1").tracker().flows("web1-0")).isEmpty();
        assertThat(agent("h3").enforces("web1-0", compiler.ruleSet("web1-0").orElseThrow().generation())).isTrue();
        // the flow's counters and the vNIC's add up across the move: 3 handshake packets + 200 exchanges
        FlowEntry flow = dc.flows("web1").get(0);
        assertThat(dc.flows("web1")).hasSize(1);
        assertThat(flow.state()).isEqualTo(FlowState.ESTABLISHED);
        assertThat(flow.originalPackets()).isEqualTo(2 + 200 + 1);
        assertThat(flow.replyPackets()).isEqualTo(1 + 200);
        VnicStats web = dc.vnicStats("web1-0").orElseThrow();
        assertThat(web.allowed()).isEqualTo(3 + 400 + 1);
        assertThat(web.dropped()).isZero();
        assertThat(web.flowsCreated()).isEqualTo(1);
        assertThat(dc.ruleStats("r-mysql").packets()).isEqualTo(6 + 800 + 1);
        assertThat(dc.ruleStats("r-mysql").sessions()).as("one flow opened at each end, none since").isEqualTo(2);
        AuditRecord audit = manager.audit(new AuditQuery(0, 1, null, "web1", null)).records().get(0);
        assertThat(audit.principal()).isEqualTo("alice");
        assertThat(audit.revision()).isEqualTo(move.vm().revision());
    }

    @Test
    void packetsFromAnotherThreadAreHeldNotDroppedWhileTheVmMovesBackAndForth() throws InterruptedException {
        AtomicLong exchanges = new AtomicLong();
        List<List<Verdict>> wrong = new ArrayList<>();
        boolean[] stop = new boolean[1];
        Thread traffic = new Thread(() -> {
            // bounded: the moves below need far fewer exchanges than this
            for (int i = 0; i < 2_000_000 && !stopped(stop); i++) {
                List<Verdict> v = exchange();
                if (!v.stream().allMatch(x -> x != null && x.allowed() && x.fromFlowTable())) {
                    synchronized (wrong) {
                        wrong.add(v);
                    }
                }
                exchanges.incrementAndGet();
            }
        }, "vm-move-traffic");
        traffic.start();
        List<String> hosts = List.of("h3", "h2", "h1", "h3");
        for (String host : hosts) {
            long seen = exchanges.get();
            while (exchanges.get() < seen + 500 && traffic.isAlive()) {
                Thread.onSpinWait();
            }
            assertThat(mover.move("web1", host, null, "t").flowsCarried()).isEqualTo(1);
        }
        synchronized (stop) {
            stop[0] = true;
        }
        traffic.join(60_000);

        assertThat(traffic.isAlive()).isFalse();
        synchronized (wrong) {
            assertThat(wrong).isEmpty();
        }
        long n = exchanges.get();
        assertThat(n).isGreaterThanOrEqualTo(2_000);
        FlowEntry flow = dc.flows("web1").get(0);
        assertThat(flow.originalPackets()).isEqualTo(2 + n);
        assertThat(flow.replyPackets()).isEqualTo(1 + n);
        assertThat(dc.vnicStats("web1-0").orElseThrow().allowed()).isEqualTo(3 + 2 * n);
        assertThat(dc.ruleStats("r-mysql").packets()).isEqualTo(6 + 4 * n);
    }

    private static boolean stopped(boolean[] stop) {
        synchronized (stop) {
            return stop[0];
        }
    }

    @Test
    void aFlowWhoseRuleTurnedToDropWhileItsVmMovedIsCutAtTheDestination() {
        // the rule changes between the flows' arrival at h3 and the commit: h1 cuts its own copy, and h3
        // gets the new rules with the commit, which cut the flow that came
        beforeCommit = () -> manager.replaceRule("p1", "r-mysql", mysql(Action.DROP), null, "t");

        VmMove move = mover.move("web1", "h3", null, "t");

        assertThat(move.flowsCarried()).isZero();
        assertThat(move.flowsCut()).isEqualTo(1);
        assertThat(agent("h3").vnicStats("web1-0").orElseThrow().flowsCut()).isEqualTo(1);
        List<Verdict> next = send("web1-0", "db1-0", Packet.tcp(WEB, PORT, DB, 3306, Packet.ACK));
        assertThat(next.get(0)).extracting(Verdict::action, Verdict::ruleId)
                .containsExactly(Action.DROP, Verdict.INVALID);
    }

    @Test
    void aFlowCutBeforeTheMoveDoesNotComeBack() {
        manager.replaceRule("p1", "r-mysql", mysql(Action.DROP), null, "t");

        VmMove move = mover.move("web1", "h3", null, "t");

        assertThat(move.flowsCarried()).isZero();
        assertThat(move.flowsCut()).isZero();
        assertThat(send("web1-0", "db1-0", Packet.tcp(WEB, PORT, DB, 3306, Packet.ACK)).get(0).action())
                .isEqualTo(Action.DROP);
    }

    @Test
    void aMoveThatCannotBeCommittedLeavesTheVmWhereItWasWithItsConnection() {
        assertEstablished(exchange());
        VnicStats before = dc.vnicStats("web1-0").orElseThrow();
        beforeCommit = () -> {
            throw new StoreException("the database is away");
        };

        assertThatThrownBy(() -> mover.move("web1", "h3", null, "t")).isInstanceOf(StoreException.class);

        assertThat(manager.find(Kind.VM, "web1").orElseThrow().hostId()).isEqualTo("h1");
        assertThat(agent("h3").vnics()).doesNotContain("web1-0");
        assertThat(agent("h3").tracker().size()).isZero();
        assertThat(dc.vnicStats("web1-0").orElseThrow()).isEqualTo(before);
        assertEstablished(exchange());
        assertThat(dc.flows("web1").get(0).originalPackets()).isEqualTo(2 + 2);
        // and it can move once the store is back
        beforeCommit = () -> { };
        assertThat(mover.move("web1", "h3", null, "t").flowsCarried()).isEqualTo(1);
        assertEstablished(exchange());
    }

    @Test
    void aVmMovesOnlyWhereItIsNotAndOnceAtATime() {
        long revision = manager.find(Kind.VM, "web1").orElseThrow().revision();

        assertThatThrownBy(() -> mover.move("nope", "h3", null, "t")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> mover.move("web1", "h9", null, "t")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).violations()).extracting(Violation::field)
                        .containsExactly("/hostId"));
        assertThatThrownBy(() -> mover.move("web1", "h1", null, "t")).isInstanceOf(VmMoveRefusedException.class)
                .satisfies(e -> assertThat(((VmMoveRefusedException) e).reason())
                        .isEqualTo(VmMoveRefusedException.Reason.SAME_HOST));
        assertThatThrownBy(() -> mover.move("web1", "h3", revision - 1, "t"))
                .isInstanceOf(RevisionMismatchException.class);
        List<RuntimeException> second = new ArrayList<>();
        beforeHold = () -> {
            try {
                mover.move("web1", "h2", null, "t");
            } catch (RuntimeException e) {
                second.add(e);
            }
        };
        assertThat(mover.move("web1", "h3", revision, "t").vm().hostId()).isEqualTo("h3");
        assertThat(second).singleElement().isInstanceOf(VmMoveRefusedException.class)
                .satisfies(e -> assertThat(((VmMoveRefusedException) e).reason())
                        .isEqualTo(VmMoveRefusedException.Reason.MOVING));
        assertThat(agent("h3").vnics()).as("nothing left of the refused moves").containsExactly("web1-0");
        assertThat(agent("h2").vnics()).containsExactly("db1-0");
    }

    /** The data center's agents, running {@link #beforeHold} as a move starts its handover (holds the packets). */
    private final class HoldHook implements HostDataPlanes {
        @Override
        public Optional<HostAgent> agent(String hostId) {
            return dc.agent(hostId);
        }

        @Override
        public long now() {
            return dc.now();
        }

        @Override
        public Handover handover(Collection<String> vnicIds) {
            beforeHold.run();
            return dc.handover(vnicIds);
        }
    }

    /** The manager, running {@link #beforeCommit} as a move commits. */
    private final class CommitHook implements ModelAdminService {
        @Override
        public <T extends Entity> T create(Kind<T> kind, T object, String principal) {
            return manager.create(kind, object, principal);
        }

        @Override
        public <T extends Entity> T replace(Kind<T> kind, String id, T object, Long expectedRevision,
                                            String principal) {
            beforeCommit.run();
            return manager.replace(kind, id, object, expectedRevision, principal);
        }

        @Override
        public void delete(Kind<?> kind, String id, Long expectedRevision, String principal) {
            manager.delete(kind, id, expectedRevision, principal);
        }

        @Override
        public Rule createRule(String policyId, Rule rule, String principal) {
            return manager.createRule(policyId, rule, principal);
        }

        @Override
        public Rule replaceRule(String policyId, String ruleId, Rule rule, Long expectedRevision, String principal) {
            return manager.replaceRule(policyId, ruleId, rule, expectedRevision, principal);
        }

        @Override
        public void deleteRule(String policyId, String ruleId, Long expectedRevision, String principal) {
            manager.deleteRule(policyId, ruleId, expectedRevision, principal);
        }

        @Override
        public RedirectionRule createRedirectionRule(String policyId, RedirectionRule rule, String principal) {
            return manager.createRedirectionRule(policyId, rule, principal);
        }

        @Override
        public RedirectionRule replaceRedirectionRule(String policyId, String ruleId, RedirectionRule rule,
                                                      Long expectedRevision, String principal) {
            return manager.replaceRedirectionRule(policyId, ruleId, rule, expectedRevision, principal);
        }

        @Override
        public void deleteRedirectionRule(String policyId, String ruleId, Long expectedRevision, String principal) {
            manager.deleteRedirectionRule(policyId, ruleId, expectedRevision, principal);
        }

        @Override
        public DefaultRule setDefaultRule(DefaultRule rule, Long expectedRevision, String principal) {
            return manager.setDefaultRule(rule, expectedRevision, principal);
        }

        @Override
        public ModelSnapshot whatIf(Consumer<ModelAdminService> change) {
            return manager.whatIf(change);
        }
    }
}
