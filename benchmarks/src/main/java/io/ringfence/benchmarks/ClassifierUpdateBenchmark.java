package io.ringfence.benchmarks;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.classifier.ClassBench;
import io.ringfence.dataplane.classifier.ClassBench.Profile;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.model.Direction;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Time to rebuild and swap a vNIC's classifier after one change, on one core (sample time: p50,
 * p99, max): {@code RuleTable.update(installed, next, groups)} then the swap into the reference
 * packets read. {@code change} is {@code RULE} (one rule inserted, removed or edited at a uniformly
 * random position, as {@link ClassBench#change} makes them) or {@code GROUP} (the addresses of one
 * address group the table names change, as when a VM joins or leaves it: the same entries, rebuilt).
 * When an updated table says {@code compactionDue()}, the trial compacts it after the measured call
 * and installs the result, as the host agent does off its update path (on its compaction executor);
 * those compactions' CPU times are recorded apart ({@code compactionCpu}). Only an update that would
 * grow the overlay far past the due size (a compaction lagging behind, which this trial never lets
 * happen) compiles afresh itself. Target at 10,000 rules: under 10 ms. {@link ClassifierBuildBenchmark}
 * measures the baseline, a build from scratch, in the same run.
 *
 * <p>JMH's sample times are wall-clock; on a shared machine they include the waits of a benchmark
 * thread that another process preempted. The invocations' CPU times ({@link CpuClock}, read just
 * around the measured call) say what the update itself costs; their percentiles go to the extra
 * results.
 *
 * <p>The next entries are prepared outside the measured time; the table walks from change to change
 * (inserts and removals are equally likely, so its size stays near {@code rules}). At the end of
 * the trial the installed table is compared with a fresh build on a trace; a difference fails the
 * run. Facts go to the {@link ExtraResults} section {@code classifierUpdate.<profile>.<rules>.<change>}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:ActiveProcessorCount=1", "-XX:+UseG1GC"})
@Threads(1)
public class ClassifierUpdateBenchmark {

    /** What changes between two generations of the table. */
    public enum Change { RULE, GROUP }

    @Param({"ACL", "FW"})
    Profile profile;

    @Param({"1000", "10000"})
    int rules;

    @Param({"RULE", "GROUP"})
    Change change;

    ClassBench bench;
    List<CompiledRule> entries;
    List<CompiledRule> next;
    final AtomicReference<RuleTable> installed = new AtomicReference<>();
    boolean measuring;
    long updates;
    final CpuSamples cpu = new CpuSamples();
    final CpuSamples compactionCpu = new CpuSamples();
    long compactions;

    @Setup(Level.Trial)
    public void setUp() {
        bench = new ClassBench(profile, 0, ClassifierLookupBenchmark.SEED + rules);
        entries = bench.rules(rules);
        installed.set(RuleTable.build(Direction.IN, entries, bench.groups()::get));
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && !measuring) {
            measuring = true;
            updates = 0;
            compactions = 0;
        }
        cpu.measuring = measuring;
        compactionCpu.measuring = measuring;
    }

    @Setup(Level.Invocation)
    public void prepareChange() {
        if (change == Change.RULE) {
            next = bench.change(entries);
        } else {
            bench.changeGroup(entries);
            next = entries;
        }
        cpu.start();
    }

    @Benchmark
    public RuleTable update() {
        RuleTable table = RuleTable.update(installed.get(), next, bench.groups()::get);
        installed.set(table);
        return table;
    }

    @TearDown(Level.Invocation)
    public void changeApplied() {
        cpu.stop();
        entries = next;
        updates++;
        RuleTable table = installed.get();
        if (table.compactionDue()) {
            compactionCpu.start();
            installed.set(table.compacted(bench.groups()::get));
            compactionCpu.stop();
            compactions++;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        RuleTable table = installed.get();
        RuleTable fresh = RuleTable.build(Direction.IN, entries, bench.groups()::get);
        long differences = bench.trace(entries, 2000, 0.1).stream().filter(p -> table.classify(p) != fresh.classify(p))
                .count();
        if (differences > 0) {
            throw new IllegalStateException(differences + " packets classified differently by the updated table "
                    + table + " and a fresh build " + fresh);
        }
        UpdateFacts facts = new UpdateFacts(profile.name(), rules, change.name(), updates, entries.size(),
                table.toString(), cpu.percentiles(), compactions, compactionCpu.percentiles(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ExtraResults.record("classifierUpdate." + profile + "." + rules + "." + change, facts);
        System.out.printf("%n%s, %d rules, %s: %d changes measured, %d compactions after them; final table %s; "
                + "agrees with a fresh build%n", profile, rules, change, updates, compactions, table);
    }

    /**
     * What the trial did besides the timed calls.
     *
     * @param profile     ACL or FW
     * @param rules       entries at the start
     * @param change      RULE or GROUP
     * @param changes     changes applied in measured iterations
     * @param finalSize   entries at the end
     * @param table       the final table's shape
     * @param cpu         percentiles of the measured updates' CPU times
     * @param compactions   compactions after measured updates (off the measured call, as the agent compacts)
     * @param compactionCpu percentiles of their CPU times
     * @param loadAverage the machine's load average (1 minute) at the end of the trial
     */
    public record UpdateFacts(String profile, int rules, String change, long changes, int finalSize, String table,
                              CpuSamples.Percentiles cpu, long compactions, CpuSamples.Percentiles compactionCpu,
                              double loadAverage) {
    }
}
