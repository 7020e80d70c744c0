package io.ringfence.benchmarks;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.dataplane.target.AgentTargets;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.enforcement.internal.VnicDirectory;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
 * Realization latency across 1,000 in-JVM host agents: from an API-level change (a rule replaced
 * through the model manager, as the REST resource does) until every host agent the change touches
 * has acknowledged the new generation, i.e. has swapped in the new tables of its vNICs.
 *
 * <p>The path measured is the framework's own: the model manager commits the change and notifies
 * the compiler, which emits one delta per touched host; one {@link TargetFeed} per agent (as the
 * enforcement component makes them, all on one feed thread) converts it into an SPI update; the
 * agent's target ({@link AgentTargets}, one thread per core) converts it back, builds the tables and
 * acknowledges. The latency ends when the last acknowledgement of the change completes.
 *
 * <p>The data center: {@link SyntheticDataCenter} with {@code hosts} hosts and {@code vms} VMs (two
 * vNICs each; the other counts in the proportions of the full-size model; a host the random placement
 * left empty gets a VM of one vNIC in segment {@code mgmt}), plus a group of every VM
 * (all of them have a vNIC in segment {@code mgmt}) and a group of one VM, and a policy with one
 * rule from each to anywhere (OUT). {@code change}: {@code ALL_HOSTS} toggles the action of the
 * first rule (ALLOW / DROP), which changes the OUT table of every vNIC on every host;
 * {@code ONE_HOST} toggles the second, which changes the two vNICs of one VM on one host.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class RealizationBenchmark {

    /** The changes measured. */
    public enum Change { ALL_HOSTS, ONE_HOST }

    @Param({"1000"})
    int hosts;

    @Param({"4000"})
    int vms;

    @Param({"ALL_HOSTS", "ONE_HOST"})
    Change change;

    ModelManager manager;
    PolicyCompiler compiler;
    SimulatedDataCenter dataCenter;
    AgentTargets targets;
    final ScheduledExecutorService feedThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-target-feeds");
        t.setDaemon(true);
        return t;
    });
    EnforcementManager enforcement;
    /** Each target the agents registered, as wrapped for the enforcement manager. */
    final Map<EnforcementTarget, EnforcementTarget> counted = new ConcurrentHashMap<>();
    /** The generation the current change gets; targets count down {@link #realized} when they acknowledge it. */
    final AtomicLong awaited = new AtomicLong(Long.MAX_VALUE);
    volatile CountDownLatch realized;
    int touchedHosts;
    /** The action the measured rule has now (both start as ALLOW): each change turns it. */
    boolean allow = true;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SyntheticDataCenter.Size size = new SyntheticDataCenter.Size(hosts, vms, Math.max(2, vms / 40),
                Math.max(4, vms / 4), Math.max(4, vms / 100), Math.max(8, vms));
        SyntheticDataCenter model = SyntheticDataCenter.generate(size, SyntheticDataCenter.SEED);
        manager = model.newManager(new InMemoryModelStore());
        String oneVm = "vm-0";
        // VMs land on random hosts: give each host that got none a VM, so that every host enforces something
        Set<String> occupied = manager.snapshot().vms().stream().map(Vm::hostId).collect(Collectors.toSet());
        int added = 0;
        for (Host host : manager.snapshot().hosts()) {
            if (!occupied.contains(host.id())) {
                added++;
                Vnic nic = new Vnic("bench-vm-" + added + "-0", new MacAddress(0x02_00_5e_00_00_00L + added),
                        List.of(IpPrefix.parse("198.18." + (added >> 8) + "." + (added & 0xFF))), "mgmt");
                manager.create(Kind.VM, new Vm("bench-vm-" + added, "bench-vm-" + added, host.id(), null, List.of(),
                        List.of(nic), 0), "bench");
            }
        }
        manager.create(Kind.GROUP, new Group("bench-all", "every VM", null,
                new Criterion.Condition(Criterion.Attribute.SEGMENT, Criterion.Operator.EQUALS, "mgmt"),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 0), "bench");
        manager.create(Kind.GROUP, new Group("bench-one", "one VM", null, null, List.of(oneVm), List.of(), List.of(),
                List.of(), List.of(), List.of(), 0), "bench");
        manager.create(Kind.POLICY, new Policy("bench", "bench", null, Category.APPLICATION, 1,
                List.of(rule("bench-all", 10, Action.ALLOW), rule("bench-one", 20, Action.ALLOW)), 0), "bench");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        enforcement = new EnforcementManager(compiler, VnicDirectory.of(manager),
                ReconcilerSettings.DEFAULT.withAcknowledgementTimeout(Duration.ofMinutes(5)), feedThread,
                Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
        targets = new AgentTargets(new Feeds(), Runtime.getRuntime().availableProcessors());
        dataCenter = new SimulatedDataCenter(targets, new SimulatedDataCenter.Config(1_000, null));
        manager.addListener(dataCenter);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!enforcement.targets().stream().allMatch(TargetFeedStatus::inSync)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agents did not realize the initial state in 5 minutes");
            }
            Thread.sleep(100);
        }
        if (enforcement.targets().size() != hosts) {
            throw new IllegalStateException(enforcement.targets().size() + " targets for " + hosts + " hosts");
        }
        Vm vm = manager.find(Kind.VM, oneVm).orElseThrow();
        touchedHosts = change == Change.ALL_HOSTS ? hosts : 1;
        System.out.println("\n" + added + " hosts without VMs got one");
        System.out.println("\n" + hosts + " host agents as targets, " + compiler.stats().vnics() + " vNICs, "
                + compiler.stats().entries() + " entries; " + change + " touches " + touchedHosts + " host(s)"
                + (change == Change.ONE_HOST ? " (" + vm.hostId() + ")" : ""));
    }

    private static Rule rule(String group, int sequence, Action action) {
        return new Rule(group, null, sequence, List.of(group), false, List.of(), false, List.of(), List.of(),
                Direction.OUT, action, false, false, false, null, 0);
    }

    /** One change and the wait for its acknowledgements. */
    @Benchmark
    public long realize() throws InterruptedException {
        allow = !allow;
        String ruleId = change == Change.ALL_HOSTS ? "bench-all" : "bench-one";
        Rule next = rule(ruleId, change == Change.ALL_HOSTS ? 10 : 20, allow ? Action.ALLOW : Action.DROP);
        CountDownLatch latch = new CountDownLatch(touchedHosts);
        realized = latch;
        awaited.set(compiler.generation() + 1);
        manager.replaceRule("bench", ruleId, next, null, "bench");
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(latch.getCount() + " of " + touchedHosts
                    + " hosts did not acknowledge generation " + awaited.get() + " within 30 s");
        }
        return compiler.generation();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dataCenter.close();
        targets.close();
        enforcement.close();
        feedThread.shutdownNow();
    }

    /** The targets the agents register, each counting the acknowledgements awaited, fed by the enforcement manager. */
    private final class Feeds implements AgentTargets.Registry {

        @Override
        public void register(EnforcementTarget target) {
            EnforcementTarget wrapped = new Counted(target);
            counted.put(target, wrapped);
            enforcement.addTarget(wrapped);
        }

        @Override
        public void unregister(EnforcementTarget target) {
            EnforcementTarget wrapped = counted.remove(target);
            if (wrapped != null) {
                enforcement.removeTarget(wrapped);
            }
        }
    }

    /** A target that counts down the latch when it acknowledges the awaited generation. */
    private final class Counted implements EnforcementTarget {
        private final EnforcementTarget target;

        Counted(EnforcementTarget target) {
            this.target = target;
        }

        @Override
        public TargetDescriptor descriptor() {
            return target.descriptor();
        }

        @Override
        public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
            return target.apply(update).thenApply(ack -> {
                long want = awaited.get();
                if (ack.ok() && ack.realized().values().stream().anyMatch(g -> g == want)) {
                    realized.countDown();
                }
                return ack;
            });
        }
    }
}
