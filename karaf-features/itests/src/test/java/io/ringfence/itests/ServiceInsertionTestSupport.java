package io.ringfence.itests;

import static io.ringfence.itests.ApiClient.Credentials.ADMIN;
import static io.ringfence.itests.TestEnvironment.required;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.manager.ModelService;
import io.ringfence.redirection.RedirectionService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;

/**
 * Boots the distribution without the demo and without the partner samples, so that a test installs
 * the samples itself and builds a data center of its own over the REST API; then drives traffic
 * through the data plane service in the container.
 */
public abstract class ServiceInsertionTestSupport extends RingfenceTestSupport {

    static final String SI = "/api/v1/service-insertion/";
    static final String L7_APPID = "ringfence-samples/l7-appid";
    static final String IDS = "ringfence-samples/ids-signatures";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    @Filter(timeout = 60_000)
    protected FeaturesService features;

    @Inject
    @Filter(timeout = 60_000)
    protected DataPlaneService dataPlane;

    @Inject
    @Filter(timeout = 60_000)
    protected ModelService models;

    @Inject
    @Filter(timeout = 60_000)
    protected RedirectionService redirection;

    /**
     * The distribution's boot features less the samples: the demo (whose traffic and objects would mix
     * with the test's) and the partner samples (which the tests install).
     */
    @Override
    protected Option[] additionalOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot", bootFeaturesWithoutSamples()),
        };
    }

    private static String bootFeaturesWithoutSamples() {
        Path cfg = Path.of(required("ringfence.distribution.dir"), "etc", "org.apache.karaf.features.cfg");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(cfg)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the distribution's " + cfg, e);
        }
        String boot = properties.getProperty("featuresBoot");
        if (boot == null || !boot.contains("ringfence")) {
            throw new IllegalStateException("no Ringfence boot features in " + cfg + ": " + boot);
        }
        return Arrays.stream(boot.split(","))
                .map(String::trim)
                .filter(f -> !f.isEmpty() && !f.startsWith("ringfence-sample"))
                .collect(Collectors.joining(", "));
    }

    /** Installs a feature (if it is not yet) and waits until the API lists the service definition it registers. */
    protected void installSample(ApiClient api, String feature, String definitionId) throws Exception {
        if (!features.isInstalled(features.getFeature(feature))) {
            features.installFeature(feature);
        }
        await(definitionId + " registered").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(SI + "definitions/" + definitionId, ADMIN).status() == 200);
    }

    /** POSTs {@code json} as the admin, requiring 201; the created object. */
    protected static JsonNode create(ApiClient api, String path, String json) {
        ApiClient.Response created = api.post(path, ADMIN, json);
        if (created.status() != 201) {
            throw new AssertionError("POST " + path + " " + json + " -> expected 201, got " + created);
        }
        return created.json();
    }

    /** A hypervisor and VMs on it with one vNIC each ({@code <vm>-nic0}), tagged {@code <tagPrefix>:<role>}. */
    protected static void hostWithVms(ApiClient api, String host, String tagPrefix, VmSpec... vms) {
        create(api, "/api/v1/inventory/hosts", "{\"id\":\"" + host + "\",\"name\":\"" + host + "\",\"address\":\"192.0.2.1\"}");
        for (VmSpec vm : vms) {
            create(api, "/api/v1/inventory/vms", """
                    {"id":"%s","name":"%s","hostId":"%s","os":"linux","tags":["%s:%s"],
                     "vnics":[{"mac":"%s","addresses":["%s"],"segment":"%s"}]}"""
                    .formatted(vm.id(), vm.id(), host, tagPrefix, vm.role(), vm.mac(), vm.address(), host));
        }
    }

    /** A group of the VMs tagged {@code <tagPrefix>:<role>}. */
    protected static void roleGroup(ApiClient api, String id, String tagPrefix, String role) {
        create(api, "/api/v1/groups", """
                {"id":"%s","name":"%s","criteria":{"attribute":"TAG","operator":"EQUALS","value":"%s:%s"}}"""
                .formatted(id, id, tagPrefix, role));
    }

    /**
     * Waits until the data plane steers as the model says: the redirection table has caught up with the
     * model's revision, and a traceflow from {@code client} to {@code server} on TCP {@code port} is
     * allowed by the firewall, steered through {@code chainId} at the client's vNIC, and inspected by
     * every function of the chain (instances registered, profiles valid) with a verdict that lets it
     * pass. Traceflow counts nothing; the functions see the packet in throwaway sessions.
     */
    protected void awaitSteering(ApiClient api, String client, String server, int port, String chainId) {
        long revision = models.snapshot().revision();
        await("redirection table at revision " + revision).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> redirection.revision() >= revision);
        awaitTrace(api, client, server, port, chainId, null);
    }

    /**
     * Waits until a traceflow from {@code client} to {@code server} on TCP {@code port} passes through
     * {@code chainId}, every hop inspected by an instance ({@code version}'s when not null).
     */
    protected static void awaitTrace(ApiClient api, String client, String server, int port, String chainId,
                                     String version) {
        String trace = "{\"source\":\"%s\",\"destination\":\"%s\",\"protocol\":\"TCP\",\"destinationPort\":%d}"
                .formatted(client, server, port);
        await("traceflow " + client + " -> " + server + ":" + port + " through " + chainId
                + (version == null ? "" : " at version " + version))
                .atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode t = api.post("/api/v1/traceflow", ADMIN, trace).json();
                    JsonNode steering = t.path("steps").path(0).path("steering");
                    if (!"ALLOW".equals(t.path("verdict").asText()) || !chainId.equals(steering.path("chainId").asText())
                            || steering.path("hops").size() == 0) {
                        return false;
                    }
                    for (JsonNode hop : steering.path("hops")) {
                        if (!"INSPECTED".equals(hop.path("outcome").asText())
                                || version != null && !version.equals(hop.path("version").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The counters of a chain, over REST. */
    protected static JsonNode chainStats(ApiClient api, String chainId) {
        ApiClient.Response r = api.get(SI + "chains/" + chainId + "/stats", ADMIN);
        if (r.status() != 200) {
            throw new AssertionError("chain stats of " + chainId + ": " + r);
        }
        return r.json();
    }

    /**
     * A VM of the test's data center.
     *
     * @param id      VM id (its vNIC is {@code <id>-nic0})
     * @param role    tagged {@code <prefix>:<role>}
     * @param mac     its vNIC's MAC
     * @param address its vNIC's IPv4 address
     */
    protected record VmSpec(String id, String role, String mac, String address) {

        String vnicId() {
            return id + "-nic0";
        }

        TcpFlow.Endpoint endpoint() {
            return new TcpFlow.Endpoint(vnicId(), address, Long.parseLong(mac.replace(":", ""), 16));
        }
    }
}
