package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.ProfileValidation;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.PartnerProfileValidator;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.Verdict;
import io.ringfence.spi.inspection.VnicDirection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partners' side of service insertion over real HTTP with a real database: definitions from a
 * real registry of two small test functions, profiles checked against their schemas, and the
 * runtime's chain and function counters and alerts, with flows driven through the runtime by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceInsertionRuntimeApiTest {

    private static final String BASE = "v1/service-insertion/";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final AtomicLong FLOWS = new AtomicLong();

    /** acme/ids: its schema asks for a tenant; a payload holding "attack" is dropped with an alert. */
    static final ProfileSchema IDS_SCHEMA = ProfileSchema.of(
            ProfileParameter.string("mode", "detect or prevent", "prevent").allowing("detect", "prevent"),
            ProfileParameter.integer("depth", "bytes inspected per flow", 4096L, 0, 65_536),
            ProfileParameter.string("tenant", "whose rules", null).asRequired().withMaxLength(8));

    FunctionRegistry registry;
    ServiceInsertionManager insertion;
    ApiServer api;

    @BeforeAll
    void start(@TempDir Path dir) {
        registry = new FunctionRegistry(new InsertionConfig(2, 64, Duration.ZERO, Duration.ZERO, 5,
                Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(1), 100), Clock.systemUTC(), System::nanoTime);
        registry.add(function("ids", "1.2.0", IDS_SCHEMA, this::idsVerdict), 41, 0);
        registry.add(function("av", "2.0.0", ProfileSchema.EMPTY, (p, alerts) -> Verdict.PASS), 42, 0);
        insertion = new ServiceInsertionManager(registry);
        api = new ApiServer(dir, RestApplication.Settings.DEFAULT, new PartnerProfileValidator(registry),
                new InsertionRuntime(registry, insertion));
    }

    @AfterAll
    void stop() {
        api.close();
        registry.close();
    }

    interface Behaviour {
        Verdict inspect(InspectedPacket packet, AlertSink alerts);
    }

    private Verdict idsVerdict(InspectedPacket packet, AlertSink alerts) {
        ByteBuffer payload = packet.payload();
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        if (new String(bytes, StandardCharsets.US_ASCII).contains("attack")) {
            alerts.alert(new Alert("sig-7", "attack in the payload", Alert.Severity.HIGH, true));
            return Verdict.DROP;
        }
        return Verdict.PASS;
    }

    static InspectionService function(String name, String version, ProfileSchema schema, Behaviour behaviour) {
        InspectionDescriptor d = new InspectionDescriptor("acme", name, version, name + " for tests", schema, true, false);
        return new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                return d;
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                return packet -> behaviour.inspect(packet, alerts);
            }
        };
    }

    // ---- helpers

    static String uid(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    /** Audit entries so far: every committed change adds exactly one. */
    long changes() {
        return api.get("v1/audit?limit=1", "admin").json().get("total").asLong();
    }

    /** Runs a refused request: its problem document, nothing committed, the object as before. */
    ApiServer.Reply refused(int status, String objectPath, Supplier<ApiServer.Reply> request) {
        long before = changes();
        String objectBefore = objectPath == null ? null : api.get(objectPath, "admin").body();
        ApiServer.Reply r = request.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).isNotBlank();
        assertThat(changes()).as("nothing committed").isEqualTo(before);
        if (objectPath != null) {
            assertThat(api.get(objectPath, "admin").body()).isEqualTo(objectBefore);
        }
        return r;
    }

    private static List<String> fields(ApiServer.Reply r) {
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    String created(String path, String json) {
        var r = api.post(path, "admin", json);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    String idsProfile() {
        return created(BASE + "profiles", "{\"name\":\"" + uid("ids") + "\",\"definition\":\"acme/ids\","
                + "\"values\":{\"tenant\":\"blue\"}}");
    }

    String chain(String... profiles) {
        return created(BASE + "chains", "{\"name\":\"" + uid("chain") + "\",\"profiles\":[\"" + String.join("\",\"", profiles)
                + "\"],\"failurePolicy\":\"BLOCK\"}");
    }

    /** A flow through the chain as the data plane would steer it: the runtime's chain under the model chain's id. */
    ChainSession flow(String chainId, String profileId) {
        Profile profile = ProfileValidation.validate(IDS_SCHEMA, profileId, profileId, Map.of("tenant", "blue")).profile();
        ChainSpec spec = ChainSpec.symmetric(chainId, List.of(new ChainHop(profileId, "acme/ids", profile)),
                FailurePolicy.BLOCK, Duration.ofSeconds(5));
        try {
            return insertion.open(spec, new FlowContext(FLOWS.incrementAndGet(), "web-01-nic0", VnicDirection.OUT,
                    "web-01", "web-01", List.of(), FlowContext.TCP, InetAddress.getByName("10.0.0.1"), 40000,
                    InetAddress.getByName("10.0.0.2"), 80));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InspectedPacket packet(PacketSide side, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return new InspectedPacket(side, 0x18, 1, 40 + bytes.length, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    // ---- definitions

    @Test
    void definitionsAreListedWithTheirInstancesAndProfileSchema() {
        JsonNode page = api.get(BASE + "definitions", "auditor").json();
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("items").findValuesAsText("id")).containsExactly("acme/av", "acme/ids");

        var ids = api.get(BASE + "definitions/acme/ids", "auditor");
        assertThat(ids.status()).as(ids.toString()).isEqualTo(200);
        JsonNode d = ids.json();
        assertThat(d.get("vendor").asText()).isEqualTo("acme");
        assertThat(d.get("name").asText()).isEqualTo("ids");
        assertThat(d.get("description").asText()).isEqualTo("ids for tests");
        assertThat(d.get("available").asBoolean()).isTrue();
        JsonNode instance = d.get("instances").get(0);
        assertThat(instance.get("version").asText()).isEqualTo("1.2.0");
        assertThat(instance.get("serviceId").asLong()).isEqualTo(41);
        assertThat(instance.get("health").asText()).isEqualTo("UP");
        assertThat(instance.get("acceptsFlows").asBoolean()).isTrue();
        assertThat(instance.get("exportsState").asBoolean()).isTrue();
        assertThat(instance.get("importsState").asBoolean()).isFalse();
        JsonNode schema = d.get("profileSchema");
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("required").toString()).isEqualTo("[\"tenant\"]");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.get("properties").get("mode").toString())
                .isEqualTo("{\"type\":\"string\",\"enum\":[\"detect\",\"prevent\"],\"description\":\"detect or prevent\","
                        + "\"default\":\"prevent\"}");
        assertThat(schema.get("properties").get("depth").get("maximum").asLong()).isEqualTo(65_536);
    }

    @Test
    void definitionsArePagedAndFiltered() {
        var first = api.get(BASE + "definitions?limit=1", "auditor");
        assertThat(first.json().get("items").findValuesAsText("id")).containsExactly("acme/av");
        assertThat(first.header("Link")).contains("offset=1").contains("rel=\"next\"");
        assertThat(api.get(BASE + "definitions?offset=1&limit=1", "auditor").json().get("items").findValuesAsText("id"))
                .containsExactly("acme/ids");
        assertThat(api.get(BASE + "definitions?offset=5", "auditor").json().get("items").size()).isZero();
        assertThat(api.get(BASE + "definitions?vendor=acme&name=av", "auditor").json().get("items")
                .findValuesAsText("id")).containsExactly("acme/av");
        assertThat(api.get(BASE + "definitions?q=ID", "auditor").json().get("items").findValuesAsText("id"))
                .containsExactly("acme/ids");
        assertThat(api.get(BASE + "definitions?vendor=globex", "auditor").json().get("total").asInt()).isZero();
        refused(400, null, () -> api.get(BASE + "definitions?version=1", "auditor"));
        refused(400, null, () -> api.get(BASE + "definitions?limit=0", "auditor"));
        var missing = refused(404, null, () -> api.get(BASE + "definitions/acme/waf", "auditor"));
        assertThat(missing.json().get("detail").asText()).contains("acme/waf");
        refused(404, null, () -> api.get(BASE + "definitions/acme", "auditor"));
    }

    // ---- profiles against the schema

    @Test
    void aProfileOfAnUnknownDefinitionIsRefusedWithAPointerToItsDefinition() {
        var r = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"globex/waf\",\"values\":{}}"));
        assertThat(fields(r)).containsExactly("/definition");
        assertThat(r.json().get("errors").get(0).get("message").asText())
                .isEqualTo("no partner registers the service definition 'globex/waf'; registered: acme/av, acme/ids");
    }

    @Test
    void valuesOutOfTheSchemaAreRefusedWithAPointerToEachParameter() {
        var r = refused(422, null, () -> api.post(BASE + "profiles", "admin", """
                {"name":"p","definition":"acme/ids","values":{"mode":"block","depth":70000,"tenant":"a-long-tenant","colour":"red"}}"""));
        assertThat(fields(r)).containsExactly("/values/colour", "/values/mode", "/values/depth", "/values/tenant");
        assertThat(r.json().get("errors").findValuesAsText("message")).containsExactly(
                "the function has no parameter colour", "must be one of [detect, prevent]", "must be between 0 and 65536",
                "must be at most 8 characters");
        var missing = refused(422, null, () -> api.post(BASE + "profiles", "admin",
                "{\"name\":\"p\",\"definition\":\"acme/ids\",\"values\":{\"depth\":\"deep\"}}"));
        assertThat(fields(missing)).containsExactly("/values/depth", "/values/tenant");
        assertThat(missing.json().get("errors").findValuesAsText("message"))
                .containsExactly("must be an integer, not a string", "is required");

        String id = idsProfile();
        refused(422, BASE + "profiles/" + id, () -> api.put(BASE + "profiles/" + id, "admin",
                "{\"name\":\"p\",\"definition\":\"acme/ids\",\"values\":{\"tenant\":\"blue\",\"mode\":\"off\"}}", null));
        refused(422, BASE + "profiles/" + id, () -> api.put(BASE + "profiles/" + id, "admin",
                "{\"name\":\"p\",\"definition\":\"acme/av\",\"values\":{\"tenant\":\"blue\"}}", null));
    }

    @Test
    void aProfileFittingTheSchemaIsStoredAsWritten() {
        var r = api.post(BASE + "profiles", "admin",
                "{\"name\":\"IDS, blue\",\"definition\":\"acme/ids\",\"values\":{\"tenant\":\"blue\",\"depth\":512.0}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        // defaults are the function's to fill in, at run time: the admin's profile keeps what was written
        assertThat(r.json().get("values").toString()).isEqualTo("{\"tenant\":\"blue\",\"depth\":512.0}");
        assertThat(api.post(BASE + "profiles", "admin", "{\"name\":\"AV\",\"definition\":\"acme/av\"}").status())
                .isEqualTo(201);
    }

    // ---- counters and alerts

    @Test
    void chainStatsCountTheVerdictsOfTheChainsFlows() {
        String profile = idsProfile();
        String chain = chain(profile);
        JsonNode before = api.get(BASE + "chains/" + chain + "/stats", "auditor").json();
        assertThat(before.get("chainId").asText()).isEqualTo(chain);
        assertThat(before.get("packets").asLong()).isZero();
        assertThat(before.get("latency").get("count").asLong()).isZero();

        ChainSession flow = flow(chain, profile);
        assertThat(flow.process(packet(PacketSide.ORIGINAL, "GET / HTTP/1.1")).verdict()).isEqualTo(Verdict.PASS);
        assertThat(flow.process(packet(PacketSide.REPLY, "HTTP/1.1 200 OK")).verdict()).isEqualTo(Verdict.PASS);
        assertThat(flow.process(packet(PacketSide.ORIGINAL, "an attack")).verdict()).isEqualTo(Verdict.DROP);
        flow.close();

        JsonNode stats = api.get(BASE + "chains/" + chain + "/stats", "auditor").json();
        assertThat(stats.get("packets").asLong()).isEqualTo(3);
        assertThat(stats.get("passed").asLong()).isEqualTo(2);
        assertThat(stats.get("dropped").asLong()).isEqualTo(1);
        assertThat(stats.get("rejected").asLong()).isZero();
        assertThat(stats.get("bypassed").asLong()).isZero();
        assertThat(stats.get("failures").size()).isZero();
        assertThat(stats.get("sessionsTotal").asLong()).isEqualTo(1);
        assertThat(stats.get("sessionsOpen").asLong()).isZero();
        assertThat(stats.get("latency").get("count").asLong()).isEqualTo(3);
        assertThat(stats.get("latency").get("maxNanos").asLong()).isPositive();

        refused(404, null, () -> api.get(BASE + "chains/no-such-chain/stats", "auditor"));
    }

    @Test
    void functionStatsCountEachInstancesVerdicts() {
        String profile = idsProfile();
        ChainSession flow = flow(chain(profile), profile);
        flow.process(packet(PacketSide.ORIGINAL, "attack"));
        flow.close();

        JsonNode all = api.get(BASE + "functions/stats", "auditor").json();
        assertThat(all.findValuesAsText("definitionId")).containsExactly("acme/av", "acme/ids");
        JsonNode ids = all.get(1);
        assertThat(ids.get("version").asText()).isEqualTo("1.2.0");
        assertThat(ids.get("serviceId").asLong()).isEqualTo(41);
        assertThat(ids.get("packets").asLong()).isPositive();
        assertThat(ids.get("verdicts").get("DROP").asLong()).isPositive();
        assertThat(ids.get("sessionsOpened").asLong()).isPositive();
        assertThat(ids.get("latency").get("count").asLong()).isEqualTo(ids.get("packets").asLong());
        assertThat(all.get(0).get("packets").asLong()).isZero();
    }

    @Test
    void alertsAreServedNewestFirstByDefinition() {
        String profile = idsProfile();
        String chain = chain(profile);
        ChainSession flow = flow(chain, profile);
        flow.process(packet(PacketSide.ORIGINAL, "first attack"));
        flow.process(packet(PacketSide.ORIGINAL, "second attack"));
        flow.close();

        JsonNode alerts = api.get(BASE + "alerts?definition=acme/ids&limit=2", "auditor").json();
        assertThat(alerts.size()).isEqualTo(2);
        JsonNode newest = alerts.get(0);
        assertThat(newest.get("definitionId").asText()).isEqualTo("acme/ids");
        assertThat(newest.get("version").asText()).isEqualTo("1.2.0");
        assertThat(newest.get("chainId").asText()).isEqualTo(chain);
        assertThat(newest.get("profileId").asText()).isEqualTo(profile);
        assertThat(newest.get("vmId").asText()).isEqualTo("web-01");
        assertThat(newest.get("vnicId").asText()).isEqualTo("web-01-nic0");
        assertThat(newest.get("signature").asText()).isEqualTo("sig-7");
        assertThat(newest.get("severity").asText()).isEqualTo("HIGH");
        assertThat(newest.get("blocked").asBoolean()).isTrue();
        assertThat(newest.get("time").asText()).isGreaterThanOrEqualTo(alerts.get(1).get("time").asText());

        assertThat(api.get(BASE + "alerts", "auditor").json().findValuesAsText("definitionId")).isNotEmpty()
                .containsOnly("acme/ids");
        assertThat(api.get(BASE + "alerts?definition=acme/av", "auditor").json().size()).isZero();
        refused(400, null, () -> api.get(BASE + "alerts?limit=1001", "auditor"));
        refused(400, null, () -> api.get(BASE + "alerts?limit=many", "auditor"));
    }

    // ---- access, the document, and a server without the runtime

    @Test
    void auditorsReadTheRuntimeButNobodyWithoutARoleDoes() {
        assertThat(api.get(BASE + "definitions", "auditor").status()).isEqualTo(200);
        assertThat(api.get(BASE + "functions/stats", "auditor").status()).isEqualTo(200);
        refused(403, null, () -> api.get(BASE + "alerts", "nobody"));
        refused(401, null, () -> api.get(BASE + "definitions", null));
        refused(405, null, () -> api.post(BASE + "definitions", "admin", "{}"));
    }

    @Test
    void openApiDescribesTheRuntimesResources() {
        JsonNode doc = api.get("v1/openapi.json", "auditor").json();
        for (String p : List.of("/v1/service-insertion/definitions", "/v1/service-insertion/definitions/{vendor}/{name}",
                "/v1/service-insertion/chains/{id}/stats", "/v1/service-insertion/functions/stats",
                "/v1/service-insertion/alerts")) {
            assertThat(doc.get("paths").has(p)).as(p).isTrue();
        }
        JsonNode schemas = doc.get("components").get("schemas");
        for (String s : List.of("DefinitionView", "InstanceView", "ChainStatsView", "FunctionStatsView", "AlertView",
                "LatencyView")) {
            assertThat(schemas.has(s)).as(s).isTrue();
        }
        assertThat(doc.get("paths").get("/v1/service-insertion/profiles").get("post").get("responses").has("503"))
                .isTrue();
        assertThat(doc.get("components").get("responses").has("Unavailable")).isTrue();
    }

    @Test
    void withoutTheRuntimeItsRequestsAnswer503AndProfilesCannotBeWritten(@TempDir Path dir) {
        try (ApiServer bare = new ApiServer(dir, RestApplication.Settings.DEFAULT, InsertionRuntime.PROFILES_UNCHECKED,
                InsertionRuntime.NONE)) {
            for (String path : List.of("definitions", "definitions/acme/ids", "functions/stats", "alerts")) {
                var r = bare.get(BASE + path, "admin");
                assertThat(r.status()).as(path + " " + r).isEqualTo(503);
                assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            }
            var profile = bare.post(BASE + "profiles", "admin", "{\"name\":\"p\",\"definition\":\"acme/av\"}");
            assertThat(profile.status()).as(profile.toString()).isEqualTo(503);
            assertThat(profile.json().get("detail").asText()).contains("nothing was changed");
            assertThat(bare.get("v1/audit?limit=1", "admin").json().get("total").asLong()).isZero();
            assertThat(bare.get(BASE + "profiles", "admin").json().get("total").asLong()).isZero();
            assertThat(bare.get("v1/groups", "admin").status()).isEqualTo(200);
        }
    }
}
