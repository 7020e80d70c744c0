package io.ringfence.benchmarks;

import io.ringfence.benchmarks.SyntheticDataCenter.Size;
import io.ringfence.compiler.PolicyCompilerService.CompilerStats;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.ModelSnapshot;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full compile of the synthetic data center ({@link Size#FULL}: 1,000 hosts, 20,000 VMs, 5,000
 * groups, 20,000 rules): the time of {@code new PolicyCompiler(model)}, on one core (the forked
 * JVM sees one processor, so it runs a single GC thread and no parallel pool). Target: under 10 s.
 *
 * <p>Before the timed compiles, the trial compiles once more to measure the heap the compiled
 * state retains (used heap after full collections with the model alone, then with model and
 * compiler) and the size of that state ({@link CompilerStats}: vNICs, entries, address groups).
 * Those go to standard output and to the {@link ExtraResults} file, section {@code fullCompile}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:ActiveProcessorCount=1"})
public class CompilerFullCompileBenchmark {

    /** The fraction of {@link Size#FULL} to generate (1.0 for the targets; e.g. 0.05 for a quick run). */
    @Param("1.0")
    double scale;

    ModelSnapshot model;

    @Setup(Level.Trial)
    public void setUp() {
        long start = System.nanoTime();
        SyntheticDataCenter dc = SyntheticDataCenter.generate(Size.scaled(scale), SyntheticDataCenter.SEED);
        double generationMs = (System.nanoTime() - start) / 1e6;
        model = dc.snapshot();

        long modelOnly = ExtraResults.usedHeapAfterGc();
        start = System.nanoTime();
        PolicyCompiler compiler = new PolicyCompiler(model);
        double firstCompileMs = (System.nanoTime() - start) / 1e6;
        long withCompiler = ExtraResults.usedHeapAfterGc();
        CompilerStats stats = compiler.stats();
        Reference.reachabilityFence(compiler);

        FullCompileFacts facts = new FullCompileFacts(scale, dc.figures(), generationMs, firstCompileMs, modelOnly,
                withCompiler, withCompiler - modelOnly, stats, stats.averageEntriesPerVnic(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path file = ExtraResults.record("fullCompile", facts);
        System.out.printf("%nmodel: %s%n", facts.model());
        System.out.printf("compiled state: %d vNICs, %d entries (%.1f per vNIC), %d address groups%n", stats.vnics(),
                stats.entries(), stats.averageEntriesPerVnic(), stats.addressGroups());
        System.out.printf("heap: model alone %.1f MB, model and compiled state %.1f MB: retained by the compiled state "
                + "%.1f MB (first, cold compile took %.0f ms)%n", mb(modelOnly), mb(withCompiler),
                mb(withCompiler - modelOnly), firstCompileMs);
        System.out.println("written to " + file.toAbsolutePath());
    }

    @Benchmark
    public PolicyCompiler fullCompile() {
        return new PolicyCompiler(model);
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * What the trial measured besides the compile time.
     *
     * @param scale                   fraction of the full-size data center
     * @param model                   what the model holds
     * @param generationMs            time to generate the model
     * @param firstCompileMs          the first (cold) compile
     * @param heapModelBytes          heap used with the model alone
     * @param heapModelAndStateBytes  heap used with the model and the compiled state
     * @param heapRetainedBytes       the difference: heap retained by the compiled state
     * @param stats                   size of the compiled state
     * @param averageEntriesPerVnic   entries per vNIC, both directions
     * @param processors              processors the JVM saw
     * @param maxHeapBytes            -Xmx
     * @param garbageCollectors       the JVM's collectors
     * @param loadAverage             the machine's load average (1 minute) after the first compile
     */
    public record FullCompileFacts(double scale, SyntheticDataCenter.Figures model, double generationMs,
                                   double firstCompileMs, long heapModelBytes, long heapModelAndStateBytes,
                                   long heapRetainedBytes, CompilerStats stats, double averageEntriesPerVnic,
                                   int processors, long maxHeapBytes, List<String> garbageCollectors,
                                   double loadAverage) {
    }
}
