package io.ringfence.benchmarks;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.classifier.ClassBench;
import io.ringfence.dataplane.classifier.ClassBench.Profile;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.model.Direction;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The baseline of {@link ClassifierUpdateBenchmark}, in the same run: {@code RuleTable.build} of a
 * vNIC's table from scratch after one rule change (sample time), which is what every change would
 * cost without {@code RuleTable.update}, and what an update costs when it compacts its overlay.
 * As there, the builds' CPU times go to the extra results (section
 * {@code classifierBuild.<profile>.<rules>}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:ActiveProcessorCount=1", "-XX:+UseG1GC"})
@Threads(1)
public class ClassifierBuildBenchmark {

    @Param({"ACL", "FW"})
    Profile profile;

    @Param({"1000", "10000"})
    int rules;

    ClassBench bench;
    List<CompiledRule> entries;
    List<CompiledRule> next;
    final CpuSamples cpu = new CpuSamples();

    @Setup(Level.Trial)
    public void setUp() {
        bench = new ClassBench(profile, 0, ClassifierLookupBenchmark.SEED + rules);
        entries = bench.rules(rules);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        cpu.measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @Setup(Level.Invocation)
    public void prepareChange() {
        next = bench.change(entries);
        cpu.start();
    }

    @Benchmark
    public RuleTable build() {
        return RuleTable.build(Direction.IN, next, bench.groups()::get);
    }

    @TearDown(Level.Invocation)
    public void changeApplied() {
        cpu.stop();
        entries = next;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ExtraResults.record("classifierBuild." + profile + "." + rules, cpu.percentiles());
    }
}
