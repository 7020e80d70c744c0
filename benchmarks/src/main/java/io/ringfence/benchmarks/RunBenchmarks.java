package io.ringfence.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks (all, or those matching the JMH arguments given) and writes the results as
 * JSON to {@code benchmarks/results/jmh-<time>.json} (or -Dringfence.results=FILE), printing the path.
 */
public final class RunBenchmarks {
    private RunBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("ringfence.results",
                "benchmarks/results/jmh-" + System.currentTimeMillis() + ".json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .resultFormat(ResultFormatType.JSON)
                .result(out.toString())
                .build();
        new Runner(options).run();
        System.out.println("Benchmark results written to " + out.toAbsolutePath());
    }
}
