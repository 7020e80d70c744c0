package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.model.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual-appliance endpoints over the real server, with this test playing the appliance:
 * registration, pulling full state and deltas, acknowledgements that realize the target's
 * generations, the lease, registering again, deregistration, the roles, and problem documents for
 * bad input.
 *
 * <p>The data center: hosts h1 and h2; web-1 (10.0.1.2) on h1 tagged app:web, db-1 (10.0.2.1) on
 * h2 tagged app:db; policy shop: web-to-db (web to db, TCP 5432, ALLOW). The appliance ips-1
 * enforces h1.
 */
class ApplianceApiTest {

    static final String APPLIANCES = "v1/enforcement/appliances";
    static final String REGISTRATION = """
            {"id": "ips-1", "description": "sample IPS", "hosts": ["h1"], "deltas": true}""";

    ApiServer api;

    @BeforeEach
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, RestApplication.Settings.DEFAULT);
        ApplianceProcessTest.createDataCenter(api);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anApplianceRegistersPullsItsFullStateAndRealizesIt() {
        ApiServer.Reply registered = api.post(APPLIANCES, "appliance", REGISTRATION);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(registered.header("Location")).endsWith("/api/" + APPLIANCES + "/ips-1");
        assertThat(registered.json().get("targetId").asText()).isEqualTo("appliance:ips-1");
        assertThat(registered.json().get("reachable").asBoolean()).isTrue();

        JsonNode update = poll("ips-1", 0);
        assertThat(update.get("sequence").asLong()).isEqualTo(1);
        assertThat(update.get("full").asBoolean()).isTrue();
        assertThat(update.get("ruleSets")).hasSize(1);
        JsonNode web = update.get("ruleSets").get(0);
        assertThat(web.get("vmId").asText()).isEqualTo("web-1");
        assertThat(web.get("addresses").get(0).asText()).isEqualTo("10.0.1.2/32");
        assertThat(web.get("outbound").get(0).get("ruleId").asText()).isEqualTo("web-to-db");
        assertThat(web.get("outbound").get(0).get("services").get(0).get("destinationPorts").get(0).toString())
                .isEqualTo("[5432,5432]");

        acknowledge("ips-1", update);

        TargetFeedStatus feed = api.enforcement.target("appliance:ips-1").orElseThrow();
        assertThat(feed.inSync()).as(feed.toString()).isTrue();
        assertThat(feed.realized()).containsEntry(web.get("vnicId").asText(), web.get("generation").asLong());
        JsonNode status = api.get(APPLIANCES + "/ips-1", "auditor").json();
        assertThat(status.get("acknowledged").asLong()).isEqualTo(1);
        assertThat(status.get("pending").asBoolean()).isFalse();
        assertThat(status.get("realized").get(web.get("vnicId").asText()).asLong()).isEqualTo(web.get("generation").asLong());
        assertThat(status.get("registeredBy").asText()).isEqualTo("appliance");
    }

    @Test
    void aPolicyChangeArrivesAsADelta() {
        api.post(APPLIANCES, "appliance", REGISTRATION);
        JsonNode full = poll("ips-1", 0);
        acknowledge("ips-1", full);

        ApiServer.Reply changed = api.post("v1/policies/shop/rules", "admin", """
                {"id": "no-ssh", "name": "No SSH to the database", "sources": ["web"], "destinations": ["db"],
                 "services": ["ssh"], "action": "REJECT"}""");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(201);

        JsonNode delta = poll("ips-1", 1);
        assertThat(delta.get("sequence").asLong()).isEqualTo(2);
        assertThat(delta.get("full").asBoolean()).isFalse();
        assertThat(rules(delta.get("ruleSets").get(0).get("outbound"))).containsExactly("web-to-db ALLOW", "no-ssh REJECT");
        assertThat(delta.get("ruleSets").get(0).get("generation").asLong())
                .isGreaterThan(full.get("ruleSets").get(0).get("generation").asLong());
        acknowledge("ips-1", delta);
        assertThat(api.enforcement.target("appliance:ips-1").orElseThrow().inSync()).isTrue();
    }

    @Test
    void aPollWithNothingNewAnswers204AfterItsWait() {
        api.post(APPLIANCES, "appliance", REGISTRATION);
        acknowledge("ips-1", poll("ips-1", 0));

        ApiServer.Reply r = api.get(APPLIANCES + "/ips-1/updates?after=1&wait=200ms", "appliance");

        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    @Test
    void aReportedErrorFailsTheUpdateVisibly() {
        api.post(APPLIANCES, "appliance", REGISTRATION);
        poll("ips-1", 0);

        ApiServer.Reply r = api.post(APPLIANCES + "/ips-1/acknowledgements", "appliance", """
                {"sequence": 1, "error": {"code": "unsupported-rule", "message": "no ICMPv6 here", "retryable": false}}""");

        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> !api.enforcement.target("appliance:ips-1").orElseThrow().inFlight());
        TargetFeedStatus feed = api.enforcement.target("appliance:ips-1").orElseThrow();
        assertThat(feed.error().code()).isEqualTo("unsupported-rule");
        assertThat(feed.inSync()).isFalse();
        assertThat(api.get(APPLIANCES + "/ips-1", "admin").json().get("error").get("code").asText())
                .isEqualTo("unsupported-rule");
    }

    @Test
    void aSilentApplianceIsUnreachableUntilItRegistersAgainAndGetsItsFullState() {
        api.post(APPLIANCES, "appliance", REGISTRATION);
        poll("ips-1", 0); // pulled, never acknowledged: the appliance went silent

        api.applianceClock.advance(ApiServer.APPLIANCE_LEASE.plusSeconds(1));
        api.appliances.expireLeases();

        JsonNode status = api.get(APPLIANCES + "/ips-1", "admin").json();
        assertThat(status.get("reachable").asBoolean()).isFalse();
        assertThat(status.get("error").get("code").asText()).isEqualTo("unreachable");
        // the feed handles the failed update on its own thread
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> api.enforcement.target("appliance:ips-1").orElseThrow().error() != null);
        TargetFeedStatus feed = api.enforcement.target("appliance:ips-1").orElseThrow();
        assertThat(feed.error().code()).isEqualTo("unreachable");
        assertThat(feed.error().retryable()).isTrue();
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?after=0&wait=0s", "appliance"), 409, "lease-expired");

        assertThat(api.post(APPLIANCES, "appliance", REGISTRATION).status()).isEqualTo(201);
        JsonNode full = poll("ips-1", 0);
        assertThat(full.get("sequence").asLong()).isEqualTo(1);
        assertThat(full.get("full").asBoolean()).isTrue();
        acknowledge("ips-1", full);
        assertThat(api.enforcement.target("appliance:ips-1").orElseThrow().inSync()).isTrue();
        assertThat(api.get(APPLIANCES + "/ips-1", "admin").json().get("reachable").asBoolean()).isTrue();
    }

    @Test
    void aProcessWhoseSessionEndedIsToldSoAndTheCurrentOneGoesOn() {
        String first = api.post(APPLIANCES, "appliance", REGISTRATION).json().get("session").asText();
        String second = api.post(APPLIANCES, "appliance", REGISTRATION).json().get("session").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get(APPLIANCES + "/ips-1", "admin").json().get("session").asText()).isEqualTo(second);

        assertProblem(api.get(APPLIANCES + "/ips-1/updates?after=0&wait=0s&session=" + first, "appliance"), 409,
                "session-ended");
        assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements?session=" + first, "appliance",
                "{\"sequence\": 1, \"realized\": {}}"), 409, "session-ended");
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?wait=0s&session=not-a-session", "appliance"), 400,
                "bad-request");
        assertThat(api.get(APPLIANCES + "/ips-1", "admin").json().get("acknowledged").asLong()).isZero();

        ApiServer.Reply current = api.get(APPLIANCES + "/ips-1/updates?after=0&wait=5s&session=" + second, "appliance");
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        JsonNode update = current.json();
        ApiServer.Reply ack = api.post(APPLIANCES + "/ips-1/acknowledgements?session=" + second, "appliance",
                "{\"sequence\": " + update.get("sequence").asLong() + ", \"realized\": {\""
                        + update.get("ruleSets").get(0).get("vnicId").asText() + "\": "
                        + update.get("ruleSets").get(0).get("generation").asLong() + "}}");
        assertThat(ack.status()).as(ack.toString()).isEqualTo(204);
        // the feed handles the answer on its own thread
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> api.enforcement.target("appliance:ips-1").orElseThrow().inSync());
    }

    @Test
    void deregisteringRemovesTheTarget() {
        api.post(APPLIANCES, "appliance", REGISTRATION);

        ApiServer.Reply r = api.delete(APPLIANCES + "/ips-1", "admin", null);

        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        assertThat(api.enforcement.targets()).isEmpty();
        assertThat(api.get(APPLIANCES, "admin").json()).isEmpty();
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?wait=0s", "appliance"), 404, "unknown-appliance");
        assertProblem(api.delete(APPLIANCES + "/ips-1", "admin", null), 404, "unknown-appliance");
        // an appliance may deregister itself
        api.post(APPLIANCES, "appliance", REGISTRATION);
        assertThat(api.delete(APPLIANCES + "/ips-1", "appliance", null).status()).isEqualTo(204);
    }

    @Test
    void theApplianceRoleMayDoNothingElse() {
        api.post(APPLIANCES, "appliance", REGISTRATION);
        List<ApiServer.Reply> refused = new ArrayList<>();
        refused.add(api.get(APPLIANCES, "appliance"));
        refused.add(api.get(APPLIANCES + "/ips-1", "appliance"));
        refused.add(api.get("v1/policies", "appliance"));
        refused.add(api.get("v1/inventory/vms/web-1", "appliance"));
        refused.add(api.get("v1/settings", "appliance"));
        refused.add(api.post("v1/inventory/hosts", "appliance", "{\"id\":\"h9\",\"name\":\"h9\"}"));
        refused.add(api.delete("v1/policies/shop", "appliance", null));
        refused.add(api.post("v1/traceflow", "appliance", "{}"));
        refused.add(api.post("v1/policy-preview", "appliance", "{}"));

        assertThat(refused).allSatisfy(r -> assertProblem(r, 403, "forbidden"));
        assertThat(api.manager.find(Kind.HOST, "h9")).isEmpty();
    }

    @Test
    void adminsListAndDeleteAuditorsReadAndNeitherActsAsAnAppliance() {
        api.post(APPLIANCES, "appliance", REGISTRATION);

        assertThat(api.get(APPLIANCES, "admin").json()).extracting(n -> n.get("id").asText()).containsExactly("ips-1");
        assertThat(api.get(APPLIANCES, "auditor").json()).hasSize(1);
        assertThat(api.get(APPLIANCES + "/ips-1", "auditor").status()).isEqualTo(200);
        for (String user : List.of("admin", "auditor")) {
            assertProblem(api.post(APPLIANCES, user, REGISTRATION.replace("ips-1", "ips-2")), 403, "forbidden");
            assertProblem(api.get(APPLIANCES + "/ips-1/updates?wait=0s", user), 403, "forbidden");
            assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements", user, "{\"sequence\": 1}"), 403, "forbidden");
        }
        assertProblem(api.delete(APPLIANCES + "/ips-1", "auditor", null), 403, "forbidden");
        assertProblem(api.get(APPLIANCES, null), 401, "unauthenticated");
    }

    @Test
    void onlyTheUserThatRegisteredAnApplianceMayUseIt() {
        api.post(APPLIANCES, "appliance", REGISTRATION);

        assertProblem(api.get(APPLIANCES + "/ips-1/updates?wait=0s", "appliance2"), 403, "not-owner");
        assertProblem(api.post(APPLIANCES, "appliance2", REGISTRATION), 403, "not-owner");
    }

    @Test
    void badInputGetsSpecificProblemsAndChangesNothing() {
        assertProblem(api.post(APPLIANCES, "appliance", REGISTRATION.replace("ips-1", "ips/1")), 422, "validation");
        assertProblem(api.post(APPLIANCES, "appliance", REGISTRATION.replace("\"h1\"", "\"h1\", \"h7\"")), 422,
                "unknown-host");
        assertProblem(api.post(APPLIANCES, "appliance", REGISTRATION.replace("[\"h1\"]", "[]")), 422, "validation");
        assertProblem(api.post(APPLIANCES, "appliance", "{\"id\": \"ips-1\", \"hosts\": [\"h1\"], \"colour\": 1}"), 422,
                "validation");
        assertProblem(api.post(APPLIANCES, "appliance", "{\"id\": "), 400, "malformed-json");
        assertThat(api.appliances.appliances()).isEmpty();

        api.post(APPLIANCES, "appliance", REGISTRATION);
        assertProblem(api.get(APPLIANCES + "/ips*1/updates", "appliance"), 400, "bad-request");
        assertProblem(api.get(APPLIANCES + "/" + "x".repeat(65), "admin"), 400, "bad-request");
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?after=-1", "appliance"), 400, "bad-request");
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?after=x", "appliance"), 400, "bad-request");
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?wait=forever", "appliance"), 400, "bad-request");
        assertProblem(api.get(APPLIANCES + "/ips-1/updates?after=7&wait=0s", "appliance"), 409, "unknown-sequence");
        assertProblem(api.get(APPLIANCES + "/nope/updates?wait=0s", "appliance"), 404, "unknown-appliance");

        JsonNode update = poll("ips-1", 0);
        String vnic = update.get("ruleSets").get(0).get("vnicId").asText();
        assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements", "appliance", "{\"sequence\": 2, \"realized\": {}}"),
                409, "unknown-sequence");
        assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements", "appliance",
                "{\"sequence\": 1, \"realized\": {\"someone-else\": 1}}"), 422, "invalid-acknowledgement");
        assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements", "appliance",
                "{\"sequence\": 1, \"realized\": {\"" + vnic + "\": 1}, \"error\": {\"code\": \"x\"}}"), 422, "validation");
        assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements", "appliance", "{\"realized\": {}}"), 422,
                "validation");
        String huge = "{\"sequence\": 1, \"realized\": {\"" + "v".repeat(2 << 20) + "\": 1}}";
        assertProblem(api.post(APPLIANCES + "/ips-1/acknowledgements", "appliance", huge), 413, "too-large");
        // none of it answered the update
        JsonNode status = api.get(APPLIANCES + "/ips-1", "admin").json();
        assertThat(status.get("acknowledged").asLong()).isZero();
        assertThat(status.get("realized")).isEmpty();
        assertThat(status.get("error").isNull()).as(status.toString()).isTrue();
    }

    // ---- the appliance's side

    /** The update after {@code after}, which must come within a few seconds. */
    private JsonNode poll(String id, long after) {
        ApiServer.Reply r = api.get(APPLIANCES + "/" + id + "/updates?after=" + after + "&wait=5s", "appliance");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Acknowledges an update as realized: every rule set it carried at its generation. */
    private void acknowledge(String id, JsonNode update) {
        StringBuilder realized = new StringBuilder();
        for (JsonNode set : update.get("ruleSets")) {
            realized.append(realized.length() == 0 ? "" : ",").append('"').append(set.get("vnicId").asText())
                    .append("\":").append(set.get("generation").asLong());
        }
        ApiServer.Reply r = api.post(APPLIANCES + "/" + id + "/acknowledgements", "appliance",
                "{\"sequence\": " + update.get("sequence").asLong() + ", \"realized\": {" + realized + "}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        // the feed handles the answer on its own thread
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> !api.enforcement.target("appliance:" + id).orElseThrow().inFlight());
    }

    private static List<String> rules(JsonNode rules) {
        List<String> out = new ArrayList<>();
        rules.forEach(r -> out.add(r.get("ruleId").asText() + " " + r.get("action").asText()));
        return out;
    }

    static void assertProblem(ApiServer.Reply r, int status, String type) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith(Problem.MEDIA_TYPE);
        assertThat(r.json().get("type").asText()).as(r.toString()).isEqualTo("urn:ringfence:problem:" + type);
    }
}
