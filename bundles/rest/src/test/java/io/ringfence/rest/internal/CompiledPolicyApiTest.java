package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over the policy compiler: effective rules of a VM, group members from the incremental
 * engine, and previews of changes. Each test gets its own server and database holding one small
 * data center, so that whole rule tables can be asserted exactly.
 *
 * <p>The data center: hosts h1 and h2; web-1 (10.0.1.2) on h1 and web-2 (10.0.1.3) on h2 tagged
 * app:web; db-1 (10.0.2.1, fd00::21) on h2 tagged app:db; groups web, db (by tag) and admins
 * (192.0.2.0/24); policy shop (APPLICATION) with web-in (IN, any to web, https) and web-to-db
 * (web to db, postgresql, logged); policy emergency (EMERGENCY) with block-admins (IN, admins to
 * db, DROP, tag pci). The default rule drops.
 */
class CompiledPolicyApiTest {

    ApiServer api;

    @BeforeEach
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(Set.of("admin", "auditor"), Set.of("admin"), Set.of("appliance"), 64 * 1024));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h1\",\"name\":\"h1\"}"));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h2\",\"name\":\"h2\"}"));
        created(api.post("v1/inventory/vms", "admin", vm("web-1", "h1", "app:web", "02:00:00:00:00:01", "10.0.1.2")));
        created(api.post("v1/inventory/vms", "admin", vm("web-2", "h2", "app:web", "02:00:00:00:00:02", "10.0.1.3")));
        created(api.post("v1/inventory/vms", "admin",
                vm("db-1", "h2", "app:db", "02:00:00:00:00:03", "10.0.2.1\",\"fd00::21")));
        created(api.post("v1/groups", "admin", group("web", "app:web")));
        created(api.post("v1/groups", "admin", group("db", "app:db")));
        created(api.post("v1/groups", "admin", "{\"id\":\"admins\",\"name\":\"Admins\",\"addresses\":[\"192.0.2.0/24\"]}"));
        created(api.post("v1/services", "admin", service("https", 443)));
        created(api.post("v1/services", "admin", service("postgresql", 5432)));
        created(api.post("v1/services", "admin", service("ssh", 22)));
        created(api.post("v1/policies", "admin", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-in","name":"Customers reach the web","destinations":["web"],"services":["https"],
                   "action":"ALLOW","direction":"IN"},
                  {"id":"web-to-db","name":"Web uses the database","sources":["web"],"destinations":["db"],
                   "services":["postgresql"],"action":"ALLOW","logged":true}]}"""));
        created(api.post("v1/policies", "admin", """
                {"id":"emergency","name":"Emergency","category":"EMERGENCY","sequence":10,"rules":[
                  {"id":"block-admins","name":"Admins keep out of the database","sources":["admins"],
                   "destinations":["db"],"action":"DROP","direction":"IN","tag":"pci"}]}"""));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    // ---- fixtures

    private static void created(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static String vm(String id, String host, String tag, String mac, String addresses) {
        return """
                {"id":"%s","name":"%s","hostId":"%s","tags":["%s"],
                 "vnics":[{"mac":"%s","addresses":["%s"],"segment":"seg"}]}""".formatted(id, id.toUpperCase(), host,
                tag, mac, addresses);
    }

    private static String group(String id, String tag) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"criteria\":{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"%s\"}}"
                .formatted(id, id, tag);
    }

    private static String service(String id, int port) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"%d\"]}]}"
                .formatted(id, id, port);
    }

    private JsonNode effectiveRules(String vm) {
        ApiServer.Reply r = api.get("v1/inventory/vms/" + vm + "/effective-rules", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The one vNIC's table of a VM. */
    private JsonNode table(String vm) {
        JsonNode rules = effectiveRules(vm);
        assertThat(rules.get("vnics")).hasSize(1);
        return rules.get("vnics").get(0);
    }

    /** Entries in order, each as "rule action remote", the remote as ANY or [!]group=addresses. */
    private static List<String> entries(JsonNode entries) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode remote = e.get("remote");
            String side = remote.get("any").asBoolean() ? "ANY"
                    : (remote.get("negated").asBoolean() ? "!" : "") + remote.get("addressGroupId").asText() + "="
                    + remote.get("addresses");
            out.add(e.get("ruleId").asText() + " " + e.get("action").asText() + " " + side
                    + (e.get("staged").asBoolean() ? " staged" : ""));
        }
        return out;
    }

    /** Preview entries of one vNIC change, each as "direction rule action". */
    private static List<String> compiled(JsonNode entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.get("direction").asText() + " " + e.get("ruleId").asText() + " "
                + e.get("action").asText() + (e.get("staged").asBoolean() ? " staged" : "")));
        return out;
    }

    private ApiServer.Reply preview(String user, String json) {
        return api.post("v1/policy-preview", user, json);
    }

    /** What a preview must leave alone: the model revision, the audit log and the compiled state. */
    private record State(long revision, long auditEntries, long generation, String rulesOfDb) {
    }

    private State state() {
        return new State(api.manager.snapshot().revision(),
                api.get("v1/audit?limit=1", "admin").json().get("total").asLong(), api.compiler.generation(),
                api.get("v1/inventory/vms/db-1/effective-rules", "admin").body());
    }

    /** A preview answered 200, and nothing changed. */
    private JsonNode previewed(String json) {
        State before = state();
        ApiServer.Reply r = preview("admin", json);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(state()).as("nothing committed or compiled").isEqualTo(before);
        JsonNode p = r.json();
        assertThat(p.get("basedOnGeneration").asLong()).isEqualTo(before.generation());
        return p;
    }

    /** A preview refused with {@code status}, a problem document naming {@code field}, and nothing changed. */
    private JsonNode refused(int status, String field, Supplier<ApiServer.Reply> request) {
        State before = state();
        ApiServer.Reply r = request.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(p.get("errors").get(0).get("field").asText()).as(r.toString()).isEqualTo(field);
        }
        assertThat(state()).as("nothing committed or compiled").isEqualTo(before);
        return p;
    }

    /** The vNIC changes of a preview, by vNIC id. */
    private static List<String> vnicIds(JsonNode preview) {
        List<String> ids = new ArrayList<>();
        preview.get("vnics").forEach(v -> ids.add(v.get("vnicId").asText()));
        return ids;
    }

    private static JsonNode vnic(JsonNode preview, String vnicId) {
        for (JsonNode v : preview.get("vnics")) {
            if (v.get("vnicId").asText().equals(vnicId)) {
                return v;
            }
        }
        throw new AssertionError(vnicId + " not in " + preview);
    }

    // ---- effective rules

    @Test
    void effectiveRulesListEachDirectionInEvaluationOrderWithRemotesResolved() {
        JsonNode rules = effectiveRules("web-1");
        assertThat(rules.get("vmId").asText()).isEqualTo("web-1");
        assertThat(rules.get("vmName").asText()).isEqualTo("WEB-1");
        assertThat(rules.get("generation").asLong()).isEqualTo(api.compiler.generation());
        JsonNode web = rules.get("vnics").get(0);
        assertThat(web.get("vnicId").asText()).isEqualTo("web-1-nic0");
        assertThat(web.get("hostId").asText()).isEqualTo("h1");
        assertThat(web.get("generation").asLong()).isPositive().isLessThanOrEqualTo(rules.get("generation").asLong());
        assertThat(entries(web.get("in"))).containsExactly("web-in ALLOW ANY");
        assertThat(entries(web.get("out"))).containsExactly("web-to-db ALLOW db=[\"10.0.2.1\",\"fd00::21\"]");
        assertThat(web.get("defaultAction").asText()).isEqualTo("DROP");
        assertThat(web.get("defaultLogged").asBoolean()).isFalse();

        // every field of one entry
        JsonNode webIn = web.get("in").get(0);
        assertThat(webIn.get("policyId").asText()).isEqualTo("shop");
        assertThat(webIn.get("policyName").asText()).isEqualTo("Shop");
        assertThat(webIn.get("ruleName").asText()).isEqualTo("Customers reach the web");
        assertThat(webIn.get("category").asText()).isEqualTo("APPLICATION");
        assertThat(webIn.get("policySequence").asInt()).isEqualTo(10);
        assertThat(webIn.get("ruleSequence").asInt()).isEqualTo(0);
        assertThat(webIn.get("logged").asBoolean()).isFalse();
        assertThat(webIn.get("staged").asBoolean()).isFalse();
        assertThat(webIn.has("tag")).isFalse();
        assertThat(webIn.get("services").toString()).isEqualTo("[{\"protocol\":\"TCP\",\"destinationPorts\":[\"443\"]}]");
        assertThat(webIn.get("remote").toString()).isEqualTo("{\"any\":true}");
        JsonNode webToDb = web.get("out").get(0);
        assertThat(webToDb.get("ruleSequence").asInt()).isEqualTo(10);
        assertThat(webToDb.get("logged").asBoolean()).isTrue();
        assertThat(webToDb.get("remote").get("groups").toString()).isEqualTo("[\"db\"]");
        assertThat(webToDb.get("remote").get("negated").asBoolean()).isFalse();

        // the database: the emergency rule before the application rule; the web tier as a minimal prefix
        JsonNode db = table("db-1");
        assertThat(db.get("hostId").asText()).isEqualTo("h2");
        assertThat(entries(db.get("in"))).containsExactly("block-admins DROP admins=[\"192.0.2.0/24\"]",
                "web-to-db ALLOW web=[\"10.0.1.2/31\"]");
        assertThat(db.get("in").get(0).get("category").asText()).isEqualTo("EMERGENCY");
        assertThat(db.get("in").get(0).get("tag").asText()).isEqualTo("pci");
        assertThat(db.get("in").get(0).get("services")).isEmpty();
        assertThat(db.get("out")).isEmpty();
    }

    @Test
    void aStagedRuleIsStoredAsSuchAndShowsInTheTablesInItsPlaceMarkedStaged() {
        ApiServer.Reply r = api.post("v1/policies/shop/rules", "admin", """
                {"id":"cut-db","name":"What would cutting the web tier off the database break?","sequence":5,
                 "sources":["web"],"destinations":["db"],"action":"DROP","staged":true,"logged":true}""");
        created(r);
        assertThat(r.json().get("staged").asBoolean()).isTrue();
        assertThat(api.get("v1/policies/shop/rules/cut-db", "auditor").json().get("staged").asBoolean()).isTrue();
        assertThat(api.get("v1/policies/shop/rules/web-to-db", "auditor").json().get("staged").asBoolean())
                .as("a rule posted without the field is enforced").isFalse();

        assertThat(entries(table("web-1").get("out"))).containsExactly(
                "cut-db DROP db=[\"10.0.2.1\",\"fd00::21\"] staged", "web-to-db ALLOW db=[\"10.0.2.1\",\"fd00::21\"]");
        assertThat(entries(table("db-1").get("in"))).containsExactly("block-admins DROP admins=[\"192.0.2.0/24\"]",
                "cut-db DROP web=[\"10.0.1.2/31\"] staged", "web-to-db ALLOW web=[\"10.0.1.2/31\"]");

        // enforcing it is a rule edit: the preview shows the staged entries go and enforced ones come
        JsonNode p = previewed("""
                {"operation":"REPLACE","kind":"rule","policyId":"shop","id":"cut-db",
                 "object":{"sequence":5,"sources":["web"],"destinations":["db"],"action":"DROP","logged":true}}""");
        assertThat(vnicIds(p)).containsExactlyInAnyOrder("web-1-nic0", "web-2-nic0", "db-1-nic0");
        assertThat(compiled(vnic(p, "db-1-nic0").get("removed"))).containsExactly("IN cut-db DROP staged");
        assertThat(compiled(vnic(p, "db-1-nic0").get("added"))).containsExactly("IN cut-db DROP");
    }

    @Test
    void effectiveRulesFollowChanges() {
        long generation = api.compiler.generation();
        JsonNode db = table("db-1");
        long dbGeneration = db.get("generation").asLong();

        // a VM joins the web tier: the address group changes, not the database's table
        created(api.post("v1/inventory/vms", "admin", vm("web-3", "h1", "app:web", "02:00:00:00:00:04", "10.0.1.4")));
        assertThat(api.compiler.generation()).isGreaterThan(generation);
        db = table("db-1");
        assertThat(entries(db.get("in"))).containsExactly("block-admins DROP admins=[\"192.0.2.0/24\"]",
                "web-to-db ALLOW web=[\"10.0.1.2/31\",\"10.0.1.4\"]");
        assertThat(db.get("generation").asLong()).isEqualTo(dbGeneration);
        assertThat(entries(table("web-3").get("out"))).containsExactly("web-to-db ALLOW db=[\"10.0.2.1\",\"fd00::21\"]");

        // a rule changes: the tables it lands on take a new generation
        generation = api.compiler.generation();
        var rule = api.get("v1/policies/shop/rules/web-to-db", "admin");
        var edited = api.put("v1/policies/shop/rules/web-to-db", "admin", """
                {"name":"Web uses the database","sources":["web"],"destinations":["db"],"services":["postgresql"],
                 "action":"REJECT","sourcesNegated":true}""", rule.header("ETag"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(api.compiler.generation()).isGreaterThan(generation);
        JsonNode rules = effectiveRules("db-1");
        db = rules.get("vnics").get(0);
        assertThat(db.get("generation").asLong()).isGreaterThan(dbGeneration).isEqualTo(rules.get("generation").asLong());
        assertThat(entries(db.get("in"))).containsExactly("block-admins DROP admins=[\"192.0.2.0/24\"]",
                "web-to-db REJECT !web=[\"10.0.1.2/31\",\"10.0.1.4\"]");
        // negated sources: the web tier no longer sends through it, the database does
        assertThat(table("web-1").get("out")).isEmpty();
        assertThat(entries(db.get("out"))).containsExactly("web-to-db REJECT db=[\"10.0.2.1\",\"fd00::21\"]");

        // the default rule ends every table
        var defaultRule = api.get("v1/settings/default-rule", "admin");
        assertThat(api.put("v1/settings/default-rule", "admin", "{\"action\":\"ALLOW\",\"logged\":true}",
                defaultRule.header("ETag")).status()).isEqualTo(200);
        assertThat(table("web-2").get("defaultAction").asText()).isEqualTo("ALLOW");
        assertThat(table("web-2").get("defaultLogged").asBoolean()).isTrue();

        // a VM moves host
        var web2 = api.get("v1/inventory/vms/web-2", "admin");
        assertThat(api.put("v1/inventory/vms/web-2", "admin", vm("web-2", "h1", "app:web", "02:00:00:00:00:02", "10.0.1.3"),
                web2.header("ETag")).status()).isEqualTo(200);
        assertThat(table("web-2").get("hostId").asText()).isEqualTo("h1");
    }

    @Test
    void effectiveRulesOfAVmWithoutVnicsOrOfNoVmAtAll() {
        created(api.post("v1/inventory/vms", "admin", "{\"id\":\"bare\",\"name\":\"bare\",\"hostId\":\"h1\"}"));
        assertThat(effectiveRules("bare").get("vnics")).isEmpty();
        var missing = api.get("v1/inventory/vms/nope/effective-rules", "auditor");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asText()).contains("nope");
    }

    // ---- members

    @Test
    void membersComeFromTheEngineAndFollowARetag() throws Exception {
        JsonNode web = api.get("v1/groups/web/members", "auditor").json();
        assertThat(web.get("vms").toString())
                .isEqualTo("[{\"id\":\"web-1\",\"name\":\"WEB-1\"},{\"id\":\"web-2\",\"name\":\"WEB-2\"}]");
        assertThat(web.get("addresses").toString()).isEqualTo("[\"10.0.1.2/31\"]");

        // db-1 is retagged into the web tier
        var db1 = api.get("v1/inventory/vms/db-1", "admin");
        assertThat(api.put("v1/inventory/vms/db-1", "admin", vm("db-1", "h2", "app:web", "02:00:00:00:00:03",
                "10.0.2.1\",\"fd00::21"), db1.header("ETag")).status()).isEqualTo(200);
        JsonNode after = api.get("v1/groups/web/members", "auditor").json();
        assertThat(after.get("groupId").asText()).isEqualTo("web");
        assertThat(after.get("vms").findValuesAsText("id")).containsExactly("db-1", "web-1", "web-2");
        assertThat(after.get("addresses").toString()).isEqualTo("[\"10.0.1.2/31\",\"10.0.2.1\",\"fd00::21\"]");
        assertThat(api.get("v1/groups/db/members", "auditor").json().get("vms")).isEmpty();
        // what the engine has, and the same as the model manager computes from scratch
        String engine = ApiServer.JSON.writeValueAsString(api.compiler.members("web"));
        assertThat(ApiServer.JSON.readTree(engine)).isEqualTo(after);
        assertThat(ApiServer.JSON.readTree(ApiServer.JSON.writeValueAsString(api.manager.members("web"))))
                .isEqualTo(after);

        assertThat(api.get("v1/groups/nope/members", "auditor").status()).isEqualTo(404);
    }

    // ---- preview

    @Test
    void previewOfANewRuleListsTheVnicsItLandsOnAndChangesNothing() {
        JsonNode p = previewed("""
                {"operation":"CREATE","kind":"rule","policyId":"shop",
                 "object":{"id":"web-ssh-db","sources":["web"],"destinations":["db"],"services":["ssh"],"action":"ALLOW"}}""");
        assertThat(vnicIds(p)).containsExactlyInAnyOrder("web-1-nic0", "web-2-nic0", "db-1-nic0");
        JsonNode web1 = vnic(p, "web-1-nic0");
        assertThat(web1.get("vmId").asText()).isEqualTo("web-1");
        assertThat(web1.get("vmName").asText()).isEqualTo("WEB-1");
        assertThat(web1.get("hostId").asText()).isEqualTo("h1");
        assertThat(compiled(web1.get("added"))).containsExactly("OUT web-ssh-db ALLOW");
        assertThat(web1.get("added").get(0).get("remote").asText()).isEqualTo("db");
        assertThat(web1.get("removed")).isEmpty();
        assertThat(web1.get("reordered").asBoolean()).isFalse();
        assertThat(web1.get("defaultChanged").asBoolean()).isFalse();
        assertThat(compiled(vnic(p, "db-1-nic0").get("added"))).containsExactly("IN web-ssh-db ALLOW");
        assertThat(p.get("addressGroups")).isEmpty();
        // not there
        assertThat(api.get("v1/policies/shop/rules/web-ssh-db", "admin").status()).isEqualTo(404);
    }

    @Test
    void previewOfARuleEditAndDelete() {
        JsonNode edit = previewed("""
                {"operation":"REPLACE","kind":"rule","policyId":"shop","id":"web-to-db",
                 "object":{"sources":["web"],"destinations":["db"],"services":["postgresql"],"action":"DROP"}}""");
        assertThat(vnicIds(edit)).containsExactlyInAnyOrder("web-1-nic0", "web-2-nic0", "db-1-nic0");
        JsonNode db = vnic(edit, "db-1-nic0");
        assertThat(compiled(db.get("added"))).containsExactly("IN web-to-db DROP");
        assertThat(compiled(db.get("removed"))).containsExactly("IN web-to-db ALLOW");
        assertThat(compiled(vnic(edit, "web-2-nic0").get("removed"))).containsExactly("OUT web-to-db ALLOW");
        assertThat(api.get("v1/policies/shop/rules/web-to-db", "admin").json().get("action").asText()).isEqualTo("ALLOW");

        JsonNode delete = previewed("""
                {"operation":"DELETE","kind":"rule","policyId":"emergency","id":"block-admins"}""");
        assertThat(vnicIds(delete)).containsExactly("db-1-nic0");
        assertThat(compiled(vnic(delete, "db-1-nic0").get("removed"))).containsExactly("IN block-admins DROP");
        assertThat(vnic(delete, "db-1-nic0").get("added")).isEmpty();
        // no entry refers to the admins any more
        assertThat(delete.get("addressGroups").toString())
                .isEqualTo("[{\"id\":\"admins\",\"added\":[],\"removed\":[\"192.0.2.0/24\"]}]");
        assertThat(api.get("v1/policies/emergency/rules/block-admins", "admin").status()).isEqualTo(200);
    }

    @Test
    void previewOfAGroupEditOfTheDefaultRuleAndOfANewHost() {
        JsonNode p = previewed("""
                {"operation":"REPLACE","kind":"group","id":"web",
                 "object":{"name":"web","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:web"},
                           "excludedVms":["web-2"]}}""");
        // web-2 leaves the web tier: its own table loses the web tier's entries ...
        assertThat(vnicIds(p)).containsExactly("web-2-nic0");
        assertThat(compiled(vnic(p, "web-2-nic0").get("removed"))).containsExactly("IN web-in ALLOW", "OUT web-to-db ALLOW");
        assertThat(vnic(p, "web-2-nic0").get("vmName").asText()).isEqualTo("WEB-2");
        // ... and the database's table keeps its entries: only the web tier's addresses change
        assertThat(p.get("addressGroups").toString()).isEqualTo("[{\"id\":\"web\",\"added\":[],\"removed\":[\"10.0.1.3\"]}]");
        assertThat(api.get("v1/groups/web/members", "admin").json().get("vms")).hasSize(2);

        // the default rule
        JsonNode allow = previewed("{\"operation\":\"REPLACE\",\"kind\":\"default-rule\",\"object\":{\"action\":\"ALLOW\"}}");
        assertThat(vnicIds(allow)).containsExactlyInAnyOrder("web-1-nic0", "web-2-nic0", "db-1-nic0");
        assertThat(vnic(allow, "web-1-nic0").get("defaultChanged").asBoolean()).isTrue();

        // a change that compiles to nothing
        JsonNode host = previewed("{\"operation\":\"CREATE\",\"kind\":\"host\",\"object\":{\"id\":\"h3\",\"name\":\"h3\"}}");
        assertThat(host.get("vnics")).isEmpty();
        assertThat(host.get("addressGroups")).isEmpty();
    }

    @Test
    void previewIsValidatedAsTheRealChange() {
        // the model's own refusals, with the fields inside the request's object
        JsonNode badRule = refused(422, "/object/services/0", () -> preview("admin", """
                {"operation":"CREATE","kind":"rule","policyId":"shop","object":{"services":["nope"],"action":"ALLOW"}}"""));
        assertThat(badRule.get("detail").asText()).contains("nope");
        refused(422, "/object/hostId", () -> preview("admin", """
                {"operation":"CREATE","kind":"vm","object":{"name":"v","hostId":"no-such-host"}}"""));
        refused(422, "/object/colour", () -> preview("admin", """
                {"operation":"CREATE","kind":"host","object":{"name":"h","colour":"red"}}"""));
        refused(422, "/object/addresses/0", () -> preview("admin", """
                {"operation":"REPLACE","kind":"group","id":"admins","object":{"name":"a","addresses":["10.0.0.1/24"]}}"""));
        refused(404, null, () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"rule\",\"policyId\":\"shop\",\"id\":\"nope\"}"));
        refused(404, null, () -> preview("admin", """
                {"operation":"CREATE","kind":"rule","policyId":"nope","object":{"action":"ALLOW"}}"""));
        refused(404, null, () -> preview("admin", "{\"operation\":\"REPLACE\",\"kind\":\"service\",\"id\":\"nope\",\"object\":{\"name\":\"x\",\"entries\":[{\"protocol\":\"UDP\"}]}}"));
        refused(409, null, () -> preview("admin", "{\"operation\":\"CREATE\",\"kind\":\"host\",\"object\":{\"id\":\"h1\",\"name\":\"dup\"}}"));
        JsonNode inUse = refused(409, null, () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"group\",\"id\":\"db\"}"));
        assertThat(inUse.get("users").toString()).contains("web-to-db").contains("block-admins");
    }

    @Test
    void malformedOrIncompletePreviewRequestsAreRefused() {
        refused(422, "/operation", () -> preview("admin", "{\"operation\":\"MERGE\",\"kind\":\"host\",\"object\":{}}"));
        refused(422, "/kind", () -> preview("admin", "{\"operation\":\"CREATE\",\"kind\":\"router\",\"object\":{}}"));
        refused(422, "/operation", () -> preview("admin", "{\"kind\":\"host\",\"object\":{\"name\":\"h\"}}"));
        refused(422, "/kind", () -> preview("admin", "{\"operation\":\"CREATE\",\"object\":{\"name\":\"h\"}}"));
        refused(422, "/object", () -> preview("admin", "{\"operation\":\"CREATE\",\"kind\":\"host\"}"));
        refused(422, "/object", () -> preview("admin", "{\"operation\":\"REPLACE\",\"kind\":\"host\",\"id\":\"h1\",\"object\":null}"));
        refused(422, "/id", () -> preview("admin", "{\"operation\":\"REPLACE\",\"kind\":\"host\",\"object\":{\"name\":\"h\"}}"));
        refused(422, "/id", () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"group\"}"));
        refused(422, "/id", () -> preview("admin", "{\"operation\":\"CREATE\",\"kind\":\"host\",\"id\":\"h9\",\"object\":{\"name\":\"h\"}}"));
        refused(422, "/object", () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"host\",\"id\":\"h1\",\"object\":{}}"));
        refused(422, "/policyId", () -> preview("admin", "{\"operation\":\"CREATE\",\"kind\":\"rule\",\"object\":{\"action\":\"DROP\"}}"));
        refused(422, "/policyId", () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"host\",\"id\":\"h1\",\"policyId\":\"shop\"}"));
        refused(422, "/operation", () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"default-rule\"}"));
        refused(422, "/colour", () -> preview("admin", "{\"operation\":\"DELETE\",\"kind\":\"host\",\"id\":\"h1\",\"colour\":\"red\"}"));
        JsonNode several = refused(422, "/id", () -> preview("admin", "{\"operation\":\"REPLACE\",\"kind\":\"rule\"}"));
        assertThat(several.get("errors").findValuesAsText("field")).containsExactly("/id", "/object", "/policyId");
        refused(400, "/object", () -> preview("admin", "{\"operation\":\"CREATE\",\"kind\":\"host\",\"object\":[1]}"));
        refused(400, null, () -> preview("admin", "{\"operation\":"));
        refused(400, null, () -> preview("admin", ""));
    }

    @Test
    void previewNeedsTheWriteRole() {
        String rule = "{\"operation\":\"DELETE\",\"kind\":\"rule\",\"policyId\":\"shop\",\"id\":\"web-in\"}";
        JsonNode forbidden = refused(403, null, () -> preview("auditor", rule));
        assertThat(forbidden.get("detail").asText()).contains("auditor");
        refused(401, null, () -> preview(null, rule));
        // whatever the method: an auditor learns nothing here, not even which methods there are
        refused(403, null, () -> api.get("v1/policy-preview", "auditor"));
        refused(403, null, () -> api.send(api.request("v1/policy-preview", "auditor")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()));
        refused(403, null, () -> api.get("v1//policy-preview/;x=1", "auditor"));
        refused(405, null, () -> api.get("v1/policy-preview", "admin"));
        assertThat(preview("admin", rule).status()).isEqualTo(200);
    }
}
