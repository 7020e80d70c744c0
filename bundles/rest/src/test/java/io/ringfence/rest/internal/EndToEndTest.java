package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain, end to end: policy created over REST (real HTTP server, H2 store, manager,
 * compiler, simulated data center), real frames (written with {@link PacketWriter}, parsed back)
 * between two VMs on different hosts, each frame decided OUT at the sender's vNIC on its host and IN
 * at the receiver's on the other, replies the same way back; then traceflow, rule counters, flow
 * tables and the flow log over REST must agree with what the traffic got. Last, a staged DROP rule
 * over REST counts and logs the traffic it would cut while the traffic still passes, until it is
 * enforced.
 *
 * <p>The data center: web-1 (10.0.1.2, app:web) on h1, app-1 (10.0.2.2, app:app) on h2; policy shop
 * with web-to-app (web to app, tcp/8080, ALLOW, logged) and no-ssh (web to app, tcp/22, REJECT,
 * logged); the default rule drops.
 */
class EndToEndTest {

    static final String WEB = "10.0.1.2";
    static final String APP = "10.0.2.2";
    static final long WEB_MAC = 0x020000000001L;
    static final long APP_MAC = 0x020000000002L;

    ApiServer api;
    /** Every decision the data plane made, in order. */
    final List<Decision> decisions = new ArrayList<>();

    /** One frame decided at one vNIC. */
    record Decision(String vnic, Direction direction, Packet packet, Verdict verdict) {
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void policyOverRestTrafficBetweenHostsAndWhatTheApiReportsAgree(@TempDir Path dir) {
        api = new ApiServer(dir, new RestApplication.Settings(Set.of("admin", "auditor"), Set.of("admin"), Set.of("appliance"), 64 * 1024));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h1\",\"name\":\"h1\"}"));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h2\",\"name\":\"h2\"}"));
        created(api.post("v1/inventory/vms", "admin", """
                {"id":"web-1","name":"web-1","hostId":"h1","tags":["app:web"],
                 "vnics":[{"mac":"02:00:00:00:00:01","addresses":["%s"],"segment":"s"}]}""".formatted(WEB)));
        created(api.post("v1/inventory/vms", "admin", """
                {"id":"app-1","name":"app-1","hostId":"h2","tags":["app:app"],
                 "vnics":[{"mac":"02:00:00:00:00:02","addresses":["%s"],"segment":"s"}]}""".formatted(APP)));
        created(api.post("v1/groups", "admin", """
                {"id":"web","name":"web","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:web"}}"""));
        created(api.post("v1/groups", "admin", """
                {"id":"app","name":"app","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:app"}}"""));
        created(api.post("v1/services", "admin", """
                {"id":"app-api","name":"App API","entries":[{"protocol":"TCP","destinationPorts":["8080"]}]}"""));
        created(api.post("v1/services", "admin", """
                {"id":"ssh","name":"SSH","entries":[{"protocol":"TCP","destinationPorts":["22"]}]}"""));
        created(api.post("v1/policies", "admin", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-to-app","sequence":10,"sources":["web"],"destinations":["app"],"services":["app-api"],
                   "action":"ALLOW","logged":true},
                  {"id":"no-ssh","sequence":20,"sources":["web"],"destinations":["app"],"services":["ssh"],
                   "action":"REJECT","logged":true}]}"""));

        // ---- what traceflow predicts, then what the traffic gets

        JsonNode allowedTrace = trace(40000, 8080);
        JsonNode rejectedTrace = trace(40100, 22);

        int bytesPerConversation = conversation(40000);
        assertThat(conversation(40001)).isEqualTo(bytesPerConversation);
        Decision synOut = decisions.get(0);
        Decision synIn = decisions.get(1);
        assertThat(allowedTrace.get("verdict").asText()).isEqualTo("ALLOW");
        assertStep(allowedTrace.get("steps").get(0), "h1", "web-1-nic0", synOut);
        assertStep(allowedTrace.get("steps").get(1), "h2", "app-1-nic0", synIn);
        assertThat(decisions).allSatisfy(d -> assertThat(d.verdict())
                .extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.ALLOW, "web-to-app"));
        assertThat(decisions).as("two conversations of nine frames, each decided on both hosts").hasSize(36);
        assertThat(decisions).filteredOn(d -> !d.verdict().fromFlowTable()).as("only the SYNs are classified")
                .hasSize(4);

        Packet ssh = wire(segment(WEB, 40100, APP, 22, Packet.SYN, 5000, 0, 0), WEB_MAC, APP_MAC);
        Verdict refused = decide("web-1-nic0", Direction.OUT, ssh);
        assertThat(refused).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.REJECT, "no-ssh");
        assertThat(rejectedTrace.get("verdict").asText()).isEqualTo("REJECT");
        assertThat(rejectedTrace.get("steps")).hasSize(1);
        assertStep(rejectedTrace.get("steps").get(0), "h1", "web-1-nic0", decisions.get(decisions.size() - 1));
        // the reset goes back to web-1 as if app-1 had refused, and reads back as one
        Packet reset = wire(refused.reject(), APP_MAC, WEB_MAC);
        assertThat(reset).extracting(Packet::source, Packet::destination, Packet::sourcePort, Packet::destinationPort,
                        Packet::tcpFlags, Packet::tcpAck)
                .containsExactly(IpPrefix.parse(APP), IpPrefix.parse(WEB), 22, 40100, Packet.RST | Packet.ACK, 5001L);

        // ---- counters: every frame on both hosts, one session per conversation per host

        JsonNode allowed = ok(api.get("v1/stats/rules/web-to-app", "auditor"));
        assertThat(allowed.get("policyId").asText()).isEqualTo("shop");
        assertThat(allowed.get("packets").asLong()).isEqualTo(36);
        assertThat(allowed.get("bytes").asLong()).isEqualTo(4L * bytesPerConversation)
                .isEqualTo(bytes(decisions.subList(0, 36)));
        assertThat(allowed.get("sessions").asLong()).isEqualTo(4);
        assertThat(allowed.get("lastHit").isNull()).isFalse();
        JsonNode rejected = ok(api.get("v1/stats/rules/no-ssh", "auditor"));
        assertThat(rejected.get("packets").asLong()).isEqualTo(1);
        assertThat(rejected.get("bytes").asLong()).isEqualTo(ssh.length()).isEqualTo(40);
        assertThat(rejected.get("sessions").asLong()).isZero();
        assertThat(ok(api.get("v1/stats/rules/default", "auditor")).get("packets").asLong()).isZero();

        // ---- the flow tables: each side has the two conversations, closed down to TIME_WAIT

        JsonNode webFlows = ok(api.get("v1/inventory/vms/web-1/flows", "auditor"));
        JsonNode appFlows = ok(api.get("v1/inventory/vms/app-1/flows", "auditor"));
        assertThat(webFlows).hasSize(2);
        assertThat(appFlows).hasSize(2);
        for (JsonNode f : webFlows) {
            assertThat(f.get("key").get("direction").asText()).isEqualTo("OUT");
            assertThat(f.get("key").get("destinationPort").asInt()).isEqualTo(8080);
            assertThat(f.get("ruleId").asText()).isEqualTo("web-to-app");
            assertThat(f.get("state").asText()).isEqualTo("TIME_WAIT");
            assertThat(f.get("originalPackets").asLong()).isEqualTo(5);
            assertThat(f.get("replyPackets").asLong()).isEqualTo(4);
            assertThat(f.get("originalBytes").asLong() + f.get("replyBytes").asLong()).isEqualTo(bytesPerConversation);
        }
        assertThat(appFlows).allSatisfy(f -> assertThat(f.get("key").get("direction").asText()).isEqualTo("IN"));
        List<Integer> ports = new ArrayList<>();
        webFlows.forEach(f -> ports.add(f.get("key").get("sourcePort").asInt()));
        assertThat(ports).containsExactlyInAnyOrder(40000, 40001);

        // ---- the flow log: each new flow of a logged rule on each host, newest first

        JsonNode log = ok(api.get("v1/flow-log", "auditor"));
        List<String> records = new ArrayList<>();
        log.forEach(r -> records.add(r.get("hostId").asText() + " " + r.get("vmId").asText() + " "
                + r.get("direction").asText() + " " + r.get("sourcePort").asInt() + " " + r.get("ruleId").asText()
                + " " + r.get("verdict").asText()));
        assertThat(records).containsExactly(
                "h1 web-1 OUT 40100 no-ssh REJECT",
                "h2 app-1 IN 40001 web-to-app ALLOW",
                "h1 web-1 OUT 40001 web-to-app ALLOW",
                "h2 app-1 IN 40000 web-to-app ALLOW",
                "h1 web-1 OUT 40000 web-to-app ALLOW");
        assertThat(log).noneMatch(r -> r.get("staged").asBoolean());

        // ---- a staged DROP: the traffic passes, the rule counts and logs what it would have cut

        created(api.post("v1/policies/shop/rules", "admin", """
                {"id":"cut-api","name":"What would cutting web off the API break?","sequence":5,"sources":["web"],
                 "destinations":["app"],"services":["app-api"],"action":"DROP","staged":true,"logged":true}"""));
        JsonNode stagedTrace = trace(40002, 8080);
        assertThat(stagedTrace.get("verdict").asText()).isEqualTo("ALLOW");
        for (JsonNode step : stagedTrace.get("steps")) {
            assertThat(step.get("ruleId").asText()).isEqualTo("web-to-app");
            assertThat(step.get("staged").get("ruleId").asText()).isEqualTo("cut-api");
            assertThat(step.get("staged").get("action").asText()).isEqualTo("DROP");
        }

        int before = decisions.size();
        int bytes = conversation(40002);
        assertThat(decisions.subList(before, decisions.size()))
                .allSatisfy(d -> assertThat(d.verdict().ruleId()).isEqualTo("web-to-app"));
        JsonNode audit = ok(api.get("v1/stats/rules/cut-api", "auditor"));
        assertThat(audit.get("staged").asBoolean()).isTrue();
        assertThat(audit.get("packets").asLong()).as("a staged rule decides nothing").isZero();
        JsonNode wouldBe = audit.get("stagedHits");
        assertThat(wouldBe.get("packets").asLong()).as("the SYN, on each host").isEqualTo(2);
        assertThat(wouldBe.get("bytes").asLong()).isEqualTo(2L * decisions.get(before).packet().length());
        assertThat(wouldBe.get("sessions").asLong()).as("the connection it would have stopped, on each host")
                .isEqualTo(2);
        assertThat(wouldBe.get("lastHit").isNull()).isFalse();
        assertThat(bytes).isEqualTo(bytesPerConversation);
        assertThat(ok(api.get("v1/stats/rules/web-to-app", "auditor")).get("bytes").asLong())
                .isEqualTo(6L * bytesPerConversation);

        JsonNode stagedLog = ok(api.get("v1/flow-log?staged=true", "auditor"));
        assertThat(stagedLog).hasSize(2);
        for (JsonNode r : stagedLog) {
            assertThat(r.get("staged").asBoolean()).isTrue();
            assertThat(r.get("ruleId").asText()).isEqualTo("cut-api");
            assertThat(r.get("verdict").asText()).isEqualTo("DROP");
            assertThat(r.get("actualRuleId").asText()).isEqualTo("web-to-app");
            assertThat(r.get("actualVerdict").asText()).isEqualTo("ALLOW");
            assertThat(r.get("sourcePort").asInt()).isEqualTo(40002);
        }
        assertThat(ok(api.get("v1/flow-log?staged=false", "auditor"))).hasSize(7);

        // ---- enforced: now it cuts, as its would-be hits said it would

        ApiServer.Reply rule = api.get("v1/policies/shop/rules/cut-api", "admin");
        assertThat(api.put("v1/policies/shop/rules/cut-api", "admin", """
                {"sequence":5,"sources":["web"],"destinations":["app"],"services":["app-api"],"action":"DROP",
                 "logged":true}""", rule.header("ETag")).status()).isEqualTo(200);
        assertThat(trace(40003, 8080).get("verdict").asText()).isEqualTo("DROP");
        Verdict cut = decide("web-1-nic0", Direction.OUT,
                wire(segment(WEB, 40003, APP, 8080, Packet.SYN, 1, 0, 0), WEB_MAC, APP_MAC));
        assertThat(cut).extracting(Verdict::action, Verdict::ruleId).containsExactly(Action.DROP, "cut-api");
        assertThat(ok(api.get("v1/stats/rules/cut-api", "auditor")).get("packets").asLong()).isEqualTo(1);
    }

    // ---- traffic

    /**
     * A TCP conversation web-1:port → app-1:8080: handshake, a request and its answer, a close from
     * each side. Each frame crosses the sender's vNIC OUT and then the receiver's IN. Returns the
     * bytes of the frames (IP lengths), counted once.
     */
    private int conversation(int port) {
        long c = 1000L * port;
        long s = 7000L * port;
        List<Packet> frames = List.of(
                segment(WEB, port, APP, 8080, Packet.SYN, c, 0, 0),
                segment(APP, 8080, WEB, port, Packet.SYN | Packet.ACK, s, c + 1, 0),
                segment(WEB, port, APP, 8080, Packet.ACK, c + 1, s + 1, 0),
                segment(WEB, port, APP, 8080, Packet.PSH | Packet.ACK, c + 1, s + 1, 100),
                segment(APP, 8080, WEB, port, Packet.ACK, s + 1, c + 101, 0),
                segment(APP, 8080, WEB, port, Packet.PSH | Packet.ACK, s + 1, c + 101, 300),
                segment(WEB, port, APP, 8080, Packet.FIN | Packet.ACK, c + 101, s + 301, 0),
                segment(APP, 8080, WEB, port, Packet.FIN | Packet.ACK, s + 301, c + 102, 0),
                segment(WEB, port, APP, 8080, Packet.ACK, c + 102, s + 302, 0));
        int bytes = 0;
        for (Packet p : frames) {
            boolean fromWeb = p.source().equals(IpPrefix.parse(WEB));
            Packet frame = fromWeb ? wire(p, WEB_MAC, APP_MAC) : wire(p, APP_MAC, WEB_MAC);
            String from = fromWeb ? "web-1-nic0" : "app-1-nic0";
            String to = fromWeb ? "app-1-nic0" : "web-1-nic0";
            assertThat(decide(from, Direction.OUT, frame).allowed()).as("OUT %s", p).isTrue();
            assertThat(decide(to, Direction.IN, frame).allowed()).as("IN %s", p).isTrue();
            bytes += frame.length();
        }
        return bytes;
    }

    private Verdict decide(String vnic, Direction direction, Packet frame) {
        Verdict v = api.dataPlane.process(vnic, direction, frame);
        decisions.add(new Decision(vnic, direction, frame, v));
        return v;
    }

    private static Packet segment(String from, int fromPort, String to, int toPort, int flags, long seq, long ack,
                                  int payload) {
        return new Packet(IpFamily.IPV4, IpPrefix.parse(from), IpPrefix.parse(to), Packet.TCP, fromPort, toPort,
                flags, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, 65535, -1, -1, 0, null, 64, 0, new byte[payload]);
    }

    /** The packet as it crosses a vNIC: an Ethernet frame written, then parsed (checksums checked). */
    private static Packet wire(Packet p, long sourceMac, long destinationMac) {
        return PacketParser.parseEthernet(PacketWriter.toEthernet(p, sourceMac, destinationMac));
    }

    private static long bytes(List<Decision> decisions) {
        return decisions.stream().mapToLong(d -> d.packet().length()).sum();
    }

    // ---- the API

    private JsonNode trace(int sourcePort, int port) {
        return ok(api.post("v1/traceflow", "auditor", """
                {"source":"web-1","destination":"app-1","protocol":"TCP","sourcePort":%d,"destinationPort":%d}"""
                .formatted(sourcePort, port)));
    }

    /** A traceflow step names the host, vNIC, rule and action the data plane used for that packet. */
    private static void assertStep(JsonNode step, String host, String vnic, Decision actual) {
        assertThat(step.get("hostId").asText()).isEqualTo(host);
        assertThat(step.get("vnicId").asText()).isEqualTo(actual.vnic()).isEqualTo(vnic);
        assertThat(step.get("direction").asText()).isEqualTo(actual.direction().name());
        assertThat(step.get("decidedBy").asText()).isEqualTo("RULE");
        assertThat(step.get("ruleId").asText()).isEqualTo(actual.verdict().ruleId());
        assertThat(step.get("action").asText()).isEqualTo(actual.verdict().action().name());
        assertThat(step.get("generation").asLong()).isEqualTo(actual.verdict().generation());
        assertThat(step.get("policyId").asText()).isEqualTo("shop");
        assertThat(step.has("staged")).isFalse();
    }

    private static JsonNode ok(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static void created(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
}
