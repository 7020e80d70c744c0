package io.ringfence.samples.appliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The appliance process: registers, then pulls updates and acknowledges them for as long as it
 * runs, while it decides the packets given on standard input, one per line
 * ({@code tcp 10.0.0.1 40000 10.0.0.2 443}), answering one line each on standard output
 * ({@code ALLOW web-to-db on vnic-2 IN}). Logs go to standard error.
 *
 * <p>When the manager cannot be reached the appliance keeps enforcing the rules it has (fail
 * static) and tries again with backoff; when the manager no longer knows its session (it was
 * unreachable too long, or the manager restarted) it registers again and gets its full state. When
 * another process registered the appliance since (the manager says its session ended), it exits
 * (status 3) rather than register again and take the session back.
 *
 * <p>Arguments: {@code --api http://host:8181/api/ --id ID --hosts h1,h2 [--user U] [--password P]
 * [--description TEXT] [--full-only] [--wait 25s]}; the password may also come from the
 * environment variable {@code RINGFENCE_APPLIANCE_PASSWORD}.
 */
public final class ApplianceMain {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final ManagerClient manager;
    private final Wire.Registration registration;
    private final Duration wait;
    private final RuleTable table = new RuleTable();
    private final PrintStream log;

    ApplianceMain(ManagerClient manager, Wire.Registration registration, Duration wait, PrintStream log) {
        this.manager = manager;
        this.registration = registration;
        this.wait = wait;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String id = required(options, "id");
        String password = options.getOrDefault("password", System.getenv("RINGFENCE_APPLIANCE_PASSWORD"));
        ManagerClient client = new ManagerClient(URI.create(required(options, "api")),
                options.getOrDefault("user", "appliance"), password == null ? "appliance" : password, id);
        Wire.Registration registration = new Wire.Registration(id, options.getOrDefault("description",
                "Ringfence sample appliance"), Arrays.asList(required(options, "hosts").split(",")),
                !options.containsKey("full-only"));
        ApplianceMain appliance = new ApplianceMain(client, registration,
                Duration.ofMillis(millis(options.getOrDefault("wait", "25s"))), System.err);
        Thread sync = new Thread(() -> {
            if (appliance.run()) {
                System.exit(3); // superseded: the other process enforces now
            }
        }, "appliance-sync");
        sync.setDaemon(true);
        sync.start();
        appliance.decideLines(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
    }

    /**
     * Registers, then pulls and acknowledges until interrupted.
     *
     * @return true when it stopped because another process of the appliance registered since
     */
    boolean run() {
        Duration backoff = Duration.ofMillis(500);
        boolean registered = false;
        long after = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (!registered) {
                    manager.register(registration);
                    registered = true;
                    after = 0;
                    log.println("registered as " + registration.id() + " for hosts " + registration.hosts());
                }
                Optional<Wire.Update> update = manager.poll(after, wait);
                if (update.isPresent()) {
                    if (manager.acknowledge(apply(update.get()))) {
                        after = update.get().sequence();
                    } else {
                        log.println("update " + update.get().sequence() + " is no longer pending: pulling again");
                    }
                }
                backoff = Duration.ofMillis(500);
            } catch (ManagerClient.Superseded e) {
                log.println("another process registered " + registration.id() + " since (" + e.getMessage()
                        + "): stopping");
                return true;
            } catch (ManagerClient.SessionLost e) {
                log.println("session lost (" + e.getMessage() + "): registering again");
                registered = false;
            } catch (IOException e) {
                log.println("manager unreachable (" + e.getMessage() + "): enforcing the last rules, retrying in "
                        + backoff.toMillis() + " ms");
                if (!sleep(backoff)) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    /** Applies an update and says what to answer: the realized generations, or why it was refused. */
    Wire.Acknowledgement apply(Wire.Update update) {
        try {
            Map<String, Long> realized = table.apply(update);
            log.println("update " + update.sequence() + (update.full() ? " (full)" : " (delta)") + ": "
                    + update.ruleSets().size() + " rule sets, " + table.size() + " vNICs enforced");
            return new Wire.Acknowledgement(update.sequence(), realized, null);
        } catch (RuleTable.UnsupportedUpdate e) {
            log.println("update " + update.sequence() + " refused: " + e.getMessage());
            return new Wire.Acknowledgement(update.sequence(), Map.of(),
                    new Wire.Error("unsupported-rule", e.getMessage(), false));
        }
    }

    RuleTable table() {
        return table;
    }

    /** Decides each packet line of {@code in} until it ends; a line that is not a packet gets an error line. */
    void decideLines(BufferedReader in, PrintStream out) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.println(table.decide(Packet.parse(line)));
            } catch (IllegalArgumentException e) {
                out.println("ERROR " + e.getMessage());
            }
            out.flush();
        }
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + name);
            }
            boolean flag = rest.isEmpty() || rest.get(0).startsWith("--");
            options.put(name.substring(2), flag ? "true" : rest.remove(0));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static long millis(String duration) {
        return duration.endsWith("ms") ? Long.parseLong(duration.substring(0, duration.length() - 2))
                : Long.parseLong(duration.replaceFirst("s$", "")) * 1000;
    }
}
