package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The admin API over real HTTP, with a real database behind it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

    private static final AtomicInteger SEQ = new AtomicInteger();

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(java.util.Set.of("admin", "auditor"),
                java.util.Set.of("admin"), java.util.Set.of("appliance"), 64 * 1024));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    static String uid(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    // ---- fixtures

    String host() {
        String id = uid("h");
        assertThat(api.post("v1/inventory/hosts", "admin", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}").status())
                .isEqualTo(201);
        return id;
    }

    String vm(String host, String tag, String ip) {
        String id = uid("vm");
        String mac = String.format("02:00:00:00:%02x:%02x", SEQ.get() / 256 % 256, SEQ.get() % 256);
        var r = api.post("v1/inventory/vms", "admin", """
                {"id":"%s","name":"%s","hostId":"%s","os":"linux","tags":["%s"],
                 "vnics":[{"mac":"%s","addresses":["%s"],"segment":"seg-a"}]}""".formatted(id, id, host, tag, mac, ip));
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

    String service(int port) {
        String id = uid("svc");
        var r = api.post("v1/services", "admin", """
                {"id":"%s","name":"tcp %d","entries":[{"protocol":"TCP","destinationPorts":["%d"]}]}"""
                .formatted(id, port, port));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    String policy(String src, String dst, String svc) {
        String id = uid("pol");
        var r = api.post("v1/policies", "admin", """
                {"id":"%s","name":"%s","category":"APPLICATION","rules":[
                  {"id":"%s-r1","name":"web","sources":["%s"],"destinations":["%s"],"services":["%s"],"action":"ALLOW","logged":true}]}"""
                .formatted(id, id, id, src, dst, svc));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    /** Audit entries so far: every committed change adds exactly one. */
    long changes() {
        return api.get("v1/audit?limit=1", "admin").json().get("total").asLong();
    }

    /** Runs a refused request and checks that nothing was committed and the object is as before. */
    ApiServer.Reply refused(int status, String objectPath, Supplier<ApiServer.Reply> request) {
        long before = changes();
        String objectBefore = objectPath == null ? null : api.get(objectPath, "admin").body();
        ApiServer.Reply r = request.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("at org.");
        assertThat(changes()).as("nothing committed").isEqualTo(before);
        if (objectPath != null) {
            assertThat(api.get(objectPath, "admin").body()).isEqualTo(objectBefore);
        }
        return r;
    }

    // ---- CRUD

    @Test
    void hostCrudWithEtagsAndAudit() {
        var created = api.post("v1/inventory/hosts", "admin", "{\"name\":\"esx-1\",\"address\":\"192.0.2.10\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).endsWith("/api/v1/inventory/hosts/" + id);
        String etag = created.header("ETag");
        assertThat(etag).isEqualTo("\"" + created.json().get("revision").asLong() + "\"");

        var read = api.get("v1/inventory/hosts/" + id, "auditor");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo(etag);
        assertThat(read.json().get("address").asText()).isEqualTo("192.0.2.10");

        var notModified = api.send(api.request("v1/inventory/hosts/" + id, "admin").header("If-None-Match", etag).GET().build());
        assertThat(notModified.status()).isEqualTo(304);

        var replaced = api.put("v1/inventory/hosts/" + id, "admin", "{\"name\":\"esx-1b\"}", etag);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("name").asText()).isEqualTo("esx-1b");
        assertThat(replaced.json().has("address")).isFalse();
        String etag2 = replaced.header("ETag");
        assertThat(etag2).isNotEqualTo(etag);

        refused(412, "v1/inventory/hosts/" + id, () -> api.put("v1/inventory/hosts/" + id, "admin", "{\"name\":\"x\"}", etag));
        refused(412, "v1/inventory/hosts/" + id, () -> api.delete("v1/inventory/hosts/" + id, "admin", etag));
        refused(412, "v1/inventory/hosts/" + id, () -> api.delete("v1/inventory/hosts/" + id, "admin", "W/" + etag2));

        assertThat(api.delete("v1/inventory/hosts/" + id, "admin", etag2).status()).isEqualTo(204);
        assertThat(api.get("v1/inventory/hosts/" + id, "admin").status()).isEqualTo(404);

        JsonNode audit = api.get("v1/audit?objectId=" + id, "auditor").json();
        assertThat(audit.get("total").asInt()).isEqualTo(3);
        JsonNode items = audit.get("items");
        assertThat(items.get(0).get("operation").asText()).isEqualTo("DELETE");
        assertThat(items.get(0).get("before").get("name").asText()).isEqualTo("esx-1b");
        assertThat(items.get(0).has("after")).isFalse();
        assertThat(items.get(1).get("operation").asText()).isEqualTo("UPDATE");
        assertThat(items.get(1).get("before").get("name").asText()).isEqualTo("esx-1");
        assertThat(items.get(1).get("after").get("name").asText()).isEqualTo("esx-1b");
        assertThat(items.get(2).get("operation").asText()).isEqualTo("CREATE");
        assertThat(items.get(2).get("principal").asText()).isEqualTo("admin");
        assertThat(items.get(2).get("kind").asText()).isEqualTo("host");
        assertThat(items.get(2).get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void vmCrudWithNestedVnicsAndFilters() {
        String h = host();
        String web = uid("app:web");
        var r = api.post("v1/inventory/vms", "admin", """
                {"name":"web-01","hostId":"%s","os":"ubuntu-22.04","tags":["%s","env:prod"],
                 "vnics":[{"mac":"02:AA:00:00:00:01","addresses":["10.1.0.11","2001:DB8:0:0::11"],"segment":"web"},
                          {"mac":"02-aa-00-00-00-02","addresses":["10.9.0.11"],"segment":"mgmt"}]}""".formatted(h, web));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode vm = r.json();
        String id = vm.get("id").asText();
        assertThat(vm.get("vnics").get(0).get("id").asText()).isEqualTo(id + "-nic0");
        assertThat(vm.get("vnics").get(0).get("mac").asText()).isEqualTo("02:aa:00:00:00:01");
        assertThat(vm.get("vnics").get(0).get("addresses").get(1).asText()).isEqualTo("2001:db8::11");
        assertThat(vm.get("vnics").get(1).get("mac").asText()).isEqualTo("02:aa:00:00:00:02");

        JsonNode byTag = api.get("v1/inventory/vms?tag=" + web, "auditor").json();
        assertThat(byTag.get("total").asInt()).isEqualTo(1);
        assertThat(byTag.get("items").get(0).get("id").asText()).isEqualTo(id);
        assertThat(api.get("v1/inventory/vms?host=" + h + "&segment=mgmt", "auditor").json().get("total").asInt()).isEqualTo(1);
        assertThat(api.get("v1/inventory/vms?host=" + h + "&segment=nope", "auditor").json().get("total").asInt()).isZero();

        // replace keeps vNIC ids by MAC (moving the VM to another host is a replace too)
        String h2 = host();
        var moved = api.put("v1/inventory/vms/" + id, "admin", """
                {"name":"web-01","hostId":"%s","tags":["%s"],
                 "vnics":[{"mac":"02:aa:00:00:00:02","addresses":["10.9.0.12"],"segment":"mgmt"}]}""".formatted(h2, web),
                r.header("ETag"));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("hostId").asText()).isEqualTo(h2);
        assertThat(moved.json().get("vnics").get(0).get("id").asText()).isEqualTo(id + "-nic1");

        // the first host is free now, the second is not
        assertThat(api.delete("v1/inventory/hosts/" + h, "admin", null).status()).isEqualTo(204);
        var inUse = refused(409, "v1/inventory/hosts/" + h2, () -> api.delete("v1/inventory/hosts/" + h2, "admin", null));
        assertThat(inUse.json().get("users").get(0).get("id").asText()).isEqualTo(id);
        assertThat(inUse.json().get("detail").asText()).contains(id);
        assertThat(api.delete("v1/inventory/vms/" + id, "admin", null).status()).isEqualTo(204);
    }

    @Test
    void groupsServicesPoliciesAndRules() {
        String h = host();
        String tagWeb = uid("app:web");
        String tagDb = uid("app:db");
        String w1 = vm(h, tagWeb, "10.2.0.1");
        vm(h, tagWeb, "10.2.0.2");
        vm(h, tagDb, "10.2.1.1");
        String gWeb = group(tagWeb);
        String gDb = group(tagDb);
        String svc = service(5432);

        JsonNode members = api.get("v1/groups/" + gWeb + "/members", "auditor").json();
        assertThat(members.get("vms")).hasSize(2);
        assertThat(members.get("addresses").toString()).isEqualTo("[\"10.2.0.1\",\"10.2.0.2\"]");

        // nested group with an exclusion and a static CIDR
        String gAll = uid("g");
        var all = api.post("v1/groups", "admin", """
                {"id":"%s","name":"all","groups":["%s","%s"],"excludedVms":["%s"],"addresses":["192.0.2.0/24"]}"""
                .formatted(gAll, gWeb, gDb, w1));
        assertThat(all.status()).as(all.toString()).isEqualTo(201);
        JsonNode allMembers = api.get("v1/groups/" + gAll + "/members", "admin").json();
        assertThat(allMembers.get("vms")).hasSize(2);
        assertThat(allMembers.get("addresses").toString()).isEqualTo("[\"10.2.0.2\",\"10.2.1.1\",\"192.0.2.0/24\"]");

        String pol = policy(gWeb, gDb, svc);
        var policy = api.get("v1/policies/" + pol, "auditor");
        assertThat(policy.json().get("sequence").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(policy.json().get("rules").get(0).get("direction").asText()).isEqualTo("IN_OUT");
        assertThat(policy.json().get("rules").get(0).get("sequence").asInt()).isEqualTo(0);

        // rules as sub-resources
        var rule2 = api.post("v1/policies/" + pol + "/rules", "admin", """
                {"name":"deny rest","sources":["%s"],"action":"DROP","direction":"OUT"}""".formatted(gWeb));
        assertThat(rule2.status()).as(rule2.toString()).isEqualTo(201);
        String r2 = rule2.json().get("id").asText();
        assertThat(rule2.json().get("sequence").asInt()).isEqualTo(10);
        assertThat(rule2.header("Location")).endsWith("/v1/policies/" + pol + "/rules/" + r2);
        assertThat(api.get("v1/policies/" + pol + "/rules", "auditor").json()).hasSize(2);

        var read = api.get("v1/policies/" + pol + "/rules/" + r2, "auditor");
        assertThat(read.header("ETag")).isEqualTo(rule2.header("ETag"));
        var edited = api.put("v1/policies/" + pol + "/rules/" + r2, "admin", """
                {"name":"reject rest","sources":["%s"],"action":"REJECT","direction":"OUT","sequence":5}""".formatted(gWeb),
                read.header("ETag"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        // sequence 5 puts it before the first rule... of sequence 0? no: after 0, before nothing
        List<String> order = new ArrayList<>();
        api.get("v1/policies/" + pol + "/rules", "admin").json().forEach(r -> order.add(r.get("id").asText()));
        assertThat(order).containsExactly(pol + "-r1", r2);
        refused(412, "v1/policies/" + pol + "/rules/" + r2,
                () -> api.put("v1/policies/" + pol + "/rules/" + r2, "admin", "{\"action\":\"DROP\"}", read.header("ETag")));

        // referential integrity: group and service used by rules
        var groupInUse = refused(409, "v1/groups/" + gWeb, () -> api.delete("v1/groups/" + gWeb, "admin", null));
        assertThat(groupInUse.json().get("users").toString()).contains(pol + "-r1").contains(r2).contains(gAll);
        var svcInUse = refused(409, "v1/services/" + svc, () -> api.delete("v1/services/" + svc, "admin", null));
        assertThat(svcInUse.json().get("users").get(0).get("parentId").asText()).isEqualTo(pol);

        assertThat(api.delete("v1/policies/" + pol + "/rules/" + r2, "admin", edited.header("ETag")).status()).isEqualTo(204);
        assertThat(api.delete("v1/policies/" + pol, "admin", null).status()).isEqualTo(204);
        assertThat(api.delete("v1/services/" + svc, "admin", null).status()).isEqualTo(204);

        JsonNode ruleAudit = api.get("v1/audit?kind=rule&objectId=" + r2, "admin").json();
        assertThat(ruleAudit.get("total").asInt()).isEqualTo(3);
    }

    @Test
    void defaultRuleSetting() {
        var read = api.get("v1/settings/default-rule", "auditor");
        assertThat(read.status()).isEqualTo(200);
        String action = read.json().get("action").asText();
        String other = action.equals("DROP") ? "ALLOW" : "DROP";
        var set = api.put("v1/settings/default-rule", "admin", "{\"action\":\"" + other + "\"}", read.header("ETag"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(api.get("v1/settings/default-rule", "auditor").json().get("action").asText()).isEqualTo(other);
        refused(422, "v1/settings/default-rule", () -> api.put("v1/settings/default-rule", "admin", "{\"action\":\"REJECT\"}", null));
        refused(412, "v1/settings/default-rule", () -> api.put("v1/settings/default-rule", "admin", "{\"action\":\"" + action + "\"}", read.header("ETag")));
        assertThat(api.put("v1/settings/default-rule", "admin", "{\"action\":\"" + action + "\"}", set.header("ETag")).status()).isEqualTo(200);
    }

    @Test
    void pagingWithLinks() {
        String prefix = uid("page");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("v1/services", "admin", """
                    {"id":"%s-%d","name":"%s","entries":[{"protocol":"UDP","destinationPorts":["53"]}]}"""
                    .formatted(prefix, i, prefix)).status()).isEqualTo(201);
        }
        var page = api.get("v1/services?name=" + prefix + "&offset=1&limit=2", "auditor");
        JsonNode p = page.json();
        assertThat(p.get("total").asInt()).isEqualTo(5);
        assertThat(p.get("offset").asInt()).isEqualTo(1);
        assertThat(p.get("items")).hasSize(2);
        assertThat(p.get("items").get(0).get("id").asText()).isEqualTo(prefix + "-1");
        assertThat(page.response().headers().allValues("Link").toString()).contains("rel=\"next\"").contains("offset=3")
                .contains("rel=\"prev\"");
        refused(400, null, () -> api.get("v1/services?limit=0", "auditor"));
        refused(400, null, () -> api.get("v1/services?limit=abc", "auditor"));
        var unknownFilter = refused(400, null, () -> api.get("v1/services?colour=red", "auditor"));
        assertThat(unknownFilter.json().get("detail").asText()).contains("colour").contains("protocol");
    }

    @Test
    void concurrentEditsWithTheSameEtagLetExactlyOneWin() throws Exception {
        String h = host();
        String etag = api.get("v1/inventory/hosts/" + h, "admin").header("ETag");
        long before = changes();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<ApiServer.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "edit-" + i;
                replies.add(pool.submit(() -> api.put("v1/inventory/hosts/" + h, "admin", "{\"name\":\"" + name + "\"}", etag)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var r : replies) {
                statuses.add(r.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
            }
            assertThat(statuses).containsOnly(200, 412);
            assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(changes()).isEqualTo(before + 1);
    }

    // ---- errors: each changes nothing

    @Test
    void malformedJsonIs400() {
        String h = host();
        refused(400, "v1/inventory/hosts/" + h, () -> api.put("v1/inventory/hosts/" + h, "admin", "{\"name\": ", null));
        refused(400, null, () -> api.post("v1/inventory/hosts", "admin", "{\"name\":\"a\"} trailing"));
        refused(400, null, () -> api.post("v1/inventory/hosts", "admin", "[1,2]"));
        refused(400, null, () -> api.post("v1/inventory/hosts", "admin", ""));
        refused(400, null, () -> api.post("v1/inventory/hosts", "admin", "{\"name\":\"a\",\"name\":\"b\"}"));
        refused(400, null, () -> api.post("v1/inventory/hosts", "admin", "[".repeat(5000)));
    }

    @Test
    void semanticErrorsAre422WithTheField() {
        String h = host();
        var cidr = refused(422, null, () -> api.post("v1/groups", "admin", "{\"name\":\"g\",\"addresses\":[\"10.0.0.0/33\"]}"));
        assertThat(cidr.json().get("errors").get(0).get("field").asText()).isEqualTo("/addresses/0");
        var hostBits = refused(422, null, () -> api.post("v1/groups", "admin", "{\"name\":\"g\",\"addresses\":[\"10.0.0.1/24\"]}"));
        assertThat(hostBits.json().get("detail").asText()).contains("10.0.0.0/24");
        var port = refused(422, null, () -> api.post("v1/services", "admin",
                "{\"name\":\"s\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"80\",\"70000\"]}]}"));
        assertThat(port.json().get("errors").get(0).get("field").asText()).isEqualTo("/entries/0/destinationPorts/1");
        assertThat(port.json().get("errors").get(0).get("message").asText()).contains("70000");
        var unknownRef = refused(422, null, () -> api.post("v1/inventory/vms", "admin", "{\"name\":\"v\",\"hostId\":\"no-such-host\"}"));
        assertThat(unknownRef.json().get("errors").get(0).get("field").asText()).isEqualTo("/hostId");
        var enumValue = refused(422, null, () -> api.post("v1/policies", "admin", "{\"name\":\"p\",\"category\":\"URGENT\"}"));
        assertThat(enumValue.json().get("errors").get(0).get("field").asText()).isEqualTo("/category");
        var unknownField = refused(422, null, () -> api.post("v1/inventory/hosts", "admin", "{\"name\":\"h\",\"colour\":\"red\"}"));
        assertThat(unknownField.json().get("errors").get(0).get("message").asText()).contains("colour");
        var mac = refused(422, null, () -> api.post("v1/inventory/vms", "admin",
                "{\"name\":\"v\",\"hostId\":\"" + h + "\",\"vnics\":[{\"mac\":\"zz:00:00:00:00:00\"}]}"));
        assertThat(mac.json().get("errors").get(0).get("field").asText()).isEqualTo("/vnics/0/mac");

        // group cycle: a -> b -> a
        String a = uid("g");
        String b = uid("g");
        assertThat(api.post("v1/groups", "admin", "{\"id\":\"" + a + "\",\"name\":\"a\"}").status()).isEqualTo(201);
        assertThat(api.post("v1/groups", "admin", "{\"id\":\"" + b + "\",\"name\":\"b\",\"groups\":[\"" + a + "\"]}").status()).isEqualTo(201);
        var cycle = refused(422, "v1/groups/" + a, () -> api.put("v1/groups/" + a, "admin",
                "{\"name\":\"a\",\"groups\":[\"" + b + "\"]}", null));
        assertThat(cycle.json().get("errors").get(0).get("message").asText()).contains("cycle").contains(a).contains(b);

        // duplicate sequence of policies in one category
        String p1 = uid("pol");
        assertThat(api.post("v1/policies", "admin", "{\"id\":\"" + p1 + "\",\"name\":\"p\",\"category\":\"EMERGENCY\",\"sequence\":7777}").status()).isEqualTo(201);
        var dup = refused(422, null, () -> api.post("v1/policies", "admin", "{\"name\":\"q\",\"category\":\"EMERGENCY\",\"sequence\":7777}"));
        assertThat(dup.json().get("errors").get(0).get("field").asText()).isEqualTo("/sequence");
        // and of rules in a policy
        var dupRule = refused(422, "v1/policies/" + p1, () -> api.post("v1/policies", "admin",
                "{\"name\":\"q\",\"category\":\"EMERGENCY\",\"rules\":[{\"action\":\"DROP\",\"sequence\":1},{\"action\":\"DROP\",\"sequence\":1}]}"));
        assertThat(dupRule.json().get("errors").get(0).get("field").asText()).isEqualTo("/rules/1/sequence");
        var badRule = refused(422, "v1/policies/" + p1, () -> api.post("v1/policies/" + p1 + "/rules", "admin",
                "{\"action\":\"ALLOW\",\"services\":[\"nope\"],\"destinationsNegated\":true}"));
        assertThat(badRule.json().get("errors")).hasSize(2);
        var idMismatch = refused(422, "v1/policies/" + p1, () -> api.put("v1/policies/" + p1, "admin",
                "{\"id\":\"other\",\"name\":\"p\",\"category\":\"EMERGENCY\"}", null));
        assertThat(idMismatch.json().get("errors").get(0).get("field").asText()).isEqualTo("/id");
    }

    @Test
    void notFoundConflictAndMethodErrors() {
        refused(404, null, () -> api.get("v1/groups/nope", "admin"));
        refused(404, null, () -> api.put("v1/groups/nope", "admin", "{\"name\":\"x\"}", null));
        refused(404, null, () -> api.delete("v1/groups/nope", "admin", null));
        refused(404, null, () -> api.get("v1/groups/nope/members", "admin"));
        refused(404, null, () -> api.get("v1/policies/nope/rules", "admin"));
        refused(404, null, () -> api.get("v1/no-such-collection", "admin"));
        String h = host();
        refused(409, "v1/inventory/hosts/" + h, () -> api.post("v1/inventory/hosts", "admin", "{\"id\":\"" + h + "\",\"name\":\"dup\"}"));
        var notAllowed = refused(405, null, () -> api.send(api.request("v1/inventory/hosts/" + h, "admin")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build()));
        assertThat(notAllowed.header("Allow")).contains("PUT");
    }

    @Test
    void oversizeBodiesAre413() {
        String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        refused(413, null, () -> api.post("v1/inventory/hosts", "admin", big));
        // without a Content-Length (chunked), the limit still holds
        refused(413, null, () -> api.send(api.request("v1/inventory/hosts", "admin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build()));
    }

    @Test
    void nonJsonIs415() {
        refused(415, null, () -> api.send(api.request("v1/inventory/hosts", "admin").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=h")).build()));
        refused(415, null, () -> api.send(api.request("v1/inventory/hosts", "admin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=h")).build()));
    }

    @Test
    void authenticationAndRoles() {
        var anonymous = refused(401, null, () -> api.get("v1/groups", null));
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic realm=");
        refused(401, null, () -> api.get("v1/groups", "stranger"));
        refused(401, null, () -> api.send(api.request("v1/groups", null).header("Authorization", "Basic !!!").GET().build()));
        assertThat(api.get("v1/groups", "auditor").status()).isEqualTo(200);
        var forbidden = refused(403, null, () -> api.post("v1/inventory/hosts", "auditor", "{\"name\":\"h\"}"));
        assertThat(forbidden.json().get("detail").asText()).contains("auditor");
        String h = host();
        refused(403, "v1/inventory/hosts/" + h, () -> api.delete("v1/inventory/hosts/" + h, "auditor", null));
        // authenticated but without any Ringfence role
        refused(403, null, () -> api.get("v1/groups", "nobody"));
        // the principal is recorded
        JsonNode audit = api.get("v1/audit?objectId=" + h, "auditor").json();
        assertThat(audit.get("items").get(0).get("principal").asText()).isEqualTo("admin");
    }

    @Test
    void openApiListsEveryPath() {
        var r = api.get("v1/openapi.json", "auditor");
        assertThat(r.status()).isEqualTo(200);
        JsonNode paths = r.json().get("paths");
        assertThat(r.json().get("openapi").asText()).startsWith("3.");
        for (String p : List.of("/v1/inventory/hosts", "/v1/inventory/hosts/{id}", "/v1/inventory/vms",
                "/v1/inventory/vms/{id}", "/v1/groups", "/v1/groups/{id}", "/v1/groups/{id}/members", "/v1/services",
                "/v1/services/{id}", "/v1/policies", "/v1/policies/{id}", "/v1/policies/{policyId}/rules",
                "/v1/policies/{policyId}/rules/{ruleId}", "/v1/settings/default-rule", "/v1/audit", "/v1/openapi.json",
                "/v1/inventory/vms/{id}/effective-rules", "/v1/policy-preview", "/v1/traceflow")) {
            assertThat(paths.has(p)).as(p).isTrue();
        }
        assertThat(r.json().get("servers").get(0).get("url").asText()).isEqualTo("/api");
        JsonNode schemas = r.json().get("components").get("schemas");
        for (String s : List.of("EffectiveRules", "VnicRuleTable", "EffectiveRuleEntry", "RemoteSide",
                "PolicyPreviewRequest", "PolicyPreviewResult", "VnicChange", "CompiledRule", "AddressGroupChange",
                "TraceflowRequest", "Traceflow", "TraceStep", "StagedDecision", "RuleStatsEntry", "StagedHits", "TargetRuleHits",
                "FlowLogView")) {
            assertThat(schemas.has(s)).as(s).isTrue();
        }
        assertThat(schemas.get("PolicyPreviewRequest").get("properties").get("kind").get("enum").toString())
                .isEqualTo("[\"host\",\"vm\",\"group\",\"service\",\"policy\",\"rule\",\"default-rule\"]");
        assertThat(schemas.get("Rule").get("properties").get("staged").get("type").asText()).isEqualTo("boolean");
        JsonNode flowLog = paths.get("/v1/flow-log").get("get");
        assertThat(flowLog.get("responses").get("200").get("headers").has("Ringfence-Flow-Log-Overwritten")).isTrue();
        List<String> parameters = new ArrayList<>();
        flowLog.get("parameters").forEach(p -> parameters.add(p.get("name").asText()));
        assertThat(parameters).contains("staged");
    }
}
