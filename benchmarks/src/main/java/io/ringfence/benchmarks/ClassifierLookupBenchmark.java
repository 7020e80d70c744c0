package io.ringfence.benchmarks;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.classifier.ClassBench;
import io.ringfence.dataplane.classifier.ClassBench.Profile;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Classification lookups per second on one core, for {@link RuleTable} and for the
 * {@link LinearScan} baseline, measured in the same run on the same {@link ClassBench} rule set
 * and trace: {@value #TRACE} packets aimed at entries picked uniformly over positions, a tenth of
 * them matching nothing. Targets at 10,000 rules: at least 5 million lookups per second and at
 * least 100 times the linear scan.
 *
 * <ul>
 * <li>{@code ruleTable}: a table built from the set;</li>
 * <li>{@code ruleTableUpdated}: the table after {@code max(32, rules / 32)} one-rule changes, each
 *     compiled with {@code RuleTable.update} from the one before (so it answers from a shared core
 *     with dead rows and an overlay of the changed entries, as a vNIC's table does between two
 *     compactions), on a trace of the same kind for its entries;</li>
 * <li>{@code linearScan}: the baseline, on the built table's entries and trace.</li>
 * </ul>
 * The trial first checks that the table and the linear scan answer the same on every packet of the
 * trace (and the updated table as a fresh build of its entries does), then records the heap the
 * table retains, its shape, and where the trace's packets hit (the {@link ExtraResults} section
 * {@code classifier.<profile>.<rules>}). Each measured iteration also divides its lookups by the
 * benchmark thread's CPU time ({@link CpuClock}): the rate per core, whatever else the machine ran
 * meanwhile (section {@code classifierCpu.<method>.<profile>.<rules>}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:ActiveProcessorCount=1", "-XX:+UseG1GC"})
@Threads(1)
public class ClassifierLookupBenchmark {

    static final int TRACE = 4096;
    /** The seed of every rule set and trace. */
    static final long SEED = 20_240_601L;

    @Param({"ACL", "FW"})
    Profile profile;

    @Param({"100", "1000", "10000"})
    int rules;

    RuleTable table;
    LinearScan linear;
    Packet[] trace;
    RuleTable updated;
    Packet[] updatedTrace;
    long invocations;
    long cpuAtStart;
    boolean measuring;
    final List<Double> cpuRates = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        ClassBench bench = new ClassBench(profile, 0, SEED + rules);
        List<CompiledRule> entries = bench.rules(rules);
        trace = bench.trace(entries, TRACE, 0.1).toArray(Packet[]::new);
        long before = ExtraResults.usedHeapAfterGc();
        long start = System.nanoTime();
        table = RuleTable.build(Direction.IN, entries, bench.groups()::get);
        double buildMs = (System.nanoTime() - start) / 1e6;
        long retained = ExtraResults.usedHeapAfterGc() - before;
        Reference.reachabilityFence(table);
        linear = new LinearScan(Direction.IN, entries, bench.groups()::get);
        int[] depths = new int[10];
        int misses = 0;
        long depthSum = 0;
        for (Packet p : trace) {
            int fast = table.classify(p);
            int slow = linear.classify(p);
            if (fast != slow) {
                throw new IllegalStateException("RuleTable and the linear scan disagree on " + p + ": " + fast + " vs "
                        + slow + " (" + profile + ", " + rules + " rules)");
            }
            if (fast < 0) {
                misses++;
            } else {
                depths[fast * 10 / rules]++;
                depthSum += fast;
            }
        }
        List<CompiledRule> changed = entries;
        updated = table;
        for (int i = Math.max(32, rules / 32); i > 0; i--) {
            changed = bench.change(changed);
            updated = RuleTable.update(updated, changed, bench.groups()::get);
        }
        updatedTrace = bench.trace(changed, TRACE, 0.1).toArray(Packet[]::new);
        RuleTable fresh = RuleTable.build(Direction.IN, changed, bench.groups()::get);
        for (Packet p : updatedTrace) {
            if (updated.classify(p) != fresh.classify(p)) {
                throw new IllegalStateException("the updated table and a fresh build disagree on " + p);
            }
        }
        LookupFacts facts = new LookupFacts(profile.name(), rules, linear.rows(), TRACE, misses,
                TRACE == misses ? 0 : (double) depthSum / (TRACE - misses), depths, retained, buildMs,
                table.toString(), updated.toString(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ExtraResults.record("classifier." + profile + "." + rules, facts);
        System.out.printf("%n%s, %d rules: table %s; retained %.1f KiB; trace: %d misses, mean hit position %.0f%n",
                profile, rules, table, retained / 1024.0, misses, facts.meanHitPosition());
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        invocations = 0;
        cpuAtStart = CpuClock.now();
    }

    @Benchmark
    @OperationsPerInvocation(TRACE)
    public void ruleTable(Blackhole blackhole) {
        for (Packet p : trace) {
            blackhole.consume(table.classify(p));
        }
        invocations++;
    }

    @Benchmark
    @OperationsPerInvocation(TRACE)
    public void ruleTableUpdated(Blackhole blackhole) {
        for (Packet p : updatedTrace) {
            blackhole.consume(updated.classify(p));
        }
        invocations++;
    }

    @Benchmark
    @OperationsPerInvocation(TRACE)
    public void linearScan(Blackhole blackhole) {
        for (Packet p : trace) {
            blackhole.consume(linear.classify(p));
        }
        invocations++;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        long cpu = CpuClock.now() - cpuAtStart;
        if (measuring && cpu > 0) {
            cpuRates.add(invocations * (double) TRACE / (cpu / 1e9));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        double mean = cpuRates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        ExtraResults.record("classifierCpu." + method + "." + profile + "." + rules,
                new CpuRate(mean, cpuRates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        cpuRates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), cpuRates.size()));
        System.out.printf("%n%s %s %d rules: %.0f lookups per CPU second of the benchmark thread%n", method, profile,
                rules, mean);
    }

    /**
     * Lookups per second of the benchmark thread's CPU time, over the measured iterations.
     *
     * @param mean       the mean of the iterations' rates
     * @param min        the slowest iteration's
     * @param max        the fastest iteration's
     * @param iterations measured iterations
     */
    public record CpuRate(double mean, double min, double max, int iterations) {
    }

    /**
     * What the trial measured besides the lookups.
     *
     * @param profile          ACL or FW
     * @param rules            entries in the table
     * @param rows             rows (one per service entry)
     * @param packets          packets in the trace
     * @param misses           packets no entry matches
     * @param meanHitPosition  mean index of the entry hit, over the packets that hit one
     * @param hitsPerTenth     packets hitting each tenth of the table
     * @param heapRetainedBytes heap the table retains (used heap after GC, with and without it)
     * @param buildMs          time of the (cold) build
     * @param table            the table's shape
     * @param updatedTable     the updated table's shape
     * @param loadAverage      the machine's load average (1 minute) during setup
     */
    public record LookupFacts(String profile, int rules, int rows, int packets, int misses, double meanHitPosition,
                              int[] hitsPerTenth, long heapRetainedBytes, double buildMs, String table,
                              String updatedTable, double loadAverage) {
    }
}
