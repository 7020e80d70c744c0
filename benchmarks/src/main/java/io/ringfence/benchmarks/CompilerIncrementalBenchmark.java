package io.ringfence.benchmarks;

import io.ringfence.benchmarks.SyntheticDataCenter.Change;
import io.ringfence.benchmarks.SyntheticDataCenter.ChangeType;
import io.ringfence.benchmarks.SyntheticDataCenter.Size;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Host;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One change to the full-size synthetic data center, compiled incrementally and, as the
 * baseline, by full recompute, in the same run.
 *
 * <ul>
 * <li>{@code incremental} (sample time: p50, p99...): from {@code modelChanged(event)} on a warmed
 *     compiler until it returns, having emitted the per-host deltas to one consumer per host
 *     (consumers are called synchronously, on the caller's thread). The consumers count what they
 *     receive, and the count goes into the Blackhole. Target: under 5 ms at p99.</li>
 * <li>{@code fullRecompute}: {@code new PolicyCompiler(after)} for the same kind of change. It
 *     does not even diff against the previous state to find the deltas, so the ratio full /
 *     incremental it gives is conservative. Target: at least 100x the incremental time.</li>
 * </ul>
 *
 * <p>Each invocation applies a random change of the {@code change} kind, then the next one undoes
 * it, and so on, so that the model does not drift; every change is a proper commit (before =
 * the compiled model, after = its revision + 1). Building the next model happens outside the
 * measured time. At the end of the trial the incrementally maintained state is compared with a
 * full compile of the final model; changes, deltas and any difference go to standard output and
 * the {@link ExtraResults} file, section {@code incremental.<change>}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class CompilerIncrementalBenchmark {

    @Param({"RETAG_VM", "EDIT_RULE", "MOVE_VM"})
    ChangeType change;

    /** The fraction of {@link Size#FULL} to generate (1.0 for the targets; e.g. 0.05 for a quick run). */
    @Param("1.0")
    double scale;

    SyntheticDataCenter dc;
    Random random;
    ModelSnapshot current;
    /** The change the next invocation applies. */
    Change next;
    /** The last change applied that is not undone yet, or null. */
    Change toUndo;
    PolicyCompiler compiler;
    final DeltaCounts received = new DeltaCounts();
    boolean measuring;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        dc = SyntheticDataCenter.generate(Size.scaled(scale), SyntheticDataCenter.SEED);
        random = new Random(SyntheticDataCenter.SEED + change.ordinal());
        current = dc.snapshot();
        if (params.getBenchmark().endsWith(".incremental")) {
            compiler = new PolicyCompiler(current);
            for (Host h : current.hosts()) {
                compiler.attach(h.id(), received::add);
            }
        }
    }

    /** Counts only what measured iterations receive (not the full states sent on attach, nor warm-up). */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && !measuring) {
            measuring = true;
            received.reset();
        }
    }

    @Setup(Level.Invocation)
    public void prepareChange() {
        next = toUndo == null ? dc.change(change, current, random) : SyntheticDataCenter.revert(current, toUndo);
        received.deltasBefore = received.deltas;
    }

    @Benchmark
    public void incremental(Blackhole blackhole) {
        compiler.modelChanged(next.event());
        blackhole.consume(received.deltas);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public PolicyCompiler fullRecompute() {
        return new PolicyCompiler(next.after());
    }

    @TearDown(Level.Invocation)
    public void changeApplied() {
        current = next.after();
        toUndo = toUndo == null ? next : null;
        if (compiler != null && received.deltas == received.deltasBefore) {
            received.changesWithoutDelta++;
        }
        received.changes++;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (compiler == null) {
            return;
        }
        long differences = differencesFromFullCompile();
        IncrementalFacts facts = new IncrementalFacts(change, scale, dc.figures(), received.changes, received.deltas,
                received.ruleSets, received.removedVnics, received.addressGroups, received.removedAddressGroups,
                received.changesWithoutDelta, received.maxHostsPerChange, differences,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%n%s: %d changes measured; per change %.2f host deltas (max %d), %.2f vNIC rule sets, "
                        + "%.2f address groups; %d changes emitted nothing; %s%n", change, facts.changes(),
                facts.perChange(facts.hostDeltas()), facts.maxHostsPerChange(), facts.perChange(facts.ruleSets()),
                facts.perChange(facts.addressGroups()), facts.changesWithoutDelta(),
                differences == 0 ? "the state is the same as a full compile's"
                        : differences + " vNIC rule sets or address groups DIFFER from a full compile's");
        System.out.println("written to " + ExtraResults.record("incremental." + change, facts).toAbsolutePath());
    }

    /** vNIC rule sets and address groups that are not what a full compile of the current model gives. */
    private long differencesFromFullCompile() {
        PolicyCompiler fresh = new PolicyCompiler(current);
        long differences = 0;
        for (Vm vm : current.vms()) {
            for (Vnic n : vm.vnics()) {
                Optional<VnicRuleSet> mine = compiler.ruleSet(n.id());
                Optional<VnicRuleSet> theirs = fresh.ruleSet(n.id());
                if (mine.isPresent() != theirs.isPresent()
                        || mine.isPresent() && !mine.get().sameRulesAs(theirs.get())) {
                    differences++;
                }
            }
        }
        if (fresh.stats().addressGroups() != compiler.stats().addressGroups()
                || fresh.stats().entries() != compiler.stats().entries()) {
            differences++;
        }
        return differences;
    }

    /** What the consumers received; one writer (the compiler's thread), read after the calls return. */
    static final class DeltaCounts {
        long changes;
        long deltas;
        long ruleSets;
        long removedVnics;
        long addressGroups;
        long removedAddressGroups;
        long changesWithoutDelta;
        int maxHostsPerChange;
        long deltasBefore;
        private long changesSeen = -1;
        private int hostsThisChange;

        void add(HostDelta delta) {
            if (changesSeen != changes) {
                changesSeen = changes;
                hostsThisChange = 0;
            }
            hostsThisChange++;
            maxHostsPerChange = Math.max(maxHostsPerChange, hostsThisChange);
            deltas++;
            ruleSets += delta.ruleSets().size();
            removedVnics += delta.removedVnics().size();
            addressGroups += delta.addressGroups().size();
            removedAddressGroups += delta.removedAddressGroups().size();
        }

        void reset() {
            changes = 0;
            deltas = 0;
            ruleSets = 0;
            removedVnics = 0;
            addressGroups = 0;
            removedAddressGroups = 0;
            changesWithoutDelta = 0;
            maxHostsPerChange = 0;
            changesSeen = -1;
        }
    }

    /**
     * What the measured changes did.
     *
     * @param change               the kind of change
     * @param scale                fraction of the full-size data center
     * @param model                what the model holds
     * @param changes              changes applied in measured iterations
     * @param hostDeltas           deltas the hosts received
     * @param ruleSets             vNIC rule sets in them
     * @param removedVnics         vNICs removed in them
     * @param addressGroups        address groups in them
     * @param removedAddressGroups address groups removed in them
     * @param changesWithoutDelta  changes no host heard of
     * @param maxHostsPerChange    the most hosts one change reached
     * @param differencesFromFullCompile rule sets (and totals) that differ from a full compile at the end
     * @param loadAverage          the machine's load average (1 minute) at the end of the trial
     */
    public record IncrementalFacts(ChangeType change, double scale, SyntheticDataCenter.Figures model, long changes, long hostDeltas, long ruleSets,
                                   long removedVnics, long addressGroups, long removedAddressGroups,
                                   long changesWithoutDelta, int maxHostsPerChange, long differencesFromFullCompile,
                                   double loadAverage) {

        double perChange(long count) {
            return changes == 0 ? 0 : (double) count / changes;
        }
    }
}
