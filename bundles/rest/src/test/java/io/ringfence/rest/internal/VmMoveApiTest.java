package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/inventory/vms/{id}/move} on the real HTTP server: web-1 (10.0.1.2) on h1, db-1
 * (10.0.2.1) on h2, h3 empty; web-to-db allows web → db tcp/5432; a connection web-1 → db-1 is open.
 */
class VmMoveApiTest {

    static final String WEB = "10.0.1.2";
    static final String DB = "10.0.2.1";

    ApiServer api;

    @BeforeEach
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(Set.of("admin", "auditor"), Set.of("admin"), Set.of("appliance"),
                64 * 1024));
        for (String h : List.of("h1", "h2", "h3")) {
            created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"%s\",\"name\":\"%s\"}".formatted(h, h)));
        }
        created(api.post("v1/inventory/vms", "admin", vm("web-1", "h1", "app:web", "02:00:00:00:00:01", WEB)));
        created(api.post("v1/inventory/vms", "admin", vm("db-1", "h2", "app:db", "02:00:00:00:00:02", DB)));
        created(api.post("v1/groups", "admin", group("web", "app:web")));
        created(api.post("v1/groups", "admin", group("db", "app:db")));
        created(api.post("v1/services", "admin",
                "{\"id\":\"postgresql\",\"name\":\"pg\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"5432\"]}]}"));
        created(api.post("v1/policies", "admin", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-to-db","name":"Web uses the database","sources":["web"],"destinations":["db"],
                   "services":["postgresql"],"action":"ALLOW"}]}"""));
        assertThat(exchange(Packet.SYN, Packet.SYN | Packet.ACK)).allMatch(Verdict::allowed);
        assertThat(exchange(Packet.ACK, Packet.ACK)).allMatch(Verdict::allowed);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theVmMovesWithItsConnection() {
        String etag = api.get("v1/inventory/vms/web-1", "admin").header("ETag");

        ApiServer.Reply r = move("web-1", "{\"hostId\":\"h3\"}", etag);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("hostId").asText()).isEqualTo("h3");
        long revision = r.json().get("revision").asLong();
        assertThat(r.header("ETag")).isEqualTo("\"" + revision + "\"");
        assertThat(r.header("Ringfence-Flows-Carried")).isEqualTo("1");
        assertThat(r.header("Ringfence-Flows-Cut")).isEqualTo("0");
        assertThat(Long.parseLong(r.header("Ringfence-Held-Micros"))).isPositive();
        assertThat(api.get("v1/inventory/vms/web-1", "auditor").json().get("hostId").asText()).isEqualTo("h3");
        // the connection goes on from the flow table, now on h3
        assertThat(exchange(Packet.ACK, Packet.ACK)).allSatisfy(v -> assertThat(v)
                .extracting(Verdict::action, Verdict::ruleId, Verdict::fromFlowTable)
                .containsExactly(Action.ALLOW, "web-to-db", true));
        assertThat(api.dataPlane.agent("h3").orElseThrow().vnics()).containsExactly(vnic("web-1"));
        assertThat(api.dataPlane.agent("h1").orElseThrow().vnics()).isEmpty();
        JsonNode flows = api.get("v1/inventory/vms/web-1/flows", "auditor").json();
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).get("state").asText()).isEqualTo("ESTABLISHED");
        assertThat(flows.get(0).get("originalPackets").asLong()).isEqualTo(3);
        // audited as a change of the VM by who moved it
        JsonNode audit = api.get("v1/audit?limit=1", "admin").json().get("items").get(0);
        assertThat(audit.get("objectId").asText()).isEqualTo("web-1");
        assertThat(audit.get("principal").asText()).isEqualTo("admin");
        assertThat(audit.get("revision").asLong()).isEqualTo(revision);
    }

    @Test
    void badMovesAreRefusedWithAProblemAndChangeNothing() {
        Vm before = api.manager.snapshot().find(Kind.VM, "web-1").orElseThrow();

        problem(move("nope", "{\"hostId\":\"h3\"}", null), 404, "not-found");
        JsonNode noHost = problem(move("web-1", "{\"hostId\":\"h9\"}", null), 422, "validation");
        assertThat(noHost.get("errors").get(0).get("field").asText()).isEqualTo("/hostId");
        JsonNode noHostId = problem(move("web-1", "{}", null), 422, "validation");
        assertThat(noHostId.get("errors").get(0).get("field").asText()).isEqualTo("/hostId");
        problem(move("web-1", "{\"hostId\":\"h3\",\"when\":\"now\"}", null), 422, "validation");
        problem(move("web-1", "{\"hostId\":", null), 400, "malformed-json");
        JsonNode same = problem(move("web-1", "{\"hostId\":\"h1\"}", null), 409, "already-on-host");
        assertThat(same.get("detail").asText()).contains("web-1", "h1");
        problem(move("web-1", "{\"hostId\":\"h3\"}", "\"" + (before.revision() - 1) + "\""), 412, "stale-revision");
        problem(move("web-1", "{\"hostId\":\"h3\"}", null, "auditor"), 403, "forbidden");

        assertThat(api.manager.snapshot().find(Kind.VM, "web-1").orElseThrow()).isEqualTo(before);
        assertThat(api.dataPlane.agent("h3").orElseThrow().vnics()).isEmpty();
        assertThat(exchange(Packet.ACK, Packet.ACK)).allMatch(Verdict::fromFlowTable);
    }

    private ApiServer.Reply move(String vm, String body, String ifMatch) {
        return move(vm, body, ifMatch, "admin");
    }

    private ApiServer.Reply move(String vm, String body, String ifMatch, String user) {
        var b = api.request("v1/inventory/vms/" + vm + "/move", user).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return api.send(b.build());
    }

    private static JsonNode problem(ApiServer.Reply r, int status, String type) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith(Problem.MEDIA_TYPE);
        assertThat(r.json().get("type").asText()).isEqualTo("urn:ringfence:problem:" + type);
        return r.json();
    }

    /** A segment web-1 → db-1 and one back, each OUT at its sender and IN at its receiver: four verdicts. */
    private List<Verdict> exchange(int webFlags, int dbFlags) {
        Packet out = Packet.tcp(WEB, 40000, DB, 5432, webFlags);
        Packet back = Packet.tcp(DB, 5432, WEB, 40000, dbFlags);
        return List.of(api.dataPlane.process(vnic("web-1"), Direction.OUT, out),
                api.dataPlane.process(vnic("db-1"), Direction.IN, out),
                api.dataPlane.process(vnic("db-1"), Direction.OUT, back),
                api.dataPlane.process(vnic("web-1"), Direction.IN, back));
    }

    private String vnic(String vm) {
        return api.manager.snapshot().find(Kind.VM, vm).orElseThrow().vnics().get(0).id();
    }

    private static void created(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static String vm(String id, String host, String tag, String mac, String address) {
        return """
                {"id":"%s","name":"%s","hostId":"%s","tags":["%s"],
                 "vnics":[{"mac":"%s","addresses":["%s"],"segment":"seg"}]}""".formatted(id, id, host, tag, mac, address);
    }

    private static String group(String id, String tag) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"criteria\":{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"%s\"}}"
                .formatted(id, id, tag);
    }
}
