package io.ringfence.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Ringfence distribution started as {@code bin/karaf run} in a child process, as an operator
 * would start it, with HTTP on a given loopback port. {@link #kill()} SIGKILLs the whole process tree.
 */
final class KarafProcess implements AutoCloseable {

    private static final long EXIT_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final Path log;

    private KarafProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code home}/bin/karaf run; its console output goes to {@code log}. */
    static KarafProcess start(Path home, int httpPort, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "bin/karaf", "run")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("RINGFENCE_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("RINGFENCE_HTTP_HOST", "127.0.0.1");
        // a SIGKILLed instance leaves its pid in instances/instance.properties
        builder.environment().put("CHECK_ROOT_INSTANCE_RUNNING", "false");
        builder.environment().remove("KARAF_EXEC");
        return new KarafProcess(builder.start(), log);
    }

    /** A fresh copy of the pristine distribution {@code source} at {@code target} (deleted first). */
    static Path copyDistribution(Path source, Path target) throws IOException {
        if (!Files.isRegularFile(source.resolve("bin/karaf"))) {
            throw new IllegalStateException("no distribution at " + source);
        }
        deleteRecursively(target);
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL to every process of the tree (bin/karaf's shell and its JVM), then waits for them to exit. */
    void kill() {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + handle.pid() + " did not exit after SIGKILL", e);
            }
        }
    }

    /** The last lines of the console output, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
