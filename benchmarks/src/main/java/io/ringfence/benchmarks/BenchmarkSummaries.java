package io.ringfence.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** What the benchmark summaries (compiler, flow path, classifier) share: finding their results, writing the summary. */
final class BenchmarkSummaries {

    private BenchmarkSummaries() {
    }

    /** True when {@code results} (a JMH JSON file) holds a result of a benchmark whose name {@code benchmark} accepts. */
    static boolean hasResults(Path results, Predicate<String> benchmark) throws IOException {
        if (!Files.exists(results) || Files.size(results) == 0) {
            return false;
        }
        for (JsonNode r : new ObjectMapper().readTree(results.toFile())) {
            if (benchmark.test(r.path("benchmark").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Prints {@code text} and writes it beside {@code results}, as {@code <results>-<suffix>-summary.txt};
     * returns the file written.
     */
    static Path write(Path results, String suffix, String label, String text) throws IOException {
        String name = results.getFileName().toString();
        Path out = results.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name)
                + "-" + suffix + "-summary.txt");
        Files.writeString(out, text);
        System.out.print(text);
        System.out.println(label + " summary written to " + out.toAbsolutePath());
        return out;
    }
}
