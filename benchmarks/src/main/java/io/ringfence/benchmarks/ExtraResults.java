package io.ringfence.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Figures a benchmark measures besides its JMH score (heap retained, sizes of the compiled
 * state, deltas per change), kept in a JSON file next to the JMH results: one object, a section
 * per benchmark. Forked JVMs learn the file from the system property {@value #PROPERTY}, which
 * {@link RunBenchmarks} sets; without it they write {@code benchmarks/results/extra-<time>.json}.
 */
public final class ExtraResults {

    /** The system property naming the file. */
    public static final String PROPERTY = "ringfence.extraResults";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExtraResults() {
    }

    /** The file of extra results that goes with the JMH results file {@code jmhResults}. */
    public static Path besides(Path jmhResults) {
        String name = jmhResults.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return jmhResults.resolveSibling(base + "-extra.json");
    }

    /** The file this JVM writes to. */
    public static Path file() {
        String named = System.getProperty(PROPERTY);
        return Path.of(named != null ? named : "benchmarks/results/extra-" + ProcessHandle.current().pid() + ".json");
    }

    /** Sets {@code section} of the file to {@code value} (a record, map or JSON node), keeping the other sections. */
    public static synchronized Path record(String section, Object value) {
        Path file = file();
        try {
            ObjectNode root = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
            root.set(section, JSON.valueToTree(value));
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }

    /** The sections written to {@code file}; an empty object when there is no such file. */
    public static JsonNode read(Path file) throws IOException {
        return Files.exists(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    /**
     * Heap in use once garbage is collected: full collections until the figure settles (within
     * 1 MB), at most ten.
     */
    public static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < (1 << 20)) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
