package io.ringfence.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.benchmarks.ClassifierUpdateBenchmark.Change;
import io.ringfence.dataplane.classifier.ClassBench.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Summarises a run of the classifier benchmarks against the data plane's targets at 10,000 rules:
 * at least 5 million lookups per second per core, at least 100 times the linear scan, and a one-rule
 * update under 10 ms (checked at p99; the maximum is shown too). "Per core" is measured as work per
 * CPU second of the benchmark thread ({@link CpuClock}), next to JMH's wall-clock scores, which on
 * a shared machine also count the waits for a core. Reads the JMH JSON results and the
 * {@link ExtraResults} written beside them, prints the summary and writes it to
 * {@code <results>-classifier-summary.txt}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.ringfence.benchmarks.ClassifierBenchmarkReport
 * RESULTS.json [EXTRA.json]}; {@link RunBenchmarks} runs it after any run of classifier benchmarks.
 */
public final class ClassifierBenchmarkReport {

    static final int TARGET_RULES = 10_000;
    static final double LOOKUPS_TARGET = 5_000_000;
    static final double RATIO_TARGET = 100;
    static final double UPDATE_P99_TARGET_MS = 10;

    private static final String LOOKUP = ClassifierLookupBenchmark.class.getName();
    private static final String UPDATE = ClassifierUpdateBenchmark.class.getName() + ".update";

    private ClassifierBenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ClassifierBenchmarkReport JMH-RESULTS.json [EXTRA-RESULTS.json]");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        write(results, args.length > 1 ? Path.of(args[1]) : ExtraResults.besides(results));
    }

    /** True when {@code results} (a JMH JSON file) holds a result of a classifier benchmark. */
    public static boolean hasClassifierResults(Path results) throws IOException {
        return BenchmarkSummaries.hasResults(results, b -> b.contains(".Classifier"));
    }

    /** Prints the summary and writes it beside {@code results}; returns the file written. */
    public static Path write(Path results, Path extra) throws IOException {
        String text = summarise(new ObjectMapper().readTree(results.toFile()), ExtraResults.read(extra), results);
        return BenchmarkSummaries.write(results, "classifier", "Classifier", text);
    }

    static String summarise(JsonNode jmh, JsonNode extra, Path results) {
        StringBuilder out = new StringBuilder();
        out.append("Ringfence data-plane classifier: benchmark summary\n");
        out.append("JMH results: ").append(results.toAbsolutePath()).append("\n");
        out.append(f("Machine: %d processor(s); forks run one benchmark thread with -XX:ActiveProcessorCount=1. "
                + "\"Per core\" figures divide work by the benchmark thread's CPU time, so that time spent waiting "
                + "for a core other processes held does not count; JMH's own scores are wall-clock.%n%n",
                Runtime.getRuntime().availableProcessors()));

        out.append("Lookups (ClassBench-style sets, IN tables; trace of ").append(ClassifierLookupBenchmark.TRACE)
                .append(" packets aimed at every depth, ~10% matching nothing)\n");
        out.append(f("%-4s %6s | %12s %12s %12s | %12s %12s %7s | %-9s %-9s | %9s %8s %8s %5s%n", "set", "rules",
                "RuleTable", "updated", "linear", "RuleTable", "linear", "ratio", ">= 5 M/s", ">= 100x", "heap KiB",
                "build ms", "mean hit", "load"));
        out.append(f("%-4s %6s | %38s | %34s | %19s |%n", "", "", "per core (lookups per CPU second)",
                "wall clock (JMH score)", "targets at 10,000"));
        for (Profile profile : Profile.values()) {
            for (String rules : new String[] {"100", "1000", "10000"}) {
                JsonNode fast = find(jmh, LOOKUP + ".ruleTable", profile, rules, null);
                JsonNode slow = find(jmh, LOOKUP + ".linearScan", profile, rules, null);
                if (fast == null && slow == null) {
                    continue;
                }
                double lookups = cpuRate(extra, "ruleTable", profile, rules);
                double updated = cpuRate(extra, "ruleTableUpdated", profile, rules);
                double linear = cpuRate(extra, "linearScan", profile, rules);
                double ratio = lookups / linear;
                boolean target = Integer.parseInt(rules) == TARGET_RULES;
                JsonNode facts = extra.path("classifier." + profile + "." + rules);
                out.append(f("%-4s %6s | %12s %12s %12s | %12s %12s %7s | %-9s %-9s | %9s %8s %8s %5s%n", profile, rules,
                        rate(lookups), rate(updated), rate(linear), rate(score(fast)), rate(score(slow)),
                        Double.isNaN(ratio) ? "-" : f("%,.0fx", ratio),
                        target && !Double.isNaN(lookups) ? verdict(lookups >= LOOKUPS_TARGET) : "",
                        target && !Double.isNaN(ratio) ? verdict(ratio >= RATIO_TARGET) : "",
                        facts.isMissingNode() ? "-" : f("%,.0f", facts.path("heapRetainedBytes").asLong() / 1024.0),
                        facts.isMissingNode() ? "-" : f("%.1f", facts.path("buildMs").asDouble()),
                        facts.isMissingNode() ? "-" : f("%,.0f", facts.path("meanHitPosition").asDouble()),
                        facts.isMissingNode() ? "-" : f("%.1f", facts.path("loadAverage").asDouble())));
            }
        }
        out.append("(updated: the table after max(32, rules/32) one-rule changes, each compiled from the one before; "
                + "ratio: RuleTable / linear, per core;\n heap: retained by one table, used heap after GC with and "
                + "without it; build: the first, cold build; mean hit: mean index of the entry hit; load: the "
                + "machine's 1-minute load average)\n\n");

        out.append("One change, then swap: RuleTable.update, baseline RuleTable.build of the same entries\n");
        out.append(f("%-4s %6s %-6s | %9s %9s %9s %9s | %9s %9s %9s | %-9s | %9s %9s%n", "set", "rules", "change", "p50",
                "p99", "p99.9", "max", "p50", "p99", "max", "p99 < 10", "build p50", "build p99"));
        out.append(f("%-4s %6s %-6s | %39s | %29s | %-9s | %19s%n", "", "", "", "CPU time of the update",
                "wall clock (JMH samples)", "ms (CPU)", "CPU time"));
        for (Profile profile : Profile.values()) {
            for (String rules : new String[] {"1000", "10000"}) {
                JsonNode build = extra.path("classifierBuild." + profile + "." + rules);
                for (Change change : Change.values()) {
                    JsonNode update = find(jmh, UPDATE, profile, rules, change);
                    JsonNode cpu = extra.path("classifierUpdate." + profile + "." + rules + "." + change).path("cpu");
                    if (update == null && cpu.isMissingNode()) {
                        continue;
                    }
                    double p99 = micros(cpu, "p99Us") / 1e3;
                    boolean target = Integer.parseInt(rules) == TARGET_RULES && change == Change.RULE;
                    out.append(f("%-4s %6s %-6s | %9s %9s %9s %9s | %9s %9s %9s | %-9s | %9s %9s%n", profile, rules,
                            change, time(micros(cpu, "p50Us") / 1e3), time(p99), time(micros(cpu, "p999Us") / 1e3),
                            time(micros(cpu, "maxUs") / 1e3), time(percentile(update, "50.0")),
                            time(percentile(update, "99.0")), time(percentile(update, "100.0")),
                            target && !Double.isNaN(p99) ? verdict(p99 < UPDATE_P99_TARGET_MS) : "",
                            change == Change.RULE ? time(micros(build, "p50Us") / 1e3) : "",
                            change == Change.RULE ? time(micros(build, "p99Us") / 1e3) : ""));
                }
            }
        }
        out.append("(once the overlay holds more than max(32, rules/32) entries the table is due a compaction, which "
                + "the host agent runs off the update path and the benchmark after the measured call: counted apart "
                + "below; the wall-clock tail adds the waits for a core)\n");
        for (Profile profile : Profile.values()) {
            for (String rules : new String[] {"1000", "10000"}) {
                for (Change change : Change.values()) {
                    JsonNode facts = extra.path("classifierUpdate." + profile + "." + rules + "." + change);
                    if (!facts.isMissingNode()) {
                        JsonNode compaction = facts.path("compactionCpu");
                        out.append(f("%-4s %6s %-6s %,d changes measured, %,d compactions after them "
                                        + "(CPU p50 %s, max %s), final table agrees with a fresh build; %s%n", profile, rules, change,
                                facts.path("changes").asLong(), facts.path("compactions").asLong(),
                                time(micros(compaction, "p50Us") / 1e3), time(micros(compaction, "maxUs") / 1e3),
                                facts.path("table").asText()));
                    }
                }
            }
        }
        return out.toString();
    }

    private static double cpuRate(JsonNode extra, String method, Profile profile, String rules) {
        JsonNode rate = extra.path("classifierCpu." + method + "." + profile + "." + rules).path("mean");
        return rate.isMissingNode() || !rate.isNumber() ? Double.NaN : rate.asDouble();
    }

    private static double micros(JsonNode percentiles, String field) {
        JsonNode v = percentiles.path(field);
        return v.isMissingNode() || !v.isNumber() || v.asDouble() < 0 ? Double.NaN : v.asDouble();
    }

    /** The result of {@code benchmark} for the parameters given (change null: any). */
    private static JsonNode find(JsonNode jmh, String benchmark, Profile profile, String rules, Change change) {
        for (JsonNode r : jmh) {
            JsonNode params = r.path("params");
            if (r.path("benchmark").asText().equals(benchmark) && params.path("profile").asText().equals(profile.name())
                    && params.path("rules").asText().equals(rules)
                    && (change == null || params.path("change").asText().equals(change.name()))) {
                return r;
            }
        }
        return null;
    }

    /** Operations per second. */
    private static double score(JsonNode result) {
        if (result == null) {
            return Double.NaN;
        }
        JsonNode metric = result.path("primaryMetric");
        String unit = metric.path("scoreUnit").asText();
        double score = metric.path("score").asDouble();
        return switch (unit) {
            case "ops/s" -> score;
            case "ops/ms" -> score * 1e3;
            case "ops/us" -> score * 1e6;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }

    /** A percentile of a sample-time result, in milliseconds. */
    private static double percentile(JsonNode result, String key) {
        if (result == null) {
            return Double.NaN;
        }
        JsonNode metric = result.path("primaryMetric");
        JsonNode p = metric.path("scorePercentiles").path(key);
        if (p.isMissingNode()) {
            return Double.NaN;
        }
        String unit = metric.path("scoreUnit").asText();
        return switch (unit) {
            case "ms/op" -> p.asDouble();
            case "us/op" -> p.asDouble() / 1e3;
            case "ns/op" -> p.asDouble() / 1e6;
            case "s/op" -> p.asDouble() * 1e3;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }

    private static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "-";
        }
        return perSecond >= 1e6 ? f("%.2f M/s", perSecond / 1e6) : f("%.1f k/s", perSecond / 1e3);
    }

    private static String time(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms >= 1 ? f("%.2f ms", ms) : f("%.0f us", ms * 1000);
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
