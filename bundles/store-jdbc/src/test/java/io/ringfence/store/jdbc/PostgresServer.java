package io.ringfence.store.jdbc;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A private, throwaway PostgreSQL cluster for tests: initdb into a temporary directory, a server
 * listening on 127.0.0.1 only (its unix socket in that directory), password authentication over
 * TCP, and on {@link #close()} an immediate stop, a check that no server process survived, and
 * the directory deleted.
 *
 * <p>Uses the server binaries of the {@code postgresql} package ({@code /usr/lib/postgresql/<v>/bin},
 * the newest version; {@code RINGFENCE_PG_BIN} names another directory). PostgreSQL refuses to
 * run as root, so under root every command runs as the {@code postgres} user through runuser.
 */
final class PostgresServer implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final String USER = "postgres";

    private final Path bin;
    private final Path root;
    private final Path data;
    private final List<String> asServerUser;
    private final String password = UUID.randomUUID().toString();
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "postgres-test-server-stop");
    private int port;
    private ProcessHandle postmaster;
    private boolean closed;

    private PostgresServer(Path bin, Path root, List<String> asServerUser) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.asServerUser = asServerUser;
    }

    /** Creates and starts a new cluster; fails (rather than skips) when PostgreSQL is not installed. */
    static PostgresServer start() throws IOException, InterruptedException {
        Path bin = findBinaries();
        Path root = Files.createTempDirectory("ringfence-pg-");
        List<String> prefix = List.of();
        if (new UnixSystem().getUid() == 0) {
            // the directory must belong to the user the server runs as; /tmp lets it through
            Files.setOwner(root, serverUser());
            prefix = List.of("runuser", "-u", USER, "--");
        }
        PostgresServer server = new PostgresServer(bin, root, prefix);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initdb();
            server.startOnFreePort();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.closeQuietly();
            throw e;
        }
        return server;
    }

    /** Creates a new, empty database and returns its name. */
    String createDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return name;
    }

    /** A new DataSource on {@code database}, with bounded connect and socket timeouts. */
    DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(USER);
        ds.setPassword(password);
        ds.setConnectTimeout(10);
        ds.setSocketTimeout(60);
        return ds;
    }

    private void initdb() throws IOException, InterruptedException {
        Path pwfile = root.resolve("pwfile");
        Files.writeString(pwfile, password);
        if (!asServerUser.isEmpty()) {
            Files.setOwner(pwfile, serverUser());
        }
        // C locale and UTF-8 whatever the machine's locale; --no-sync: nothing here needs to survive
        run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-E", "UTF8", "--locale=C",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "--no-sync");
        Files.delete(pwfile);
        Path socketDir = Files.createDirectory(root.resolve("socket"));
        if (!asServerUser.isEmpty()) {
            Files.setOwner(socketDir, serverUser());
        }
        // fsync off: a throwaway cluster; the store's durability on commit is PostgreSQL's own business
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n", "",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + socketDir + "'",
                "fsync = off",
                "full_page_writes = off",
                "shared_buffers = 32MB",
                "max_connections = 40",
                ""), StandardOpenOption.APPEND);
    }

    /** Starts on a free loopback port, trying another when someone takes it between probe and bind. */
    private void startOnFreePort() throws IOException, InterruptedException {
        Path log = root.resolve("postgres.log");
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w",
                        "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "-o", "-p " + port, "start");
                break;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !tail(log).contains("Address already in use")) {
                    throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + tail(log), e);
                }
            }
        }
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("postgres exited at start"));
    }

    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or about to, which is what we want
            }
        }
        try {
            if (postmaster != null) {
                List<ProcessHandle> processes = new ArrayList<>(postmaster.descendants().toList());
                processes.add(postmaster);
                try {
                    // immediate: nothing to save, and it is the quickest way down
                    run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                            "-t", "30", "stop");
                } finally {
                    killSurvivors(processes);
                }
            }
        } finally {
            deleteRecursively(root);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL server in " + root + ": " + e);
        }
    }

    /** Waits for each process to exit, kills what does not, and fails if anything still runs. */
    private static void killSurvivors(List<ProcessHandle> processes) throws InterruptedException {
        List<Long> survivors = new ArrayList<>();
        for (ProcessHandle p : processes) {
            if (exited(p, 10)) {
                continue;
            }
            p.destroyForcibly();
            if (!exited(p, 5)) {
                survivors.add(p.pid());
            }
        }
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("test PostgreSQL processes survived SIGKILL: " + survivors);
        }
    }

    private static boolean exited(ProcessHandle p, int seconds) throws InterruptedException {
        try {
            p.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command (as the server's user when we are root) with a deadline; fails on a non-zero exit. */
    private void run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(asServerUser);
        line.addAll(List.of(command));
        Path output = root.resolve("commands.log");
        Process p = new ProcessBuilder(line)
                .directory(root.toFile()) // initdb and pg_ctl complain when they cannot read the working directory
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(output.toFile()))
                .start();
        boolean finished;
        try {
            finished = p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            destroy(p);
            throw e;
        }
        if (!finished) {
            destroy(p);
            throw new IllegalStateException(line + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s:\n" + tail(output));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(line + " failed with exit code " + p.exitValue() + ":\n" + tail(output));
        }
    }

    private static void destroy(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static Path findBinaries() throws IOException {
        String override = System.getenv("RINGFENCE_PG_BIN");
        Optional<Path> found;
        if (override != null && !override.isBlank()) {
            found = Optional.of(Path.of(override)).filter(PostgresServer::hasServerBinaries);
        } else if (Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
            try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
                found = versions
                        .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .map(v -> v.resolve("bin"))
                        .filter(PostgresServer::hasServerBinaries)
                        .max(Comparator.comparing(b -> Runtime.Version.parse(b.getParent().getFileName().toString())));
            }
        } else {
            found = Optional.empty();
        }
        return found.orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) not found in "
                + (override != null && !override.isBlank() ? override : "/usr/lib/postgresql/*/bin")
                + ": install the postgresql package (apt-get install -y postgresql)"
                + " or set RINGFENCE_PG_BIN to the directory that holds them"));
    }

    private static boolean hasServerBinaries(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static UserPrincipal serverUser() throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("running as root, but there is no '" + USER + "' user to run PostgreSQL as: "
                    + "install the postgresql package (apt-get install -y postgresql), which creates it", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
