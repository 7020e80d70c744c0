package io.ringfence.benchmarks;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;

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
import io.ringfence.move.VmMove;
import io.ringfence.store.jdbc.JdbcModelStore;
import io.ringfence.store.jdbc.SchemaMigrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of a VM move with its connections in the in-JVM data center, over the H2 file store: the VM's
 * rule set realized on the destination, its {@code flows} established TCP connections carried over while
 * its packets are held, the new host committed durably, the source cleared. The VM moves back and forth
 * between two hosts; at the end of the trial the mean time its packets were held is printed beside JMH's
 * figures (the hold is most of the move: it covers the carrying and the commit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class VmMoveBenchmark {

    @Param({"0", "1000", "10000"})
    int flows;

    ModelManager manager;
    SimulatedDataCenter dataCenter;
    VmMover mover;
    int moves;
    long heldNanos;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("ringfence-bench");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
        new SchemaMigrator(ds).migrate();
        manager = new ModelManager(new JdbcModelStore(ds), Clock.systemUTC());
        for (String h : List.of("h1", "h2", "h3")) {
            manager.create(Kind.HOST, host(h), "bench");
        }
        manager.create(Kind.VM, vm("web", "h1", "app:web", "10.0.1.1", 1), "bench");
        manager.create(Kind.VM, vm("db", "h3", "app:db", "10.0.2.1", 2), "bench");
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "bench");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "bench");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "bench");
        manager.create(Kind.POLICY, policy("p", Category.APPLICATION, 10, rule("web-db").sequence(10)
                .sources("g-web").destinations("g-db").services("mysql").action(Action.ALLOW).build()), "bench");
        PolicyCompiler compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        dataCenter = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(4 * flows + 16, null));
        manager.addListener(dataCenter);
        mover = new VmMover(manager, manager, compiler, dataCenter);
        for (int i = 0; i < flows; i++) {
            int port = 1024 + i;
            send("web-0", "db-0", Packet.tcp("10.0.1.1", port, "10.0.2.1", 3306, Packet.SYN));
            send("db-0", "web-0", Packet.tcp("10.0.2.1", 3306, "10.0.1.1", port, Packet.SYN | Packet.ACK));
            send("web-0", "db-0", Packet.tcp("10.0.1.1", port, "10.0.2.1", 3306, Packet.ACK));
        }
        if (dataCenter.flows("web").size() != flows) {
            throw new IllegalStateException("expected " + flows + " connections, have " + dataCenter.flows("web").size());
        }
    }

    private static Vm vm(String id, String hostId, String tag, String address, int mac) {
        Vnic nic = new Vnic(id + "-0", new MacAddress(0x005056000000L + mac), prefixes(address), "seg");
        return new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0);
    }

    private void send(String from, String to, Packet p) {
        if (!dataCenter.process(from, Direction.OUT, p).allowed() || !dataCenter.process(to, Direction.IN, p).allowed()) {
            throw new IllegalStateException("not allowed: " + p);
        }
    }

    @Benchmark
    public VmMove move() {
        VmMove move = mover.move("web", moves++ % 2 == 0 ? "h2" : "h1", null, "bench");
        if (move.flowsCarried() != flows) {
            throw new IllegalStateException("carried " + move.flowsCarried() + " of " + flows + " connections");
        }
        heldNanos += move.held().toNanos();
        return move;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n%d connections: packets held %.1f us on average over %d moves%n", flows,
                heldNanos / 1_000.0 / Math.max(1, moves), moves);
        dataCenter.close();
    }
}
