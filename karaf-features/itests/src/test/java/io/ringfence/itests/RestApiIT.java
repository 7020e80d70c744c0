package io.ringfence.itests;

import static io.ringfence.itests.ApiClient.Credentials.ADMIN;
import static io.ringfence.itests.ApiClient.Credentials.ANONYMOUS;
import static io.ringfence.itests.ApiClient.Credentials.AUDITOR;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.store.ModelStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The distribution as installed: every Ringfence bundle active, the model services up, and the
 * REST API's authentication, authorization and create/read round trip over loopback HTTP.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestApiIT extends RingfenceTestSupport {

    /** The bundles the distribution's Ringfence features install: ringfence, ringfence-samples, the partner samples. */
    private static final Set<String> RINGFENCE_BUNDLES = Set.of(
            "ringfence-spi", "ringfence-framework-core", "ringfence-store-jdbc", "ringfence-rest", "ringfence-shell",
            "ringfence-demo",
            "ringfence-sample-l7-appid", "ringfence-sample-ids-signatures");

    private static final String HTTPS_SERVICE =
            "{\"name\":\"HTTPS\",\"entries\":[{\"protocol\":\"TCP\",\"destinationPorts\":[\"443\"]}]}";

    @Inject
    @Filter(timeout = 60_000)
    private ModelService modelService;

    @Inject
    @Filter(timeout = 60_000)
    private ModelAdminService modelAdminService;

    @Inject
    @Filter(timeout = 60_000)
    private ModelStore modelStore;

    @Inject
    @Filter(timeout = 60_000)
    private PolicyCompilerService policyCompiler;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    @Filter(timeout = 60_000)
    private SessionFactory sessionFactory;

    private ApiClient api;

    @Before
    public void awaitApi() {
        api = api();
        awaitApi(api, "/api/v1/groups");
    }

    @Test
    public void everyRingfenceBundleIsActive() {
        var states = Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("ringfence"))
                .collect(Collectors.toMap(Bundle::getSymbolicName, b -> stateName(b.getState()), (a, b) -> a + "," + b,
                        TreeMap::new));
        assertTrue("missing Ringfence bundles; installed: " + states,
                states.keySet().containsAll(RINGFENCE_BUNDLES));
        states.forEach((name, state) -> assertEquals(name + " state; all: " + states, "ACTIVE", state));
    }

    @Test
    public void everyRingfenceComponentIsSatisfied() {
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("ringfence")) {
                continue;
            }
            components++;
            if (!scr.isComponentEnabled(description)) {
                problems.add(description.name + ": disabled");
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                problems.add(description.name + ": no configuration (configuration policy "
                        + description.configurationPolicy + ")");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE
                        && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + ": state " + configuration.state + ", unsatisfied references "
                            + Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name + " " + r.target)
                                    .collect(Collectors.toList())
                            + (configuration.failure == null ? "" : ", failure " + configuration.failure));
                }
            }
        }
        assertTrue("no Ringfence DS component found", components >= 4);
        assertTrue(String.join("\n", problems), problems.isEmpty());
    }

    @Test
    public void theConsoleCommandsAnswerFromTheModelAndTheDataPlane() throws Exception {
        // the shell extender registers the commands once the bundle is active; wait for the first one
        await().atMost(API_TIMEOUT).ignoreExceptions().until(() -> console("ringfence:policies").contains("Category"));

        String policies = console("ringfence:policies");
        for (var p : modelService.snapshot().policies()) {
            assertTrue(p.id() + " listed in:\n" + policies, policies.contains(p.id()));
        }
        JsonNode ruleStats = ApiClient.MAPPER.readTree(console("ringfence:rule-stats --json"));
        assertTrue("rule-stats lists the default rule last: " + ruleStats,
                ruleStats.size() > 0 && "default".equals(ruleStats.get(ruleStats.size() - 1).get("ruleId").asText()));
        String hosts = console("ringfence:hosts");
        modelService.snapshot().hosts().forEach(h -> assertTrue(h.id() + " in:\n" + hosts, hosts.contains(h.id())));
        String refused = console("ringfence:flows no-such-vm");
        assertTrue(refused, refused.contains("no VM no-such-vm"));
    }

    /** What a console command printed (or the error it ended with). */
    private String console(String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute(command);
        } catch (Exception e) {
            out.println(e.getMessage());
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void modelServicesAndStoreAreRegistered() {
        assertNotNull(modelService);
        assertNotNull(modelAdminService);
        assertNotNull(modelStore);
        assertNotNull(bundleContext.getServiceReference(ModelService.class));
        assertNotNull(bundleContext.getServiceReference(ModelStore.class));
        assertNotNull(modelService.snapshot());
    }

    @Test
    public void anonymousRequestIsChallengedForBasicCredentials() {
        ApiClient.Response response = api.get("/api/v1/groups", ANONYMOUS);
        assertEquals(response.toString(), 401, response.status());
        String challenge = response.header("WWW-Authenticate").orElse("");
        assertTrue("WWW-Authenticate: " + challenge, challenge.regionMatches(true, 0, "Basic", 0, 5));
    }

    @Test
    public void wrongPasswordIsRejected() {
        ApiClient.Response response = api.get("/api/v1/groups", new ApiClient.Credentials("admin", "not-the-password"));
        assertEquals(response.toString(), 401, response.status());
    }

    @Test
    public void auditorMayReadButNotWrite() {
        ApiClient.Response read = api.get("/api/v1/groups", AUDITOR);
        assertEquals(read.toString(), 200, read.status());

        ApiClient.Response write = api.post("/api/v1/services", AUDITOR, HTTPS_SERVICE);
        assertEquals(write.toString(), 403, write.status());
    }

    @Test
    public void aVirtualApplianceRegistersPullsItsSliceAndRealizesIt() {
        ApiClient.Credentials appliance = new ApiClient.Credentials("appliance", "appliance");
        String appliances = "/api/v1/enforcement/appliances";
        ApiClient.Response registered = api.post(appliances, appliance,
                "{\"id\":\"it-appliance\",\"hosts\":[\"esx-01\"],\"deltas\":true}");
        assertEquals(registered.toString(), 201, registered.status());
        try {
            // the enforcement component feeds the session like any target: a full state of esx-01 first
            ApiClient.Response pulled = api.get(appliances + "/it-appliance/updates?after=0&wait=10s", appliance);
            assertEquals(pulled.toString(), 200, pulled.status());
            JsonNode update = pulled.json();
            assertTrue(pulled.toString(), update.path("full").asBoolean());
            assertTrue(pulled.toString(), update.path("ruleSets").size() > 0);
            StringBuilder realized = new StringBuilder();
            for (JsonNode set : update.path("ruleSets")) {
                realized.append(realized.length() == 0 ? "" : ",").append('"').append(set.path("vnicId").asText())
                        .append("\":").append(set.path("generation").asLong());
            }
            ApiClient.Response ack = api.post(appliances + "/it-appliance/acknowledgements", appliance,
                    "{\"sequence\":" + update.path("sequence").asLong() + ",\"realized\":{" + realized + "}}");
            assertEquals(ack.toString(), 204, ack.status());

            JsonNode status = api.get(appliances + "/it-appliance", AUDITOR).json();
            assertEquals(status.toString(), update.path("sequence").asLong(), status.path("acknowledged").asLong());
            assertEquals(status.toString(), update.path("ruleSets").size(), status.path("realized").size());
            // the appliance's user may do nothing else
            assertEquals(403, api.get("/api/v1/groups", appliance).status());
            assertEquals(403, api.get(appliances, appliance).status());
        } finally {
            ApiClient.Response deleted = api.delete(appliances + "/it-appliance", ADMIN);
            assertEquals(deleted.toString(), 204, deleted.status());
        }
    }

    @Test
    public void adminCreatesAServiceAndReadsItBack() {
        ApiClient.Response created = api.post("/api/v1/services", ADMIN, HTTPS_SERVICE);
        assertEquals(created.toString(), 201, created.status());
        String location = created.header("Location").orElse(null);
        String etag = created.header("ETag").orElse(null);
        assertNotNull("Location: " + created, location);
        assertNotNull("ETag: " + created, etag);
        String id = created.json().path("id").asText();
        assertFalse("id: " + created, id.isEmpty());
        assertTrue("Location " + location + " names " + id, location.endsWith("/api/v1/services/" + id));

        ApiClient.Response read = api.get(location, AUDITOR);
        assertEquals(read.toString(), 200, read.status());
        assertEquals(etag, read.header("ETag").orElse(null));
        JsonNode service = read.json();
        assertEquals(id, service.path("id").asText());
        assertEquals("HTTPS", service.path("name").asText());
        JsonNode entry = service.path("entries").path(0);
        assertEquals("TCP", entry.path("protocol").asText());
        assertEquals("443", entry.path("destinationPorts").path(0).asText());
    }

    @Test
    public void openApiDocumentDescribesTheGroups() {
        ApiClient.Response response = api.get("/api/v1/openapi.json", AUDITOR);
        assertEquals(response.toString(), 200, response.status());
        Set<String> paths = new TreeSet<>();
        response.json().path("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue("paths: " + paths, paths.contains("/v1/groups") || paths.contains("/groups")
                || paths.contains("/api/v1/groups"));
    }

    @Test
    public void demoDataCenterIsLoaded() {
        // the demo loads when its component activates, which can be just after the API comes up
        await("demo groups").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode page = api.get("/api/v1/groups", AUDITOR).json();
            return page.path("items").isArray() && page.path("items").size() > 0;
        });
        JsonNode page = api.get("/api/v1/groups", AUDITOR).json();
        assertTrue("total: " + page, page.path("total").asInt() > 0);
        assertTrue("hosts", api.get("/api/v1/inventory/hosts", AUDITOR).json().path("total").asInt() > 0);
        assertTrue("vms", api.get("/api/v1/inventory/vms", AUDITOR).json().path("total").asInt() > 0);
        assertTrue("policies", api.get("/api/v1/policies", AUDITOR).json().path("total").asInt() > 0);
    }

    @Test
    public void effectiveRulesOfADemoVmComeFromTheRegisteredCompiler() {
        assertNotNull(bundleContext.getServiceReference(PolicyCompilerService.class));
        // the demo loads when its component activates, which can be just after the API comes up
        String path = "/api/v1/inventory/vms/web-01/effective-rules";
        await("effective rules of web-01").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get(path, AUDITOR).status() == 200);
        ApiClient.Response response = api.get(path, AUDITOR);
        assertEquals(response.toString(), 200, response.status());
        JsonNode vnic = response.json().path("vnics").path(0);
        assertEquals(response.toString(), "web-01-nic0", vnic.path("vnicId").asText());
        assertEquals(response.toString(), "esx-01", vnic.path("hostId").asText());
        JsonNode webIn = null;
        for (JsonNode entry : vnic.path("in")) {
            if (entry.path("ruleId").asText().equals("web-in")) {
                webIn = entry;
            }
        }
        assertNotNull("an IN entry of rule web-in: " + response, webIn);
        assertTrue("web-in admits any source: " + webIn, webIn.path("remote").path("any").asBoolean());
        assertEquals("shop", webIn.path("policyId").asText());
        assertEquals("DROP", vnic.path("defaultAction").asText());
        assertTrue("generation " + policyCompiler.generation(), policyCompiler.generation() >= 1);
        assertEquals(policyCompiler.ruleSetsOfVm("web-01").get(0).in().size(), vnic.path("in").size());
    }

    @Test
    public void demoTrafficShowsInTheRuleCounters() {
        // the demo traffic plays a round per second once the demo and the data plane are up
        String path = "/api/v1/stats/rules/web-to-app";
        await("sessions of web-to-app").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    ApiClient.Response r = api.get(path, AUDITOR);
                    return r.status() == 200 && r.json().path("sessions").asLong() > 0;
                });
        JsonNode stats = api.get(path, AUDITOR).json();
        assertEquals(stats.toString(), "shop", stats.path("policyId").asText());
        assertTrue(stats.toString(), stats.path("packets").asLong() > 0);
    }

    @Test
    public void thePartnerSamplesBootWithTheDistributionAndTheDemoProfilesFitTheirSchemas() {
        String definitions = "/api/v1/service-insertion/definitions";
        await("both partner samples registered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get(definitions, AUDITOR).json().path("total").asInt() == 2);
        List<String> ids = new ArrayList<>();
        api.get(definitions, AUDITOR).json().path("items").forEach(d -> ids.add(d.path("id").asText()));
        assertEquals(List.of("ringfence-samples/ids-signatures", "ringfence-samples/l7-appid"), ids);

        // written back unchanged, each demo profile passes the partners' check (else 422) and changes nothing
        await("demo profiles").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/api/v1/service-insertion/profiles/shop-ids", AUDITOR).status() == 200);
        for (String id : List.of("api-http-only", "shop-ids")) {
            String path = "/api/v1/service-insertion/profiles/" + id;
            ApiClient.Response read = api.get(path, ADMIN);
            ObjectNode body = (ObjectNode) read.json();
            body.remove(List.of("id", "revision"));
            ApiClient.Response written = api.put(path, ADMIN, read.header("ETag").orElseThrow(), body.toString());
            assertEquals(written.toString(), 200, written.status());
            assertEquals(written.toString(), read.header("ETag"), written.header("ETag"));
        }
    }

    @Test
    public void theDemoTrafficGoesThroughTheDemoChainAndTheIdsReportsTheSuspiciousCalls() {
        // the web tier's API calls go through l7-appid and ids-signatures; one in five names cmd.exe (alert 1006)
        await("an alert of the sample IDS on the demo traffic").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (JsonNode a : api.get("/api/v1/service-insertion/alerts?definition=ringfence-samples/ids-signatures",
                            AUDITOR).json()) {
                        if (a.path("signature").asText().equals("1006")
                                && a.path("chainId").asText().equals("web-to-app-inspection")
                                && !a.path("blocked").asBoolean()) {
                            return true;
                        }
                    }
                    return false;
                });
        JsonNode chain = api.get("/api/v1/service-insertion/chains/web-to-app-inspection/stats", AUDITOR).json();
        assertTrue(chain.toString(), chain.path("packets").asLong() > 0);
        // the demo's calls are HTTP, which its l7-appid profile allows, and alert 1006 does not block
        assertEquals(chain.toString(), 0, chain.path("dropped").asLong() + chain.path("rejected").asLong());
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "UNINSTALLED";
        }
    }
}
