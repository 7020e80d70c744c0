package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.manager.Violation;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service profiles, chains and redirection policies over real HTTP with a real database. A stand-in
 * for the partners' registry knows the definitions acme/ids (whose {@code mode} must be detect or
 * prevent) and acme/av, to show where that check plugs in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceInsertionApiTest {

    private static final String BASE = "v1/service-insertion/";
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** What the partners' registry would say: two definitions, one with a schema for {@code mode}. */
    private static final ServiceProfileValidator PARTNERS = profile -> {
        List<Violation> v = new ArrayList<>();
        if (!Set.of("acme/ids", "acme/av").contains(profile.definition())) {
            v.add(new Violation("/definition", "no partner registers the service definition '"
                    + profile.definition() + "'"));
        } else if (profile.definition().equals("acme/ids")
                && !Set.of("detect", "prevent").contains(String.valueOf(profile.values().get("mode")))) {
            v.add(new Violation("/values/mode", "must be detect or prevent"));
        }
        return v;
    };

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(Set.of("admin", "auditor"), Set.of("admin"), Set.of("appliance"), 64 * 1024),
                PARTNERS);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    static String uid(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    // ---- fixtures

    String profile(String definition, String valuesJson) {
        String id = uid("prof");
        var r = api.post(BASE + "profiles", "admin", """
                {"id":"%s","name":"%s","definition":"%s","values":%s}""".formatted(id, id, definition, valuesJson));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    String ids() {
        return profile("acme/ids", "{\"mode\":\"prevent\"}");
    }

    String chain(String... profiles) {
        String id = uid("chain");
        var r = api.post(BASE + "chains", "admin", """
                {"id":"%s","name":"%s","profiles":%s,"failurePolicy":"BLOCK"}""".formatted(id, id, jsonList(profiles)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    String group(String tag) {
        String id = uid("g");
        var r = api.post("v1/groups", "admin", """
                {"id":"%s","name":"%s","criteria":{"attribute":"TAG","operator":"EQUALS","value":"%s"}}"""
                .formatted(id, id, tag));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    /** A redirection policy with one rule redirecting {@code source} to {@code chain}; its id is the policy's + "-r". */
    String redirectionPolicy(String source, String chain) {
        String id = uid("rp");
        var r = api.post(BASE + "redirection-policies", "admin", """
                {"id":"%s","name":"%s","rules":[{"id":"%s-r","sources":["%s"],"action":"REDIRECT","chain":"%s"}]}"""
                .formatted(id, id, id, source, chain));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    private static String jsonList(String... items) {
        return items.length == 0 ? "[]" : "[\"" + String.join("\",\"", items) + "\"]";
    }

    /** Audit entries so far: every committed change adds exactly one. */
    long changes() {
        return api.get("v1/audit?limit=1", "admin").json().get("total").asLong();
    }

    /** Runs a refused request; nothing is committed and the object (its revision too) is as before. */
    ApiServer.Reply refused(int status, String objectPath, Supplier<ApiServer.Reply> request) {
        long before = changes();
        String objectBefore = objectPath == null ? null : api.get(objectPath, "admin").body();
        ApiServer.Reply r = request.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(changes()).as("nothing committed").isEqualTo(before);
        if (objectPath != null) {
            assertThat(api.get(objectPath, "admin").body()).isEqualTo(objectBefore);
        }
        return r;
    }

    /** The ids of the items of a page. */
    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    /** The JSON pointers of a 422's errors. */
    private static List<String> fields(ApiServer.Reply r) {
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    // ---- profiles

    @Test
    void profileCrudWithEtagsFiltersAndAudit() {
        var created = api.post(BASE + "profiles", "admin", """
                {"name":"IDS, strict","definition":"acme/ids","values":{"mode":"prevent","signatures":["web","sql"],"threshold":5}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).endsWith("/api/v1/service-insertion/profiles/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"" + created.json().get("revision").asLong() + "\"");
        assertThat(created.json().get("values").get("signatures").toString()).isEqualTo("[\"web\",\"sql\"]");

        var read = api.get(BASE + "profiles/" + id, "auditor");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo(created.header("ETag"));
        assertThat(api.send(api.request(BASE + "profiles/" + id, "auditor").header("If-None-Match", read.header("ETag"))
                .GET().build()).status()).isEqualTo(304);

        String av = profile("acme/av", "{}");
        JsonNode byDefinition = api.get(BASE + "profiles?definition=acme/av&limit=1000", "auditor").json();
        assertThat(ids(byDefinition)).contains(av).doesNotContain(id);
        refused(400, null, () -> api.get(BASE + "profiles?vendor=acme", "auditor"));

        var replaced = api.put(BASE + "profiles/" + id, "admin", """
                {"name":"IDS, detect only","definition":"acme/ids","values":{"mode":"detect"}}""", read.header("ETag"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("values").toString()).isEqualTo("{\"mode\":\"detect\"}");
        refused(412, BASE + "profiles/" + id, () -> api.put(BASE + "profiles/" + id, "admin",
                "{\"name\":\"x\",\"definition\":\"acme/ids\",\"values\":{\"mode\":\"detect\"}}", read.header("ETag")));
        refused(412, BASE + "profiles/" + id, () -> api.delete(BASE + "profiles/" + id, "admin", read.header("ETag")));
        refused(403, BASE + "profiles/" + id, () -> api.delete(BASE + "profiles/" + id, "auditor", null));
        assertThat(api.delete(BASE + "profiles/" + id, "admin", replaced.header("ETag")).status()).isEqualTo(204);
        refused(404, null, () -> api.get(BASE + "profiles/" + id, "admin"));

        JsonNode audit = api.get("v1/audit?kind=service-profile&objectId=" + id, "auditor").json();
        assertThat(audit.get("items").findValuesAsText("operation")).containsExactly("DELETE", "UPDATE", "CREATE");
    }

    @Test
    void profilesTheModelRefuses() {
        // a malformed definition id is no partner's either: the partners' check, which comes first, names it
        var syntax = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"ACME IDS\",\"values\":{\"mode\":\"detect\"}}"));
        assertThat(fields(syntax)).containsExactly("/definition");
        assertThat(syntax.json().get("detail").asText()).contains("ACME IDS");
        var names = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"acme/av\",\"values\":{\"bad name\":1,\"nothing\":null}}"));
        assertThat(fields(names)).containsExactly("/values/bad name", "/values/nothing");
        var unknownField = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"acme/av\",\"vendor\":\"acme\"}"));
        assertThat(unknownField.json().get("detail").asText()).contains("vendor");
        refused(400, null, () -> api.post(BASE + "profiles", "admin", "{\"name\":\"p\",\"name\":\"q\"}"));
        refused(415, null, () -> api.send(api.request(BASE + "profiles", "admin").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=p")).build()));
        refused(413, null, () -> api.post(BASE + "profiles", "admin", "{\"name\":\"p\",\"definition\":\"acme/av\","
                + "\"values\":{\"blob\":\"" + "x".repeat(70 * 1024) + "\"}}"));
    }

    @Test
    void profilesThePartnersRefuseChangeNothing() {
        var unknown = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"globex/waf\",\"values\":{}}"));
        assertThat(fields(unknown)).containsExactly("/definition");
        assertThat(unknown.json().get("detail").asText()).contains("globex/waf");
        var schema = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"acme/ids\",\"values\":{\"mode\":\"block-everything\"}}"));
        assertThat(fields(schema)).containsExactly("/values/mode");
        String id = ids();
        refused(422, BASE + "profiles/" + id, () -> api.put(BASE + "profiles/" + id, "admin",
                "{\"name\":\"p\",\"definition\":\"acme/ids\",\"values\":{}}", null));
    }

    // ---- chains

    @Test
    void chainCrudWithDefaultsAndReplyPath() {
        String ids = ids();
        String av = profile("acme/av", "{}");
        var created = api.post(BASE + "chains", "admin", """
                {"name":"inspect","profiles":["%s","%s"],"failurePolicy":"ALLOW"}""".formatted(ids, av));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).endsWith("/api/v1/service-insertion/chains/" + id);
        assertThat(created.json().get("deadlineMicros").asLong()).isEqualTo(1000);
        assertThat(created.json().get("reverseProfiles")).isEmpty();
        assertThat(created.json().has("replyPath")).isFalse();

        var replaced = api.put(BASE + "chains/" + id, "admin", """
                {"name":"inspect","profiles":["%s","%s"],"reverseProfiles":["%s"],"failurePolicy":"BLOCK","deadlineMicros":500}"""
                .formatted(ids, av, av), created.header("ETag"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("reverseProfiles").toString()).isEqualTo("[\"" + av + "\"]");
        assertThat(ids(api.get(BASE + "chains?profile=" + av, "auditor").json())).containsExactly(id);

        // the profiles are in use now, and the chain names itself as the user
        var inUse = refused(409, BASE + "profiles/" + av, () -> api.delete(BASE + "profiles/" + av, "admin", null));
        assertThat(inUse.json().get("users").get(0).get("kind").asText()).isEqualTo("service-chain");
        assertThat(inUse.json().get("users").get(0).get("id").asText()).isEqualTo(id);
        assertThat(inUse.json().get("detail").asText()).contains(id);

        assertThat(api.delete(BASE + "chains/" + id, "admin", replaced.header("ETag")).status()).isEqualTo(204);
        assertThat(api.delete(BASE + "profiles/" + av, "admin", null).status()).isEqualTo(204);
    }

    @Test
    void chainsTheModelRefuses() {
        String ids = ids();
        String chain = chain(ids);
        String path = BASE + "chains/" + chain;
        var missing = refused(422, path, () -> api.put(path, "admin", """
                {"name":"c","profiles":["%s","no-such-profile"],"failurePolicy":"BLOCK"}""".formatted(ids), null));
        assertThat(fields(missing)).containsExactly("/profiles/1");
        assertThat(missing.json().get("errors").get(0).get("message").asText()).contains("no-such-profile");
        var empty = refused(422, null, () -> api.post(BASE + "chains", "admin",
                "{\"name\":\"c\",\"profiles\":[],\"failurePolicy\":\"BLOCK\"}"));
        assertThat(fields(empty)).containsExactly("/profiles");
        var twice = refused(422, null, () -> api.post(BASE + "chains", "admin", """
                {"name":"c","profiles":["%s","%s"],"failurePolicy":"BLOCK"}""".formatted(ids, ids)));
        assertThat(fields(twice)).containsExactly("/profiles/1");
        var reply = refused(422, null, () -> api.post(BASE + "chains", "admin", """
                {"name":"c","profiles":["%s"],"reverseProfiles":["other"],"failurePolicy":"BLOCK"}""".formatted(ids)));
        assertThat(fields(reply)).containsExactly("/reverseProfiles/0");
        var deadline = refused(422, path, () -> api.put(path, "admin", """
                {"name":"c","profiles":["%s"],"failurePolicy":"BLOCK","deadlineMicros":2000000}""".formatted(ids), null));
        assertThat(fields(deadline)).containsExactly("/deadlineMicros");
        var policy = refused(422, null, () -> api.post(BASE + "chains", "admin", """
                {"name":"c","profiles":["%s"],"failurePolicy":"MAYBE"}""".formatted(ids)));
        assertThat(fields(policy)).containsExactly("/failurePolicy");
        var noPolicy = refused(422, null, () -> api.post(BASE + "chains", "admin", """
                {"name":"c","profiles":["%s"]}""".formatted(ids)));
        assertThat(fields(noPolicy)).containsExactly("/failurePolicy");
        refused(409, path, () -> api.post(BASE + "chains", "admin", """
                {"id":"%s","name":"c","profiles":["%s"],"failurePolicy":"BLOCK"}""".formatted(chain, ids)));
    }

    // ---- redirection policies and their rules

    @Test
    void redirectionPoliciesWithNestedRules() {
        String web = group(uid("app:web"));
        String chain = chain(ids());
        var created = api.post(BASE + "redirection-policies", "admin", """
                {"name":"inspect the web tier","rules":[
                  {"id":"%s","name":"skip dns","destinations":["%s"],"action":"DO_NOT_REDIRECT"},
                  {"sources":["%s"],"action":"REDIRECT","chain":"%s","direction":"OUT"}]}"""
                .formatted(uid("r"), web, web, chain));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pol = created.json().get("id").asText();
        JsonNode rules = created.json().get("rules");
        assertThat(rules.findValuesAsText("sequence")).containsExactly("0", "10");
        assertThat(rules.get(1).get("id").asText()).isNotBlank();
        assertThat(rules.get(0).get("direction").asText()).isEqualTo("IN_OUT");
        assertThat(created.json().get("sequence").asInt()).isGreaterThanOrEqualTo(0);
        String rulesPath = BASE + "redirection-policies/" + pol + "/rules";

        var added = api.post(rulesPath, "admin", """
                {"name":"everything else","action":"REDIRECT","chain":"%s"}""".formatted(chain));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String r3 = added.json().get("id").asText();
        assertThat(added.json().get("sequence").asInt()).isEqualTo(20);
        assertThat(added.header("Location")).endsWith("/v1/service-insertion/redirection-policies/" + pol + "/rules/" + r3);
        assertThat(api.get(rulesPath, "auditor").json()).hasSize(3);

        var read = api.get(rulesPath + "/" + r3, "auditor");
        assertThat(read.header("ETag")).isEqualTo(added.header("ETag"));
        var edited = api.put(rulesPath + "/" + r3, "admin", """
                {"name":"nothing else","action":"DO_NOT_REDIRECT","sequence":5}""", read.header("ETag"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(api.get(rulesPath, "admin").json().findValuesAsText("id").get(1)).isEqualTo(r3);
        refused(412, rulesPath + "/" + r3, () -> api.put(rulesPath + "/" + r3, "admin",
                "{\"action\":\"DO_NOT_REDIRECT\"}", read.header("ETag")));

        // the chain and the group are in use by the rules
        var chainInUse = refused(409, BASE + "chains/" + chain, () -> api.delete(BASE + "chains/" + chain, "admin", null));
        assertThat(chainInUse.json().get("users").get(0).get("kind").asText()).isEqualTo("redirection-rule");
        assertThat(chainInUse.json().get("users").get(0).get("parentId").asText()).isEqualTo(pol);
        var groupInUse = refused(409, "v1/groups/" + web, () -> api.delete("v1/groups/" + web, "admin", null));
        assertThat(groupInUse.json().get("users").findValuesAsText("kind")).containsOnly("redirection-rule");

        assertThat(api.delete(rulesPath + "/" + r3, "admin", edited.header("ETag")).status()).isEqualTo(204);
        refused(404, null, () -> api.get(rulesPath + "/" + r3, "admin"));
        JsonNode ruleAudit = api.get("v1/audit?kind=redirection-rule&objectId=" + r3, "auditor").json();
        assertThat(ruleAudit.get("items").findValuesAsText("operation")).containsExactly("DELETE", "UPDATE", "CREATE");
        assertThat(ids(api.get(BASE + "redirection-policies?chain=" + chain, "auditor").json())).containsExactly(pol);
        assertThat(api.delete(BASE + "redirection-policies/" + pol, "admin", null).status()).isEqualTo(204);
        assertThat(api.delete(BASE + "chains/" + chain, "admin", null).status()).isEqualTo(204);
    }

    @Test
    void redirectionRulesTheModelRefuses() {
        String web = group(uid("app:web"));
        String chain = chain(ids());
        String pol = redirectionPolicy(web, chain);
        String path = BASE + "redirection-policies/" + pol;
        String rules = path + "/rules";

        var noChain = refused(422, path, () -> api.post(rules, "admin", "{\"action\":\"REDIRECT\"}"));
        assertThat(fields(noChain)).containsExactly("/chain");
        var missingChain = refused(422, path, () -> api.post(rules, "admin",
                "{\"action\":\"REDIRECT\",\"chain\":\"no-such-chain\"}"));
        assertThat(missingChain.json().get("detail").asText()).contains("no-such-chain");
        var unknownGroup = refused(422, path, () -> api.post(rules, "admin", """
                {"sources":["%s"],"destinations":["no-such-group"],"action":"REDIRECT","chain":"%s"}""".formatted(web, chain)));
        assertThat(fields(unknownGroup)).containsExactly("/destinations/0");
        var sequence = refused(422, path, () -> api.post(rules, "admin",
                "{\"action\":\"DO_NOT_REDIRECT\",\"sequence\":0}"));
        assertThat(fields(sequence)).containsExactly("/sequence");
        var action = refused(422, path, () -> api.post(rules, "admin", "{\"action\":\"DROP\"}"));
        assertThat(fields(action)).containsExactly("/action");
        var takenId = refused(422, path, () -> api.post(rules, "admin",
                "{\"id\":\"%s-r\",\"action\":\"DO_NOT_REDIRECT\"}".formatted(pol)));
        assertThat(fields(takenId)).containsExactly("/id");
        refused(404, null, () -> api.post(BASE + "redirection-policies/no-such-policy/rules", "admin",
                "{\"action\":\"DO_NOT_REDIRECT\"}"));

        // whole policies: the same checks, pointing into the policy; and a sequence taken by another policy
        var nested = refused(422, null, () -> api.post(BASE + "redirection-policies", "admin", """
                {"name":"p","rules":[{"action":"REDIRECT"},{"sources":["nope"],"action":"DO_NOT_REDIRECT"}]}"""));
        assertThat(fields(nested)).containsExactly("/rules/0/chain", "/rules/1/sources/0");
        int taken = api.get(path, "admin").json().get("sequence").asInt();
        var dup = refused(422, null, () -> api.post(BASE + "redirection-policies", "admin",
                "{\"name\":\"p\",\"sequence\":" + taken + "}"));
        assertThat(fields(dup)).containsExactly("/sequence");
        assertThat(dup.json().get("detail").asText()).contains(pol);
    }

    @Test
    void auditorsReadButDoNotWrite() {
        assertThat(api.get(BASE + "redirection-policies", "auditor").status()).isEqualTo(200);
        assertThat(api.get(BASE + "chains", "auditor").status()).isEqualTo(200);
        refused(403, null, () -> api.post(BASE + "chains", "auditor", "{\"name\":\"c\"}"));
        refused(403, null, () -> api.post(BASE + "redirection-policies", "auditor", "{\"name\":\"p\"}"));
        refused(401, null, () -> api.get(BASE + "profiles", null));
    }

    @Test
    void openApiDescribesServiceInsertion() {
        JsonNode doc = api.get("v1/openapi.json", "auditor").json();
        for (String p : List.of("/v1/service-insertion/profiles", "/v1/service-insertion/profiles/{id}",
                "/v1/service-insertion/chains", "/v1/service-insertion/chains/{id}",
                "/v1/service-insertion/redirection-policies", "/v1/service-insertion/redirection-policies/{id}",
                "/v1/service-insertion/redirection-policies/{policyId}/rules",
                "/v1/service-insertion/redirection-policies/{policyId}/rules/{ruleId}")) {
            assertThat(doc.get("paths").has(p)).as(p).isTrue();
        }
        JsonNode schemas = doc.get("components").get("schemas");
        for (String s : List.of("ServiceProfile", "ServiceChain", "RedirectionPolicy", "RedirectionRule")) {
            assertThat(schemas.has(s)).as(s).isTrue();
        }
        assertThat(schemas.get("ServiceChain").get("properties").get("failurePolicy").get("enum").toString())
                .isEqualTo("[\"ALLOW\",\"BLOCK\"]");
        assertThat(schemas.get("RedirectionRule").get("properties").get("action").get("enum").toString())
                .isEqualTo("[\"REDIRECT\",\"DO_NOT_REDIRECT\"]");
        assertThat(schemas.get("ServiceChain").get("properties").has("replyPath")).isFalse();
    }
}
