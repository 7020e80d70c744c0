package io.ringfence.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.benchmarks.SyntheticDataCenter.ChangeType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Summarises a run of the compiler benchmarks against the targets of the split-and-smear
 * compiler: full compile under 10 s on one core; one incremental change under 5 ms at p99 and at
 * least 100x faster than a full recompute of the same change. Reads the JMH JSON results and the
 * {@link ExtraResults} written beside them, prints the summary and writes it to
 * {@code <results>-compiler-summary.txt}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.ringfence.benchmarks.CompilerBenchmarkReport
 * RESULTS.json [EXTRA.json]}; {@link RunBenchmarks} runs it after any run of compiler benchmarks.
 */
public final class CompilerBenchmarkReport {

    static final double FULL_COMPILE_TARGET_MS = 10_000;
    static final double INCREMENTAL_P99_TARGET_MS = 5;
    static final double SPEEDUP_TARGET = 100;

    private static final String FULL_COMPILE = CompilerFullCompileBenchmark.class.getName() + ".fullCompile";
    private static final String INCREMENTAL = CompilerIncrementalBenchmark.class.getName() + ".incremental";
    private static final String FULL_RECOMPUTE = CompilerIncrementalBenchmark.class.getName() + ".fullRecompute";

    private CompilerBenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CompilerBenchmarkReport JMH-RESULTS.json [EXTRA-RESULTS.json]");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        write(results, args.length > 1 ? Path.of(args[1]) : ExtraResults.besides(results));
    }

    /** True when {@code results} (a JMH JSON file) holds a result of a compiler benchmark. */
    public static boolean hasCompilerResults(Path results) throws IOException {
        return BenchmarkSummaries.hasResults(results, b -> b.contains(".Compiler"));
    }

    /** Prints the summary and writes it beside {@code results}; returns the file written. */
    public static Path write(Path results, Path extra) throws IOException {
        String text = summarise(new ObjectMapper().readTree(results.toFile()), ExtraResults.read(extra), results);
        return BenchmarkSummaries.write(results, "compiler", "Compiler", text);
    }

    static String summarise(JsonNode jmh, JsonNode extra, Path results) {
        StringBuilder out = new StringBuilder();
        out.append("Ringfence policy compiler: benchmark summary\n");
        out.append("JMH results: ").append(results.toAbsolutePath()).append("\n\n");

        JsonNode full = extra.path("fullCompile");
        JsonNode described = full;
        for (ChangeType change : ChangeType.values()) {
            if (described.isMissingNode()) {
                described = extra.path("incremental." + change);
            }
        }
        JsonNode model = described.path("model");
        if (!model.isMissingNode()) {
            out.append(f("Model (scale %s): %d hosts, %d VMs (%d vNICs), %d groups, %d services, %d policies, %d rules "
                            + "(%d with ANY source, %d with ANY destination, %d disabled)%n%n",
                    described.path("scale").asText("?"), model.path("hosts").asInt(), model.path("vms").asInt(),
                    model.path("vnics").asInt(), model.path("groups").asInt(), model.path("services").asInt(),
                    model.path("policies").asInt(), model.path("rules").asLong(), model.path("anySourceRules").asLong(),
                    model.path("anyDestinationRules").asLong(), model.path("disabledRules").asLong()));
        }

        JsonNode compile = find(jmh, FULL_COMPILE, null);
        if (compile == null) {
            out.append("Full compile: not measured in this run\n");
        } else {
            double ms = millis(compile.path("primaryMetric"), compile.path("primaryMetric").path("score").asDouble());
            out.append(f("Full compile (%d processor(s) seen)   %s  (%s)   target < %s   %s%n",
                    full.path("processors").asInt(1), time(ms), rawRange(compile.path("primaryMetric")),
                    time(FULL_COMPILE_TARGET_MS), verdict(ms < FULL_COMPILE_TARGET_MS)));
        }
        if (!full.isMissingNode()) {
            JsonNode stats = full.path("stats");
            long rules = model.path("rules").asLong();
            double perVnic = full.path("averageEntriesPerVnic").asDouble();
            out.append(f("Compiled state   %,d vNICs, %,d entries: %.1f per vNIC (%.2f%% of the %,d rules), "
                            + "%,d address groups%n", stats.path("vnics").asInt(), stats.path("entries").asLong(),
                    perVnic, rules == 0 ? 0 : 100 * perVnic / rules, rules, stats.path("addressGroups").asInt()));
            out.append(f("Heap retained by the compiled state   %.1f MB (model alone: %.1f MB; -Xmx %.0f MB; %s)%n",
                    mb(full.path("heapRetainedBytes").asLong()), mb(full.path("heapModelBytes").asLong()),
                    mb(full.path("maxHeapBytes").asLong()), full.path("garbageCollectors")));
            out.append(f("Machine load average (1 min) during the full compile trial: %.2f%n",
                    full.path("loadAverage").asDouble()));
        }
        out.append('\n');

        out.append(f("%-10s %12s %12s %12s %12s %14s %10s %10s   %-11s %-11s%n", "change", "incr p50", "incr p99",
                "incr p99.9", "incr max", "full recompute", "full/p50", "full/p99",
                "p99 < " + (int) INCREMENTAL_P99_TARGET_MS + " ms", ">= " + (int) SPEEDUP_TARGET + "x"));
        for (ChangeType change : ChangeType.values()) {
            JsonNode incremental = find(jmh, INCREMENTAL, change);
            JsonNode recompute = find(jmh, FULL_RECOMPUTE, change);
            if (incremental == null && recompute == null) {
                out.append(f("%-10s not measured in this run%n", change));
                continue;
            }
            double p50 = percentile(incremental, "50.0");
            double p99 = percentile(incremental, "99.0");
            double fullMs = recompute == null ? Double.NaN
                    : millis(recompute.path("primaryMetric"), recompute.path("primaryMetric").path("score").asDouble());
            out.append(f("%-10s %12s %12s %12s %12s %14s %10s %10s   %-11s %-11s%n", change, time(p50), time(p99),
                    time(percentile(incremental, "99.9")), time(percentile(incremental, "100.0")), time(fullMs),
                    ratio(fullMs / p50), ratio(fullMs / p99),
                    Double.isNaN(p99) ? "-" : verdict(p99 < INCREMENTAL_P99_TARGET_MS),
                    Double.isNaN(fullMs / p99) ? "-" : verdict(fullMs / p99 >= SPEEDUP_TARGET)));
        }
        out.append("(the speed-up target is checked on full recompute mean / incremental p99, the stricter ratio)\n\n");

        for (ChangeType change : ChangeType.values()) {
            JsonNode facts = extra.path("incremental." + change);
            if (facts.isMissingNode()) {
                continue;
            }
            long changes = Math.max(1, facts.path("changes").asLong());
            long differences = facts.path("differencesFromFullCompile").asLong();
            out.append(f("%-10s %,d measured changes; per change: %.2f host deltas (max %d hosts), %.2f vNIC rule sets, "
                            + "%.2f address groups; %d emitted nothing; %s; load average %.2f%n", change,
                    facts.path("changes").asLong(),
                    facts.path("hostDeltas").asDouble() / changes, facts.path("maxHostsPerChange").asInt(),
                    facts.path("ruleSets").asDouble() / changes, facts.path("addressGroups").asDouble() / changes,
                    facts.path("changesWithoutDelta").asLong(),
                    differences == 0 ? "final state = full compile's" : differences + " DIFFERENCES from a full compile",
                    facts.path("loadAverage").asDouble()));
        }
        return out.toString();
    }

    /** The result of {@code benchmark} (for {@code change}, when given). */
    private static JsonNode find(JsonNode jmh, String benchmark, ChangeType change) {
        for (JsonNode r : jmh) {
            if (r.path("benchmark").asText().equals(benchmark)
                    && (change == null || r.path("params").path("change").asText().equals(change.name()))) {
                return r;
            }
        }
        return null;
    }

    private static double percentile(JsonNode result, String key) {
        if (result == null) {
            return Double.NaN;
        }
        JsonNode metric = result.path("primaryMetric");
        JsonNode p = metric.path("scorePercentiles").path(key);
        return p.isMissingNode() ? Double.NaN : millis(metric, p.asDouble());
    }

    /** {@code value}, in the metric's unit, in milliseconds. */
    private static double millis(JsonNode metric, double value) {
        String unit = metric.path("scoreUnit").asText();
        String perOp = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (perOp) {
            case "s" -> value * 1e3;
            case "ms" -> value;
            case "us" -> value / 1e3;
            case "ns" -> value / 1e6;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }

    /** Minimum and maximum of the measured iterations of a single-shot result. */
    private static String rawRange(JsonNode metric) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int n = 0;
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode v : fork) {
                min = Math.min(min, v.asDouble());
                max = Math.max(max, v.asDouble());
                n++;
            }
        }
        return n == 0 ? "" : f("%d runs: %s .. %s", n, time(millis(metric, min)), time(millis(metric, max)));
    }

    private static String time(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms >= 1000 ? f("%.2f s", ms / 1000) : ms >= 1 ? f("%.2f ms", ms) : f("%.0f us", ms * 1000);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "-" : f("%,.0fx", r);
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
