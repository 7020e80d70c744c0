package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Realization over the API, with an in-JVM target that can be made to fail: the summary, a
 * target's vNICs, the realization of a policy, a rule and a VM while the target fails and after
 * the reconciler realized the state again, the resync, and the errors.
 *
 * <p>The data center: web-1 and app-1 on h1 (covered by target dev:h1), db-1 on h2 (no target);
 * policy shop with web-to-app (web to app, https) and app-to-db (app to db, postgresql).
 */
class RealizationApiTest {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    ApiServer api;
    final FlakyTarget target = new FlakyTarget("dev:h1", "h1");

    /** Applies every update at once, or fails it with the error it was given. */
    static final class FlakyTarget implements EnforcementTarget {
        final TargetDescriptor descriptor;
        final List<RuleSetUpdate> updates = new CopyOnWriteArrayList<>();
        volatile TargetError failure;

        FlakyTarget(String id, String host) {
            descriptor = new TargetDescriptor(id, TargetKind.HARDWARE, "a device in front of " + host, List.of(host),
                    true);
        }

        @Override
        public TargetDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
            updates.add(update);
            TargetError f = failure;
            if (f != null) {
                return CompletableFuture.completedFuture(Acknowledgement.failed(update.sequence(), f));
            }
            Map<String, Long> realized = new HashMap<>();
            update.ruleSets().forEach(s -> realized.put(s.vnicId(), s.generation()));
            return CompletableFuture.completedFuture(Acknowledgement.applied(update.sequence(), realized));
        }
    }

    @BeforeEach
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(Set.of("admin", "auditor"), Set.of("admin"), Set.of("appliance"), 64 * 1024));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h1\",\"name\":\"h1\"}"));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h2\",\"name\":\"h2\"}"));
        created(api.post("v1/inventory/vms", "admin", vm("web-1", "h1", "app:web", "02:00:00:00:00:01", "10.0.1.1")));
        created(api.post("v1/inventory/vms", "admin", vm("app-1", "h1", "app:app", "02:00:00:00:00:02", "10.0.1.2")));
        created(api.post("v1/inventory/vms", "admin", vm("db-1", "h2", "app:db", "02:00:00:00:00:03", "10.0.2.1")));
        for (String tier : List.of("web", "app", "db")) {
            created(api.post("v1/groups", "admin", ("{\"id\":\"%s\",\"name\":\"%s\",\"criteria\":{\"attribute\":\"TAG\","
                    + "\"operator\":\"EQUALS\",\"value\":\"app:%s\"}}").formatted(tier, tier, tier)));
        }
        created(api.post("v1/services", "admin", service("https", 443)));
        created(api.post("v1/services", "admin", service("postgresql", 5432)));
        created(api.post("v1/policies", "admin", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-to-app","name":"Web calls the app","sources":["web"],"destinations":["app"],
                   "services":["https"],"action":"ALLOW"},
                  {"id":"app-to-db","name":"App uses the database","sources":["app"],"destinations":["db"],
                   "services":["postgresql"],"action":"ALLOW"}]}"""));
        api.enforcement.addTarget(target);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aFailingTargetShowsItsReasonAndTheReconcilerRealizesTheStateOnceItIsBack() {
        JsonNode realized = awaitTotals(2, 0);
        JsonNode summary = realized.get("targets").get(0);
        assertThat(summary.get("targetId").asText()).isEqualTo("dev:h1");
        assertThat(summary.get("kind").asText()).isEqualTo("HARDWARE");
        assertThat(summary.get("failing").asBoolean()).isFalse();
        assertThat(api.get("v1/policies/shop/realization", "auditor").json().get("summary").asText())
                .isEqualTo("realized on 2 of 3 vNICs; 1 enforced by no target");

        target.failure = new TargetError("device-error", "the device answered 500: out of TCAM", true);
        created(api.post("v1/inventory/vms", "admin", vm("web-2", "h1", "app:web", "02:00:00:00:00:04", "10.0.1.3")));
        JsonNode failing = awaitTotals(2, 1);
        summary = failing.get("targets").get(0);
        assertThat(summary.get("failing").asBoolean()).isTrue();
        assertThat(summary.get("lastError").get("code").asText()).isEqualTo("device-error");
        assertThat(summary.get("lastError").get("message").asText()).isEqualTo("the device answered 500: out of TCAM");
        assertThat(failing.get("failingTargets").asInt()).isOne();

        JsonNode detail = api.get("v1/realization/targets/dev:h1", "auditor").json();
        assertThat(detail.get("target").get("vnics").asInt()).isEqualTo(3);
        assertThat(detail.get("vnics")).hasSize(3).allSatisfy(v -> assertThat(v.get("hostId").asText()).isEqualTo("h1"));
        JsonNode web2 = detail.get("vnics").get(2);
        assertThat(web2.get("vmId").asText()).isEqualTo("web-2");
        assertThat(web2.get("state").asText()).isEqualTo("FAILED");
        assertThat(web2.get("lastError").get("code").asText()).isEqualTo("device-error");
        assertThat(web2.get("realizedGeneration").asLong()).isZero();
        assertThat(web2.get("pendingSince").isTextual()).isTrue();
        assertThat(detail.get("vnics").get(0).get("state").asText()).as("unchanged tables stay realized")
                .isEqualTo("REALIZED");

        JsonNode rule = api.get("v1/policies/shop/rules/web-to-app/realization", "auditor").json();
        assertThat(rule.get("vnics").asInt()).isEqualTo(3);
        assertThat(rule.get("failed").asInt()).isOne();
        assertThat(rule.get("summary").asText()).startsWith("realized on 2 of 3 vNICs; 1 failed on host h1 since ")
                .endsWith(" (device-error)");
        assertThat(rule.get("notRealized")).singleElement().satisfies(v -> {
            assertThat(v.get("targetId").asText()).isEqualTo("dev:h1");
            assertThat(v.get("vmId").asText()).isEqualTo("web-2");
        });
        assertThat(api.get("v1/policies/shop/rules/app-to-db/realization", "auditor").json().get("summary").asText())
                .isEqualTo("realized on 1 of 2 vNICs; 1 enforced by no target");
        JsonNode vm = api.get("v1/inventory/vms/db-1/realization", "auditor").json();
        assertThat(vm.get("unenforced").asInt()).isOne();
        assertThat(vm.get("summary").asText()).isEqualTo("realized on 0 of 1 vNIC; 1 enforced by no target");

        int before = target.updates.size();
        target.failure = null;
        awaitTotals(3, 0);
        assertThat(target.updates.size()).as("the reconciler retried by itself").isGreaterThan(before);
        assertThat(target.updates.get(target.updates.size() - 1).full()).isTrue();
        assertThat(api.get("v1/policies/shop/rules/web-to-app/realization", "auditor").json().get("summary").asText())
                .isEqualTo("realized on 3 of 3 vNICs");
        assertThat(api.get("v1/inventory/vms/web-2/realization", "auditor").json().get("realized").asInt()).isOne();
        assertThat(api.get("v1/realization", "auditor").json().get("targets").get(0).get("lastError").get("code")
                .asText()).as("the last error stays visible").isEqualTo("device-error");
    }

    @Test
    void anAdminResyncsATargetAndAnAuditorMayNot() {
        awaitTotals(2, 0);
        int before = target.updates.size();

        ApiServer.Reply refused = api.post("v1/realization/targets/dev:h1/resync", "auditor", "");
        assertThat(refused.status()).isEqualTo(403);
        ApiServer.Reply accepted = api.post("v1/realization/targets/dev:h1/resync", "admin", "");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        assertThat(accepted.header("Location")).endsWith("/api/v1/realization/targets/dev:h1");

        await().atMost(PATIENCE).until(() -> target.updates.size() > before);
        assertThat(target.updates.get(before).full()).isTrue();
        assertThat(target.updates.get(before).ruleSets()).hasSize(2);
    }

    @Test
    void unknownTargetsPoliciesRulesAndVmsAre404Problems() {
        for (String path : List.of("v1/realization/targets/nope", "v1/policies/nope/realization",
                "v1/policies/shop/rules/nope/realization", "v1/policies/nope/rules/web-to-app/realization",
                "v1/inventory/vms/nope/realization")) {
            ApiServer.Reply r = api.get(path, "auditor");
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("type").asText()).endsWith("not-found");
            assertThat(r.json().get("detail").asText()).contains("'nope'");
        }
        ApiServer.Reply r = api.post("v1/realization/targets/nope/resync", "admin", "");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText()).isEqualTo("enforcement target 'nope' does not exist");
        assertThat(api.get("v1/policies/shop", "auditor").status()).as("the policy itself is still served").isEqualTo(200);
        assertThat(api.get("v1/policies/shop/rules/web-to-app", "auditor").status()).isEqualTo(200);
    }

    @Test
    void openApiDescribesTheRealizationResources() {
        JsonNode doc = api.get("v1/openapi.json", "auditor").json();
        for (String p : List.of("/v1/realization", "/v1/realization/targets/{id}", "/v1/realization/targets/{id}/resync",
                "/v1/policies/{policyId}/realization", "/v1/policies/{policyId}/rules/{ruleId}/realization",
                "/v1/inventory/vms/{id}/realization")) {
            assertThat(doc.get("paths").has(p)).as(p).isTrue();
        }
        assertThat(doc.get("paths").get("/v1/realization/targets/{id}/resync").get("post").get("responses").has("202"))
                .isTrue();
        JsonNode schemas = doc.get("components").get("schemas");
        for (String s : List.of("RealizationOverview", "TargetRealization", "TargetRealizationDetail",
                "VnicRealization", "Realization", "RealizationError")) {
            assertThat(schemas.has(s)).as(s).isTrue();
        }
    }

    /** Waits until the totals over all targets are {@code realized} and {@code failed}, nothing pending. */
    private JsonNode awaitTotals(int realized, int failed) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(PATIENCE).until(() -> {
            last[0] = api.get("v1/realization", "auditor").json();
            return last[0].get("realized").asInt() == realized && last[0].get("failed").asInt() == failed
                    && last[0].get("pending").asInt() == 0;
        });
        return last[0];
    }

    private static void created(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static String vm(String id, String host, String tag, String mac, String address) {
        return """
                {"id":"%s","name":"%s","hostId":"%s","tags":["%s"],
                 "vnics":[{"mac":"%s","addresses":["%s"],"segment":"seg"}]}""".formatted(id, id.toUpperCase(), host,
                tag, mac, address);
    }

    private static String service(String id, int port) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"%d\"]}]}"
                .formatted(id, id, port);
    }
}
