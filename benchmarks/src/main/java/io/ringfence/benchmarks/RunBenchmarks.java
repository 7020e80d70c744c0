package io.ringfence.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks (all, or those matching the JMH arguments given) and writes the results as
 * JSON to {@code benchmarks/results/jmh-<time>.json} (or -Dringfence.results=FILE), printing the path.
 * What benchmarks measure besides their scores goes to {@code <results>-extra.json}
 * ({@link ExtraResults}); after a run of compiler benchmarks, {@link CompilerBenchmarkReport}
 * prints their summary against the targets and writes it to {@code <results>-compiler-summary.txt}; after
 * a run of flow-path benchmarks {@link FlowPathBenchmarkReport} does the same in
 * {@code <results>-flowpath-summary.txt}, and after one of classifier benchmarks
 * {@link ClassifierBenchmarkReport} in {@code <results>-classifier-summary.txt}.
 */
public final class RunBenchmarks {
    private RunBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        if (commandLine.shouldHelp()) {
            commandLine.showHelp();
            return;
        }
        if (commandLine.shouldList() || commandLine.shouldListWithParams()) {
            new Runner(commandLine).list();
            return;
        }
        Path out = Path.of(System.getProperty("ringfence.results",
                "benchmarks/results/jmh-" + System.currentTimeMillis() + ".json")).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path extra = ExtraResults.besides(out);
        // tell forked JVMs (and this one, for -f 0) where extra results go; prepended so that the
        // benchmarks' own @Fork(jvmArgsAppend) still apply
        System.setProperty(ExtraResults.PROPERTY, extra.toString());
        List<String> prepend = new ArrayList<>(commandLine.getJvmArgsPrepend().orElse(List.of()));
        prepend.add("-D" + ExtraResults.PROPERTY + "=" + extra);
        Options options = new OptionsBuilder()
                .parent(commandLine)
                .jvmArgsPrepend(prepend.toArray(String[]::new))
                .resultFormat(ResultFormatType.JSON)
                .result(out.toString())
                .build();
        Collection<?> results = new Runner(options).run();
        System.out.println("Benchmark results written to " + out);
        if (Files.exists(extra)) {
            System.out.println("Extra results written to " + extra);
        }
        if (!results.isEmpty() && CompilerBenchmarkReport.hasCompilerResults(out)) {
            CompilerBenchmarkReport.write(out, extra);
        }
        if (!results.isEmpty() && FlowPathBenchmarkReport.hasFlowPathResults(out)) {
            FlowPathBenchmarkReport.write(out, extra);
        }
        if (!results.isEmpty() && ClassifierBenchmarkReport.hasClassifierResults(out)) {
            ClassifierBenchmarkReport.write(out, extra);
        }
    }
}
