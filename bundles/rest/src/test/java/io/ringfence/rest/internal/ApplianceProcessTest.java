package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.samples.appliance.ApplianceMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample appliance as a separate process against the real server: it registers, pulls its
 * full state, realizes it and decides packets as the policy says; a policy change reaches it; killed,
 * it becomes unreachable and realization shows its updates failing; started again, it registers
 * again, gets its full state and realizes it.
 *
 * <p>The data center is {@link #createDataCenter}'s; the appliance enforces h1, where web-1 runs.
 * Every wait is bounded; the process is ended by its own handle.
 */
class ApplianceProcessTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String WEB_TO_DB_POSTGRES = "tcp 10.0.1.2 40000 10.0.2.1 5432";
    static final String WEB_TO_DB_SSH = "tcp 10.0.1.2 40000 10.0.2.1 22";

    @TempDir
    Path dir;
    ApiServer api;
    Appliance appliance;

    @BeforeEach
    void start() {
        api = new ApiServer(dir.resolve("db"), RestApplication.Settings.DEFAULT);
        createDataCenter(api);
    }

    @AfterEach
    void stop() {
        if (appliance != null) {
            appliance.kill();
        }
        api.close();
    }

    @Test
    void theApplianceEnforcesThePolicyIsShownUnreachableWhenKilledAndRealizesItsFullStateWhenBack() throws Exception {
        appliance = new Appliance(dir.resolve("appliance-1.log"));
        String vnic = awaitRealized();
        assertThat(appliance.decide(WEB_TO_DB_POSTGRES)).isEqualTo("ALLOW web-to-db on " + vnic + " OUT");
        assertThat(appliance.decide(WEB_TO_DB_SSH)).isEqualTo("DROP default on " + vnic + " OUT");
        assertThat(appliance.decide("tcp 10.0.9.9 1 10.0.2.1 5432")).isEqualTo("ALLOW - not enforced here");

        created(api.post("v1/policies", "admin", """
                {"id": "emergency", "name": "Emergency", "category": "EMERGENCY", "sequence": 10, "rules": [
                  {"id": "quarantine", "name": "Web is quarantined", "sources": ["web"], "action": "REJECT"}]}"""));
        awaitRealized();
        assertThat(appliance.decide(WEB_TO_DB_POSTGRES)).isEqualTo("REJECT quarantine on " + vnic + " OUT");

        appliance.kill();
        appliance = null;
        // its last poll may still be waiting on the server (up to the appliance's 1 s wait): the
        // lease runs out after that, so move time on until it has
        await("the killed appliance to be unreachable", () -> {
            api.applianceClock.advance(ApiServer.APPLIANCE_LEASE.plusSeconds(1));
            api.appliances.expireLeases();
            return !api.get(ApplianceApiTest.APPLIANCES + "/ips-1", "admin").json().get("reachable").asBoolean();
        });
        assertThat(api.delete("v1/policies/emergency", "admin", null).status()).isEqualTo(204);
        await("the update to fail as unreachable", () -> {
            TargetFeedStatus feed = feed();
            return feed.error() != null && feed.error().code().equals("unreachable") && !feed.inFlight();
        });
        assertThat(feed().inSync()).isFalse();
        assertThat(feed().error().retryable()).isTrue();

        appliance = new Appliance(dir.resolve("appliance-2.log"));
        assertThat(awaitRealized()).isEqualTo(vnic);
        assertThat(appliance.decide(WEB_TO_DB_POSTGRES)).isEqualTo("ALLOW web-to-db on " + vnic + " OUT");
        assertThat(api.get(ApplianceApiTest.APPLIANCES + "/ips-1", "auditor").json().get("reachable").asBoolean()).isTrue();
        assertThat(appliance.log()).contains("registered as ips-1", "(full)");
    }

    @Test
    void aSecondProcessOfTheApplianceTakesOverAndTheFirstStops() throws Exception {
        appliance = new Appliance(dir.resolve("appliance-1.log"));
        awaitRealized();
        String firstSession = api.get(ApplianceApiTest.APPLIANCES + "/ips-1", "admin").json().get("session").asText();
        Appliance first = appliance;

        appliance = new Appliance(dir.resolve("appliance-2.log"));
        await("the second process to register", () -> !api.get(ApplianceApiTest.APPLIANCES + "/ips-1", "admin").json()
                .get("session").asText().equals(firstSession));
        // the first is told at its next poll (within its 1 s wait) that its session ended, and stops
        // rather than register again and take the appliance back
        assertThat(first.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first process ended; log:\n"
                + first.log()).isTrue();
        assertThat(first.process.exitValue()).isEqualTo(3);
        assertThat(first.log()).contains("session-ended", "stopping");
        String vnic = awaitRealized();
        assertThat(appliance.decide(WEB_TO_DB_POSTGRES)).isEqualTo("ALLOW web-to-db on " + vnic + " OUT");
        assertThat(appliance.log()).doesNotContain("session-ended");
    }

    /** Waits until the appliance's target has realized what it should; the vNIC of web-1. */
    private String awaitRealized() {
        await("the appliance to realize its rule sets", () -> {
            TargetFeedStatus feed = api.enforcement.target("appliance:ips-1").orElse(null);
            return feed != null && feed.inSync() && !feed.realized().isEmpty();
        });
        return feed().realized().keySet().iterator().next();
    }

    private TargetFeedStatus feed() {
        return api.enforcement.target("appliance:ips-1").orElseThrow();
    }

    private void await(String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " did not happen; appliance log:\n" + (appliance == null ? "(none running)"
                    : appliance.log()) + "\nfeed: " + api.enforcement.targets(), e);
        }
    }

    /**
     * Hosts h1 and h2; web-1 (10.0.1.2) on h1 tagged app:web, db-1 (10.0.2.1) on h2 tagged app:db;
     * groups web and db by tag; services postgresql (TCP 5432) and ssh (TCP 22); policy shop with
     * web-to-db (web to db, postgresql, ALLOW). The default rule drops.
     */
    static void createDataCenter(ApiServer api) {
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h1\",\"name\":\"h1\"}"));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h2\",\"name\":\"h2\"}"));
        created(api.post("v1/inventory/vms", "admin", vm("web-1", "h1", "app:web", "02:00:00:00:00:01", "10.0.1.2")));
        created(api.post("v1/inventory/vms", "admin", vm("db-1", "h2", "app:db", "02:00:00:00:00:02", "10.0.2.1")));
        for (String tier : List.of("web", "db")) {
            created(api.post("v1/groups", "admin", ("{\"id\":\"%s\",\"name\":\"%s\",\"criteria\":{\"attribute\":\"TAG\","
                    + "\"operator\":\"EQUALS\",\"value\":\"app:%s\"}}").formatted(tier, tier, tier)));
        }
        created(api.post("v1/services", "admin", service("postgresql", 5432)));
        created(api.post("v1/services", "admin", service("ssh", 22)));
        created(api.post("v1/policies", "admin", """
                {"id": "shop", "name": "Shop", "category": "APPLICATION", "sequence": 10, "rules": [
                  {"id": "web-to-db", "name": "Web uses the database", "sources": ["web"], "destinations": ["db"],
                   "services": ["postgresql"], "action": "ALLOW"}]}"""));
    }

    private static void created(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static String vm(String id, String host, String tag, String mac, String address) {
        return """
                {"id":"%s","name":"%s","hostId":"%s","tags":["%s"],
                 "vnics":[{"mac":"%s","addresses":["%s"],"segment":"seg"}]}""".formatted(id, id, host, tag, mac, address);
    }

    private static String service(String id, int port) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"%d\"]}]}"
                .formatted(id, id, port);
    }

    /** The sample appliance in a JVM of its own, on the sample's classes and Jackson. */
    private final class Appliance {

        private final Process process;
        private final PrintStream stdin;
        private final BlockingQueue<String> decisions = new LinkedBlockingQueue<>();
        private final Path log;

        Appliance(Path log) throws IOException {
            this.log = log;
            String classpath = Stream.of(ApplianceMain.class, ObjectMapper.class, JsonParser.class, JsonInclude.class)
                    .map(Appliance::location).distinct().collect(Collectors.joining(File.pathSeparator));
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, ApplianceMain.class.getName(),
                    "--api", api.base.toString(), "--id", "ips-1", "--hosts", "h1",
                    "--user", "appliance", "--password", TestUsers.USERS.get("appliance")[0], "--wait", "1s")
                    .redirectError(log.toFile()).start();
            stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    out.lines().forEach(decisions::add);
                } catch (IOException | UncheckedIOException e) {
                    // the process ended
                }
            }, "appliance-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** The appliance's decision on one packet line. */
        String decide(String packet) throws InterruptedException {
            stdin.println(packet);
            String answer = decisions.poll(10, TimeUnit.SECONDS);
            assertThat(answer).as("decision on " + packet + "; log:\n" + log()).isNotNull();
            return answer;
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("appliance process " + process.pid() + " ended").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String location(Class<?> type) {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
