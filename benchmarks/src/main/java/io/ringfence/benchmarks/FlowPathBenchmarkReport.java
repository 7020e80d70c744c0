package io.ringfence.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Summarises a run of the flow-path benchmarks against the data plane's targets: the established-flow
 * path (raw frame to verdict) at least 10 million packets per second per core; the new-flow rate
 * (reported); under 200 bytes of heap per tracked flow. Reads the JMH JSON results and the
 * {@link ExtraResults} written beside them, prints the summary and writes it to
 * {@code <results>-flowpath-summary.txt}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.ringfence.benchmarks.FlowPathBenchmarkReport
 * RESULTS.json [EXTRA.json]}; {@link RunBenchmarks} runs it after any run of flow-path benchmarks.
 */
public final class FlowPathBenchmarkReport {

    static final double ESTABLISHED_TARGET_PPS = 10_000_000;
    static final double HEAP_TARGET_BYTES_PER_FLOW = 200;

    private static final String PREFIX = FlowPathEstablishedBenchmark.class.getPackageName() + ".FlowPath";
    private static final String ESTABLISHED = FlowPathEstablishedBenchmark.class.getName();
    private static final String NEW_FLOW = FlowPathNewFlowBenchmark.class.getName() + ".connection";
    private static final String HEAP = FlowPathHeapBenchmark.class.getName() + ".fill";

    private FlowPathBenchmarkReport() {
    }

    private static String targetVerdict(double pps) {
        return f("target >= %.0f Mpps   %s", ESTABLISHED_TARGET_PPS / 1e6, verdict(pps >= ESTABLISHED_TARGET_PPS));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: FlowPathBenchmarkReport JMH-RESULTS.json [EXTRA-RESULTS.json]");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        write(results, args.length > 1 ? Path.of(args[1]) : ExtraResults.besides(results));
    }

    /** True when {@code results} (a JMH JSON file) holds a result of a flow-path benchmark. */
    public static boolean hasFlowPathResults(Path results) throws IOException {
        return BenchmarkSummaries.hasResults(results, b -> b.startsWith(PREFIX));
    }

    /** Prints the summary and writes it beside {@code results}; returns the file written. */
    public static Path write(Path results, Path extra) throws IOException {
        String text = summarise(new ObjectMapper().readTree(results.toFile()), ExtraResults.read(extra), results);
        return BenchmarkSummaries.write(results, "flowpath", "Flow path", text);
    }

    static String summarise(JsonNode jmh, JsonNode extra, Path results) {
        StringBuilder out = new StringBuilder();
        out.append("Ringfence data plane, flow path: benchmark summary (one benchmark thread)\n");
        out.append("JMH results: ").append(results.toAbsolutePath()).append("\n\n");

        out.append("Established flows, per packet: raw Ethernet frame -> parse -> flow lookup -> verdict -> counters\n");
        boolean any = false;
        for (JsonNode r : jmh) {
            String benchmark = r.path("benchmark").asText();
            if (!benchmark.startsWith(ESTABLISHED + ".")) {
                continue;
            }
            any = true;
            String method = benchmark.substring(ESTABLISHED.length() + 1);
            JsonNode params = r.path("params");
            JsonNode metric = r.path("primaryMetric");
            double pps = perSecond(metric);
            String frames = params.path("frames").asText("arrival");
            JsonNode facts = extra.path(FlowPathEstablishedBenchmark.section(method, params.path("flows").asInt(),
                    frames));
            // the target is the data plane's path's; the other methods are there to compare with it
            boolean target = method.equals("established");
            out.append(f("  %-22s %,9d flows over %s vNICs, %s-byte frames (%s): %6.2f Mpps wall-clock "
                            + "(%.0f ns/packet; %s)   %s%n", method, params.path("flows").asInt(),
                    params.path("vnics").asText("?"), facts.path("frameBytes").asText("?"), frames, pps / 1e6, 1e9 / pps,
                    range(metric), target ? targetVerdict(pps) : "(for comparison)"));
            if (facts.has("cpuPps")) {
                double cpu = facts.path("cpuPps").asDouble();
                out.append(f("  %-22s per core (CPU time of the benchmark thread): %6.2f Mpps (iterations %.2f .. %.2f)"
                                + "   %s%n", "", cpu / 1e6, facts.path("cpuPpsMin").asDouble() / 1e6,
                        facts.path("cpuPpsMax").asDouble() / 1e6, target ? targetVerdict(cpu) : "(for comparison)"));
            }
            if (!facts.isMissingNode()) {
                out.append(f("  %-22s %,d packets decided, %d not from the flow table; %d processor(s) seen, "
                                + "load average %.2f%n", "", facts.path("packets").asLong(),
                        facts.path("notFromFlowTable").asLong(), facts.path("processors").asInt(),
                        facts.path("loadAverage").asDouble()));
            }
        }
        if (!any) {
            out.append("  not measured in this run\n");
        }
        out.append('\n');

        out.append("New flows: a TCP connection set up (SYN classified, SYN+ACK, ACK) and torn down, per second\n");
        any = false;
        for (JsonNode r : jmh) {
            if (!r.path("benchmark").asText().equals(NEW_FLOW)) {
                continue;
            }
            any = true;
            String teardown = r.path("params").path("teardown").asText();
            JsonNode metric = r.path("primaryMetric");
            double rate = perSecond(metric);
            JsonNode facts = extra.path("flowPath.newFlow." + teardown);
            out.append(f("  teardown %-4s %,12.0f flows/s (%.2f us/flow; %s)", teardown, rate, 1e6 / rate,
                    range(metric)));
            if (!facts.isMissingNode()) {
                out.append(f("; %d packets per connection, %,d flows tracked at the end, %d evictions, "
                                + "%d not allowed", facts.path("packetsPerConnection").asInt(),
                        facts.path("trackedFlows").asInt(), facts.path("evictions").asLong(),
                        facts.path("notAllowed").asLong()));
            }
            out.append('\n');
        }
        if (!any) {
            out.append("  not measured in this run\n");
        }
        out.append('\n');

        out.append("Heap per tracked flow (retained heap of a tracker of established TCP flows, "
                + "used heap after full GCs, with and without it)\n");
        any = false;
        for (JsonNode r : jmh) {
            if (!r.path("benchmark").asText().equals(HEAP)) {
                continue;
            }
            any = true;
            String family = r.path("params").path("family").asText();
            JsonNode facts = extra.path("flowPath.heap." + family);
            JsonNode metric = r.path("primaryMetric");
            if (facts.isMissingNode()) {
                out.append(f("  %s: no heap figures in %s%n", family, "the extra results"));
                continue;
            }
            double perFlow = facts.path("bytesPerFlow").asDouble();
            out.append(f("  %s, %,d flows: %.1f bytes/flow (median of %s bytes retained)   target < %.0f   %s%n",
                    family, facts.path("flows").asInt(), perFlow, facts.path("retainedBytes"),
                    HEAP_TARGET_BYTES_PER_FLOW, verdict(perFlow < HEAP_TARGET_BYTES_PER_FLOW)));
            out.append(f("  filling the tracker (3 packets per flow, tracker alone): %.0f ms per %,d flows; %s%n",
                    millis(metric), facts.path("flows").asInt(), facts.path("garbageCollectors")));
        }
        if (!any) {
            out.append("  not measured in this run\n");
        }
        return out.toString();
    }

    /** The score in operations per second. */
    private static double perSecond(JsonNode metric) {
        return toPerSecond(metric, metric.path("score").asDouble());
    }

    private static double toPerSecond(JsonNode metric, double value) {
        String unit = metric.path("scoreUnit").asText();
        return switch (unit) {
            case "ops/s" -> value;
            case "ops/ms" -> value * 1e3;
            case "ops/us" -> value * 1e6;
            case "ops/ns" -> value * 1e9;
            default -> throw new IllegalArgumentException("not a throughput unit: " + unit);
        };
    }

    /** Minimum and maximum of the measured iterations of a throughput result. */
    private static String range(JsonNode metric) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int n = 0;
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode v : fork) {
                min = Math.min(min, toPerSecond(metric, v.asDouble()));
                max = Math.max(max, toPerSecond(metric, v.asDouble()));
                n++;
            }
        }
        return n == 0 ? "no iterations" : f("%d iterations: %s .. %s", n, compact(min), compact(max));
    }

    private static String compact(double perSecond) {
        return perSecond >= 1e6 ? f("%.2f M/s", perSecond / 1e6) : f("%,.0f /s", perSecond);
    }

    private static double millis(JsonNode metric) {
        double v = metric.path("score").asDouble();
        return switch (metric.path("scoreUnit").asText()) {
            case "s/op" -> v * 1e3;
            case "ms/op" -> v;
            case "us/op" -> v / 1e3;
            default -> Double.NaN;
        };
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
