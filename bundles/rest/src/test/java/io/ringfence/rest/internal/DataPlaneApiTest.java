package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.agent.FlowLog;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.redirection.internal.RedirectionManager;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over the data plane: rule counters and the flows of a VM, after packets went through the
 * test server's simulated data center.
 *
 * <p>The data center: web-1 (10.0.1.2) on h1 tagged app:web, db-1 (10.0.2.1) on h2 tagged app:db;
 * policy shop with web-to-db (web to db, postgresql, ALLOW) and no-ssh (web to db, ssh, REJECT, logged).
 */
class DataPlaneApiTest {

    static final String WEB = "10.0.1.2";
    static final String DB = "10.0.2.1";

    ApiServer api;
    /** Steering, for the tests that wire it: the redirection table and the partners' registry. */
    RedirectionManager redirection;
    FunctionRegistry partners;

    @BeforeEach
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(Set.of("admin", "auditor"), Set.of("admin"), Set.of("appliance"), 64 * 1024));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h1\",\"name\":\"h1\"}"));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h2\",\"name\":\"h2\"}"));
        created(api.post("v1/inventory/vms", "admin", vm("web-1", "h1", "app:web", "02:00:00:00:00:01", WEB)));
        created(api.post("v1/inventory/vms", "admin", vm("db-1", "h2", "app:db", "02:00:00:00:00:02", DB)));
        created(api.post("v1/groups", "admin", group("web", "app:web")));
        created(api.post("v1/groups", "admin", group("db", "app:db")));
        created(api.post("v1/services", "admin", service("postgresql", 5432)));
        created(api.post("v1/services", "admin", service("ssh", 22)));
        created(api.post("v1/policies", "admin", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-to-db","name":"Web uses the database","sources":["web"],"destinations":["db"],
                   "services":["postgresql"],"action":"ALLOW"},
                  {"id":"no-ssh","name":"No ssh to the database","sources":["web"],"destinations":["db"],
                   "services":["ssh"],"action":"REJECT","logged":true}]}"""));
    }

    @AfterEach
    void stop() {
        api.close();
        if (redirection != null) {
            redirection.close();
            partners.close();
        }
    }

    @Test
    void ruleCountersAreListedForEveryRuleOfTheModel() {
        Instant before = Instant.now();
        handshake(40000, 5432);
        api.dataPlane.process(vnic("web-1"), Direction.OUT, Packet.tcp(WEB, 40001, DB, 22, Packet.SYN));

        ApiServer.Reply r = api.get("v1/stats/rules", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().forEach(e -> ids.add(e.get("ruleId").asText()));
        assertThat(ids).containsExactly("web-to-db", "no-ssh", "default");

        JsonNode webToDb = r.json().get(0);
        assertThat(webToDb.get("policyId").asText()).isEqualTo("shop");
        // three packets OUT at web-1 and three IN at db-1, one session on each host
        assertThat(webToDb.get("packets").asLong()).isEqualTo(6);
        assertThat(webToDb.get("bytes").asLong()).isEqualTo(6 * 40);
        assertThat(webToDb.get("sessions").asLong()).isEqualTo(2);
        assertThat(Instant.parse(webToDb.get("lastHit").asText())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(webToDb.get("staged").asBoolean()).isFalse();
        assertThat(webToDb.get("stagedHits").get("packets").asLong()).isZero();

        JsonNode noSsh = r.json().get(1);
        assertThat(noSsh.get("packets").asLong()).isEqualTo(1);
        assertThat(noSsh.get("sessions").asLong()).isZero();
        JsonNode dflt = r.json().get(2);
        assertThat(dflt.get("packets").asLong()).isZero();
        assertThat(dflt.has("lastHit") && !dflt.get("lastHit").isNull()).isFalse();
        assertThat(dflt.has("stagedHits")).as("the default rule is never staged").isFalse();
    }

    @Test
    void oneRulesCounters() {
        handshake(40000, 5432);

        ApiServer.Reply r = api.get("v1/stats/rules/web-to-db", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("ruleId").asText()).isEqualTo("web-to-db");
        assertThat(r.json().get("sessions").asLong()).isEqualTo(2);

        ApiServer.Reply idle = api.get("v1/stats/rules/no-ssh", "auditor");
        assertThat(idle.status()).as(idle.toString()).isEqualTo(200);
        assertThat(idle.json().get("packets").asLong()).isZero();
    }

    @Test
    void anUnknownRuleIsNotFound() {
        ApiServer.Reply r = api.get("v1/stats/rules/nope", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theFlowsOfAVm() {
        handshake(40000, 5432);

        ApiServer.Reply r = api.get("v1/inventory/vms/web-1/flows", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json()).hasSize(1);
        JsonNode f = r.json().get(0);
        JsonNode key = f.get("key");
        assertThat(key.get("vnicId").asText()).isEqualTo(vnic("web-1"));
        assertThat(key.get("direction").asText()).isEqualTo("OUT");
        assertThat(key.get("protocol").asInt()).isEqualTo(Packet.TCP);
        assertThat(key.get("source").asText()).startsWith(WEB);
        assertThat(key.get("sourcePort").asInt()).isEqualTo(40000);
        assertThat(key.get("destination").asText()).startsWith(DB);
        assertThat(key.get("destinationPort").asInt()).isEqualTo(5432);
        assertThat(f.get("state").asText()).isEqualTo("ESTABLISHED");
        assertThat(f.get("ruleId").asText()).isEqualTo("web-to-db");
        assertThat(f.get("generation").asLong()).isPositive();
        assertThat(f.get("originalPackets").asLong()).isEqualTo(2);
        assertThat(f.get("replyPackets").asLong()).isEqualTo(1);
        Instant created = Instant.parse(f.get("created").asText());
        assertThat(Instant.parse(f.get("lastSeen").asText())).isAfterOrEqualTo(created);
        assertThat(Instant.parse(f.get("expiresAt").asText())).isAfter(created);

        assertThat(api.get("v1/inventory/vms/db-1/flows", "auditor").json()).hasSize(1);
    }

    @Test
    void aVmWithoutTrafficHasNoFlowsAndAnUnknownVmIsNotFound() {
        ApiServer.Reply r = api.get("v1/inventory/vms/db-1/flows", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json()).isEmpty();
        assertThat(api.get("v1/inventory/vms/nope/flows", "auditor").status()).isEqualTo(404);
    }

    @Test
    void theCountersOfAVmsVnicsAndOfAHost() {
        handshake(40000, 5432);
        api.dataPlane.process(vnic("web-1"), Direction.OUT, Packet.tcp(WEB, 40001, DB, 22, Packet.SYN));
        // a TCP segment other than a SYN without a flow: dropped as invalid
        api.dataPlane.process(vnic("web-1"), Direction.OUT, Packet.tcp(WEB, 40002, DB, 5432, Packet.ACK));

        ApiServer.Reply r = api.get("v1/inventory/vms/web-1/stats", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("hostId").asText()).isEqualTo("h1");
        JsonNode web = r.json().get("vnics").get(0);
        assertThat(web.get("vnicId").asText()).isEqualTo(vnic("web-1"));
        assertThat(web.get("hasTables").asBoolean()).isTrue();
        // SYN and ACK out, the SYN-ACK in: three packets allowed; the ssh SYN rejected; the stray ACK invalid
        assertThat(web.get("allowed").asLong()).isEqualTo(3);
        assertThat(web.get("rejected").asLong()).isEqualTo(1);
        assertThat(web.get("dropped").asLong()).isEqualTo(1);
        assertThat(web.get("invalid").asLong()).isEqualTo(1);
        assertThat(web.get("flowsCreated").asLong()).isEqualTo(1);
        assertThat(web.get("flowsEvicted").asLong()).isZero();
        assertThat(web.get("trackedFlows").asLong()).isEqualTo(1);

        ApiServer.Reply h1 = api.get("v1/inventory/hosts/h1/stats", "auditor");
        assertThat(h1.status()).as(h1.toString()).isEqualTo(200);
        assertThat(h1.json().get("running").asBoolean()).isTrue();
        assertThat(h1.json().get("vnics").asInt()).isEqualTo(1);
        assertThat(h1.json().get("flows").asInt()).isEqualTo(1);
        assertThat(h1.json().get("evictions").asLong()).isZero();

        assertThat(api.get("v1/inventory/vms/nope/stats", "auditor").status()).isEqualTo(404);
        ApiServer.Reply unknownHost = api.get("v1/inventory/hosts/nope/stats", "auditor");
        assertThat(unknownHost.status()).isEqualTo(404);
        assertThat(unknownHost.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theEndpointsNeedAUser() {
        assertThat(api.get("v1/stats/rules", null).status()).isEqualTo(401);
        assertThat(api.get("v1/inventory/vms/web-1/flows", null).status()).isEqualTo(401);
    }

    // ---- traceflow

    @Test
    void anAuditorTracesAnAllowedPacketThroughBothVnics() {
        ApiServer.Reply r = api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destination":"db-1","protocol":"TCP","destinationPort":5432,"sourcePort":49152}""");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.get("verdict").asText()).isEqualTo("ALLOW");
        assertThat(t.get("sourceVnic").asText()).isEqualTo(vnic("web-1"));
        assertThat(t.get("destinationVnic").asText()).isEqualTo(vnic("db-1"));
        assertThat(t.get("sourceAddress").asText()).isEqualTo(WEB);
        assertThat(t.get("destinationAddress").asText()).isEqualTo(DB);
        assertThat(t.get("steps")).hasSize(2);
        JsonNode out = t.get("steps").get(0);
        assertThat(out.get("hostId").asText()).isEqualTo("h1");
        assertThat(out.get("direction").asText()).isEqualTo("OUT");
        assertThat(out.get("decidedBy").asText()).isEqualTo("RULE");
        assertThat(out.get("ruleId").asText()).isEqualTo("web-to-db");
        assertThat(out.get("policyId").asText()).isEqualTo("shop");
        assertThat(out.get("generation").asLong()).isPositive();
        JsonNode in = t.get("steps").get(1);
        assertThat(in.get("hostId").asText()).isEqualTo("h2");
        assertThat(in.get("direction").asText()).isEqualTo("IN");
        assertThat(in.get("action").asText()).isEqualTo("ALLOW");
        // nothing was counted, no flow was created
        assertThat(api.get("v1/stats/rules/web-to-db", "auditor").json().get("packets").asLong()).isZero();
        assertThat(api.get("v1/inventory/vms/web-1/flows", "auditor").json()).isEmpty();
    }

    @Test
    void aRejectedPacketAndAnAddressDestination() {
        ApiServer.Reply ssh = api.post("v1/traceflow", "admin", """
                {"source":"web-1","destination":"db-1","protocol":"TCP","destinationPort":22}""");
        assertThat(ssh.status()).as(ssh.toString()).isEqualTo(200);
        assertThat(ssh.json().get("verdict").asText()).isEqualTo("REJECT");
        assertThat(ssh.json().get("steps")).hasSize(1);
        assertThat(ssh.json().get("steps").get(0).get("ruleId").asText()).isEqualTo("no-ssh");

        ApiServer.Reply ping = api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destinationAddress":"192.0.2.7","protocol":"ICMP","icmpType":8,"icmpCode":0}""");
        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ping.json().get("verdict").asText()).isEqualTo("DROP");
        assertThat(ping.json().get("steps").get(0).get("decidedBy").asText()).isEqualTo("DEFAULT_RULE");

        ApiServer.Reply toDb = api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destinationAddress":"%s","protocol":"TCP","destinationPort":5432}""".formatted(DB));
        assertThat(toDb.status()).as(toDb.toString()).isEqualTo(200);
        assertThat(toDb.json().get("destinationVnic").asText()).isEqualTo(vnic("db-1"));
        assertThat(toDb.json().get("steps")).hasSize(2);
    }

    @Test
    void anExistingFlowIsAFlowTableHit() {
        send("web-1", "db-1", Packet.tcp(WEB, 40000, DB, 5432, Packet.SYN));

        ApiServer.Reply r = api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destination":"db-1","protocol":"TCP","destinationPort":5432,"sourcePort":40000}""");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("steps").get(0).get("decidedBy").asText()).isEqualTo("FLOW_TABLE");
        assertThat(r.json().get("steps").get(1).get("decidedBy").asText()).isEqualTo("FLOW_TABLE");
    }

    @Test
    void aStepThroughAServiceChainShowsTheRedirectionRuleEachFunctionsVerdictAndTheActionAfterIt() {
        steerPostgresqlThroughAnIdsThatSays(Verdict.DROP);

        ApiServer.Reply r = api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destination":"db-1","protocol":"TCP","destinationPort":5432}""");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.get("verdict").asText()).isEqualTo("DROP");
        assertThat(t.get("steps")).hasSize(1);
        JsonNode out = t.get("steps").get(0);
        assertThat(out.get("ruleId").asText()).isEqualTo("web-to-db");
        assertThat(out.get("action").asText()).as("the firewall's").isEqualTo("ALLOW");
        JsonNode steering = out.get("steering");
        assertThat(steering.get("policyId").asText()).isEqualTo("steer");
        assertThat(steering.get("ruleId").asText()).isEqualTo("inspect-db");
        assertThat(steering.get("chainId").asText()).isEqualTo("inspect");
        assertThat(steering.get("verdict").asText()).isEqualTo("DROP");
        assertThat(steering.get("action").asText()).isEqualTo("DROP");
        assertThat(steering.get("hops")).hasSize(1);
        JsonNode hop = steering.get("hops").get(0);
        assertThat(List.of(hop.get("profileId").asText(), hop.get("definitionId").asText(), hop.get("version").asText(),
                hop.get("outcome").asText(), hop.get("verdict").asText()))
                .containsExactly("ids", "acme/ids", "1.0.0", "INSPECTED", "DROP");
        // an unsteered step has no steering at all
        ApiServer.Reply ssh = api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destination":"db-1","protocol":"TCP","destinationPort":22}""");
        assertThat(ssh.json().get("steps").get(0).has("steering")).isFalse();
        // nothing was counted
        assertThat(api.get("v1/stats/rules/web-to-db", "auditor").json().get("packets").asLong()).isZero();
    }

    @Test
    void openApiDescribesTheSteeringOfATraceStep() {
        JsonNode schemas = api.get("v1/openapi.json", "auditor").json().get("components").get("schemas");

        assertThat(schemas.get("TraceStep").get("properties").get("steering").get("$ref").asText())
                .endsWith("/SteeringTrace");
        JsonNode steering = schemas.get("SteeringTrace").get("properties");
        assertThat(steering.has("hops")).isTrue();
        assertThat(steering.get("verdict").get("enum").toString())
                .isEqualTo("[\"PASS\",\"DROP\",\"REJECT\",\"PASS_AND_BYPASS\"]");
        assertThat(steering.get("action").get("description").asText()).contains("after the chain");
    }

    @Test
    void invalidTracesAreProblemsNamingTheirFields() {
        assertThat(traceProblem("""
                {"source":"nope","destination":"db-1","protocol":"TCP","destinationPort":5432}""")).isEqualTo("/source");
        assertThat(traceProblem("""
                {"source":"web-1","destination":"nope","protocol":"TCP","destinationPort":5432}"""))
                .isEqualTo("/destination");
        assertThat(traceProblem("""
                {"source":"web-1","destination":"db-1","protocol":"TCP","destinationPort":70000}"""))
                .isEqualTo("/destinationPort");
        assertThat(traceProblem("""
                {"source":"web-1","destination":"db-1","protocol":"ICMP","destinationPort":80}"""))
                .isEqualTo("/destinationPort");
        assertThat(traceProblem("""
                {"source":"web-1","destination":"db-1","destinationPort":80}""")).isEqualTo("/protocol");
        created(api.post("v1/inventory/vms", "admin", "{\"id\":\"bare\",\"name\":\"bare\",\"hostId\":\"h1\"}"));
        assertThat(traceProblem("""
                {"source":"bare","destination":"db-1","protocol":"TCP","destinationPort":80}""")).isEqualTo("/source");

        ApiServer.Reply malformed = api.post("v1/traceflow", "auditor", "{\"source\":");
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    }

    @Test
    void tracingNeedsAReadRole() {
        String body = "{\"source\":\"web-1\",\"destination\":\"db-1\",\"protocol\":\"TCP\",\"destinationPort\":22}";
        assertThat(api.post("v1/traceflow", null, body).status()).isEqualTo(401);
        assertThat(api.post("v1/traceflow", "nobody", body).status()).isEqualTo(403);
    }

    @Test
    void theFlowLogHasLoggedRulesAndDefaultDropsNewestFirstWithFilters() {
        Instant before = Instant.now().minusSeconds(1);
        handshake(40000, 5432); // web-to-db is not logged
        api.dataPlane.process(vnic("web-1"), Direction.OUT, Packet.tcp(WEB, 40001, DB, 22, Packet.SYN));
        api.dataPlane.process(vnic("db-1"), Direction.IN, Packet.udp(WEB, 40002, DB, 53, null));

        ApiServer.Reply all = api.get("v1/flow-log", "auditor");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json()).hasSize(2);
        JsonNode dropped = all.json().get(0);
        assertThat(dropped.get("ruleId").asText()).isEqualTo("default");
        assertThat(dropped.get("verdict").asText()).isEqualTo("DROP");
        assertThat(dropped.get("vmId").asText()).isEqualTo("db-1");
        assertThat(dropped.get("hostId").asText()).isEqualTo("h2");
        JsonNode rejected = all.json().get(1);
        assertThat(rejected.get("ruleId").asText()).isEqualTo("no-ssh");
        assertThat(rejected.get("policyId").asText()).isEqualTo("shop");
        assertThat(rejected.get("verdict").asText()).isEqualTo("REJECT");
        assertThat(rejected.get("direction").asText()).isEqualTo("OUT");
        assertThat(rejected.get("source").asText()).startsWith(WEB);
        assertThat(rejected.get("destination").asText()).startsWith(DB);
        assertThat(rejected.get("sourcePort").asInt()).isEqualTo(40001);
        assertThat(rejected.get("destinationPort").asInt()).isEqualTo(22);
        assertThat(rejected.get("protocol").asInt()).isEqualTo(Packet.TCP);
        assertThat(Instant.parse(rejected.get("time").asText())).isAfterOrEqualTo(before);

        assertThat(api.get("v1/flow-log?verdict=REJECT", "auditor").json()).hasSize(1);
        assertThat(api.get("v1/flow-log?rule=default", "auditor").json().get(0).get("vmId").asText())
                .isEqualTo("db-1");
        assertThat(api.get("v1/flow-log?vm=web-1", "auditor").json()).hasSize(1);
        assertThat(api.get("v1/flow-log?limit=1", "auditor").json().get(0).get("ruleId").asText())
                .isEqualTo("default");
        assertThat(api.get("v1/flow-log?since=" + Instant.now().plusSeconds(60), "auditor").json()).isEmpty();
        assertThat(api.get("v1/flow-log?since=" + before, "admin").json()).hasSize(2);
    }

    @Test
    void badFlowLogParametersAreProblemsAndAnUnknownVmIsNotFound() {
        for (String q : List.of("verdict=MAYBE", "since=yesterday", "limit=0", "limit=1001", "limit=ten",
                "staged=yes")) {
            ApiServer.Reply r = api.get("v1/flow-log?" + q, "auditor");
            assertThat(r.status()).as(q + " " + r).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        }
        ApiServer.Reply r = api.get("v1/flow-log?vm=nope", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(api.get("v1/flow-log?limit=1000", "auditor").status()).isEqualTo(200);
    }

    @Test
    void theFlowLogSaysHowManyRecordsTheHostsOverwrote() {
        ApiServer.Reply empty = api.get("v1/flow-log", "auditor");
        assertThat(empty.header("Ringfence-Flow-Log-Overwritten")).isEqualTo("0");

        Packet ssh = Packet.tcp(WEB, 40001, DB, 22, Packet.SYN);
        for (int i = 0; i < FlowLog.DEFAULT_CAPACITY + 5; i++) {
            api.dataPlane.process(vnic("web-1"), Direction.OUT, ssh); // rejected by no-ssh, logged every time
        }
        ApiServer.Reply r = api.get("v1/flow-log?limit=1", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Ringfence-Flow-Log-Overwritten")).isEqualTo("5");
        assertThat(r.json()).hasSize(1);
        // the body stays a plain array of records, now with their staged mark
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json().get(0).get("staged").asBoolean()).isFalse();
        assertThat(r.json().get(0).has("actualVerdict")).isFalse();
    }

    private String traceProblem(String body) {
        ApiServer.Reply r = api.post("v1/traceflow", "auditor", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        return r.json().get("errors").get(0).get("field").asText();
    }

    // ---- fixtures

    /**
     * Profile ids (acme/ids), chain inspect (fail-closed) and redirection policy steer sending web's
     * postgresql leaving web-1 through it, over the API; the data plane steering, with an acme/ids
     * function that answers {@code verdict}.
     */
    private void steerPostgresqlThroughAnIdsThatSays(Verdict verdict) {
        created(api.post("v1/service-insertion/profiles", "admin", """
                {"id":"ids","name":"IDS","definition":"acme/ids","values":{}}"""));
        created(api.post("v1/service-insertion/chains", "admin", """
                {"id":"inspect","name":"inspect","profiles":["ids"],"failurePolicy":"BLOCK","deadlineMicros":1000000}"""));
        created(api.post("v1/service-insertion/redirection-policies", "admin", """
                {"id":"steer","name":"steer","rules":[{"id":"inspect-db","sources":["web"],"services":["postgresql"],
                 "action":"REDIRECT","chain":"inspect","direction":"OUT"}]}"""));
        partners = new FunctionRegistry(InsertionConfig.DEFAULTS);
        InspectionDescriptor ids = new InspectionDescriptor("acme", "ids", "1.0.0", "", null, false, false);
        partners.add(new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                return ids;
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                return packet -> verdict;
            }
        }, 1, 0);
        redirection = new RedirectionManager(api.compiler);
        api.manager.addListener(redirection);
        api.dataPlane.steer(redirection, new ServiceInsertionManager(partners), partners);
        long revision = api.manager.snapshot().revision();
        await().atMost(Duration.ofSeconds(10)).until(() -> redirection.revision() == revision);
    }

    /** A TCP handshake web-1 → db-1:port, each packet OUT at the source and IN at the destination. */
    private void handshake(int sourcePort, int port) {
        send("web-1", "db-1", Packet.tcp(WEB, sourcePort, DB, port, Packet.SYN));
        send("db-1", "web-1", Packet.tcp(DB, port, WEB, sourcePort, Packet.SYN | Packet.ACK));
        send("web-1", "db-1", Packet.tcp(WEB, sourcePort, DB, port, Packet.ACK));
    }

    private void send(String from, String to, Packet p) {
        assertThat(api.dataPlane.process(vnic(from), Direction.OUT, p).action()).isEqualTo(Action.ALLOW);
        assertThat(api.dataPlane.process(vnic(to), Direction.IN, p).action()).isEqualTo(Action.ALLOW);
    }

    /** The id the manager gave the VM's one vNIC. */
    private String vnic(String vm) {
        return api.manager.snapshot().find(Kind.VM, vm).orElseThrow().vnics().get(0).id();
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

    private static String group(String id, String tag) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"criteria\":{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"%s\"}}"
                .formatted(id, id, tag);
    }

    private static String service(String id, int port) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"%d\"]}]}"
                .formatted(id, id, port);
    }
}
