package io.ringfence.itests;

import static io.ringfence.itests.ApiClient.Credentials.ADMIN;
import static io.ringfence.itests.TestEnvironment.freeLoopbackPort;
import static io.ringfence.itests.TestEnvironment.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost: objects created over REST survive a SIGKILL of the real
 * distribution ({@code bin/karaf run} in a child process, H2 in file mode) and come back identical,
 * and the demo data center is loaded only on the first start.
 */
class DurabilityIT {

    /** Bound for a cold start of the distribution until the API answers. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Bound for the demo data center to appear once the API answers (it loads when its component activates). */
    private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(30);
    /** Every top-level collection of the model. */
    private static final List<String> COLLECTIONS = List.of(
            "/api/v1/inventory/hosts", "/api/v1/inventory/vms", "/api/v1/groups", "/api/v1/services", "/api/v1/policies");

    private final Path workDir = Path.of(required("ringfence.itest.work.dir"));
    private KarafProcess karaf;

    @AfterEach
    void stopKaraf() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    void committedObjectsSurviveSigkillAndTheDemoIsLoadedOnce() throws Exception {
        Path home = KarafProcess.copyDistribution(Path.of(required("ringfence.distribution.dir")),
                workDir.resolve("durability/ringfence"));

        ApiClient api = start(home, 1);
        Map<String, Integer> demoTotals = awaitDemoLoaded(api);

        String hostPath = api.create("/api/v1/inventory/hosts", ADMIN,
                "{\"name\":\"durability-host\",\"address\":\"192.0.2.10\",\"description\":\"survives SIGKILL\"}");
        String hostId = id(api, hostPath);
        String vmPath = api.create("/api/v1/inventory/vms", ADMIN, "{\"name\":\"durability-vm\",\"hostId\":\"" + hostId + "\","
                + "\"os\":\"linux\",\"tags\":[\"app:durability\"],"
                + "\"vnics\":[{\"mac\":\"02:00:00:00:99:01\",\"addresses\":[\"192.0.2.11\"],\"segment\":\"durability\"}]}");
        String groupPath = api.create("/api/v1/groups", ADMIN, "{\"name\":\"durability-group\","
                + "\"criteria\":{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"app:durability\"}}");
        String groupId = id(api, groupPath);
        String servicePath = api.create("/api/v1/services", ADMIN, "{\"name\":\"durability-https-8443\","
                + "\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"8443\"]}]}");
        String serviceId = id(api, servicePath);
        String policyPath = api.create("/api/v1/policies", ADMIN,
                "{\"name\":\"durability-policy\",\"category\":\"APPLICATION\"}");
        String rulePath = api.create(policyPath + "/rules", ADMIN, "{\"name\":\"durability-allow\","
                + "\"sources\":[\"" + groupId + "\"],\"destinations\":[\"" + groupId + "\"],"
                + "\"services\":[\"" + serviceId + "\"],\"direction\":\"IN\",\"action\":\"ALLOW\",\"logged\":true}");

        Map<String, Recorded> before = new LinkedHashMap<>();
        for (String path : List.of(hostPath, vmPath, groupPath, servicePath, policyPath, rulePath)) {
            before.put(path, read(api, path));
        }
        assertThat(before.get(policyPath).json().path("rules")).hasSize(1);
        Map<String, Integer> totalsBefore = totals(api);

        karaf.kill();
        assertThat(karaf.isAlive()).isFalse();

        api = start(home, 2);
        for (Map.Entry<String, Recorded> entry : before.entrySet()) {
            Recorded after = read(api, entry.getKey());
            assertThat(after.json()).as("JSON of %s after SIGKILL and restart", entry.getKey())
                    .isEqualTo(entry.getValue().json());
            assertThat(after.etag()).as("ETag of %s", entry.getKey()).isEqualTo(entry.getValue().etag());
        }
        assertThat(totals(api)).as("object counts after restart (the demo must not load again)")
                .isEqualTo(totalsBefore);
        COLLECTIONS.forEach(c -> assertThat(totalsBefore.get(c)).as("%s: the demo's and ours", c)
                .isEqualTo(demoTotals.get(c) + 1));
    }

    /** Starts the distribution on a fresh port and waits for the API; {@code run} numbers the log file. */
    private ApiClient start(Path home, int run) throws Exception {
        int port = freeLoopbackPort();
        karaf = KarafProcess.start(home, port, workDir.resolve("durability/karaf-run-" + run + ".log"));
        ApiClient api = new ApiClient(port);
        KarafProcess process = karaf;
        try {
            await("API of run " + run + " on port " + port)
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("bin/karaf exited", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> api.get("/api/v1/groups", ADMIN).status() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\n--- end of karaf-run-" + run + ".log ---\n"
                    + process.logTail(40), e);
        }
        return api;
    }

    /** Waits until the demo data center is there (every kind present, counts steady) and returns its counts. */
    private static Map<String, Integer> awaitDemoLoaded(ApiClient api) {
        AtomicReference<Map<String, Integer>> previous = new AtomicReference<>(Map.of());
        await("demo data center").atMost(DEMO_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Integer> now = totals(api);
            boolean steady = now.values().stream().allMatch(total -> total > 0) && now.equals(previous.get());
            previous.set(now);
            return steady;
        });
        return previous.get();
    }

    private static Map<String, Integer> totals(ApiClient api) {
        Map<String, Integer> totals = new LinkedHashMap<>();
        for (String collection : COLLECTIONS) {
            ApiClient.Response page = api.get(collection, ADMIN);
            assertThat(page.status()).as("GET %s: %s", collection, page).isEqualTo(200);
            totals.put(collection, page.json().path("total").asInt(-1));
        }
        return totals;
    }

    private static String id(ApiClient api, String uri) {
        return read(api, uri).json().path("id").asText();
    }

    private static Recorded read(ApiClient api, String uri) {
        ApiClient.Response response = api.get(uri, ADMIN);
        assertThat(response.status()).as("GET %s: %s", uri, response).isEqualTo(200);
        return new Recorded(response.json(), response.header("ETag").orElse(null));
    }

    private record Recorded(JsonNode json, String etag) {
    }
}
