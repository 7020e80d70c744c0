package io.ringfence.itests;

import static io.ringfence.itests.ApiClient.Credentials.ADMIN;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.insertion.ServiceInstance;
import io.ringfence.model.Action;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * Hot-swap of a partner function under traffic, in a real Karaf. A generator keeps TCP flows going
 * through two chains of the ids-signatures sample, one fail-closed (BLOCK) and one fail-open (ALLOW),
 * while the test updates the sample's bundle to a new version, stops it and starts it again through
 * the OSGi API (what {@code bundle:update}, {@code bundle:stop} and {@code bundle:start} do). Every
 * packet gets exactly one verdict; while no instance is there the BLOCK chain drops and the ALLOW
 * chain passes; flows in progress move to the new version with their state (a signature split across
 * the update is still found, by the new version); and the counters add up.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends ServiceInsertionTestSupport {

    private static final String TAGS = "hs";
    private static final VmSpec BLOCK_CLIENT = new VmSpec("hs-block-client", "block-client", "02:52:46:88:00:01", "10.88.0.11");
    private static final VmSpec ALLOW_CLIENT = new VmSpec("hs-allow-client", "allow-client", "02:52:46:88:00:02", "10.88.0.12");
    private static final VmSpec SERVER = new VmSpec("hs-server", "server", "02:52:46:88:00:03", "10.88.0.20");
    private static final String BLOCK_CHAIN = "hs-block";
    private static final String ALLOW_CHAIN = "hs-allow";
    /** Long flows per chain, kept going through the whole test: the flows in progress that must move. */
    private static final int LONG_FLOWS = 3;
    /** Packets each chain must decide in a phase before the test moves on. */
    private static final int PACKETS_PER_PHASE = 150;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    @Filter(timeout = 60_000)
    private ServiceDefinitionRegistry definitions;

    @Inject
    @Filter(timeout = 60_000)
    private ServiceInsertion insertion;

    @Test(timeout = 240_000)
    public void updateStopAndStartAPartnerBundleUnderTraffic() throws Exception {
        ApiClient api = api();
        awaitApi(api, "/api/v1/groups");
        installSample(api, "ringfence-sample-ids-signatures", IDS);
        configure(api);
        Bundle ids = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "ringfence-sample-ids-signatures".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("the ids-signatures bundle is not installed"));
        Version original = ids.getVersion();
        Version updated = new Version(original.getMajor(), original.getMinor() + 1, 0, "hotswap");
        long firstService = newest().serviceId();
        assertEquals(original.toString(), newest().version());

        Traffic traffic = new Traffic();
        Thread generator = new Thread(traffic, "hot-swap-traffic");
        generator.start();
        try {
            traffic.awaitPhase(Phase.V1);
            // the canary: half a signature before the update, the other half after it
            TcpFlow canary = new TcpFlow(dataPlane, ALLOW_CLIENT.endpoint(), 30_000, SERVER.endpoint(), 80);
            canary.handshake().forEach(c -> traffic.record(ALLOW_CHAIN, canary, c, null));
            traffic.record(ALLOW_CHAIN, canary, canary.clientSends("GET /?q=${jn"), null);

            traffic.phase = Phase.UPDATING;
            ids.update(new ByteArrayInputStream(withVersion(ids, updated)));
            ServiceInstance v2 = awaitInstance(updated, firstService);
            awaitServing(api, updated);
            traffic.phase = Phase.V2;
            traffic.awaitPhase(Phase.V2);
            FunctionStats afterUpdate = stats(v2.serviceId());
            TcpFlow.Crossing split = traffic.record(ALLOW_CHAIN, canary,
                    canary.clientSends("di:ldap://x/} HTTP/1.1\r\n\r\n"), null);

            traffic.phase = Phase.STOPPING;
            ids.stop();
            traffic.phase = Phase.STOPPED;
            traffic.awaitPhase(Phase.STOPPED);

            traffic.phase = Phase.STARTING;
            ids.start();
            ServiceInstance restarted = awaitInstance(updated, v2.serviceId());
            awaitServing(api, updated);
            traffic.phase = Phase.STARTED;
            traffic.awaitPhase(Phase.STARTED);
            FunctionStats afterRestart = stats(restarted.serviceId());

            traffic.running = false;
            generator.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue("the generator stopped", !generator.isAlive());

            assertTrue("anomalies: " + traffic.anomalies, traffic.anomalies.isEmpty());

            // every packet got one verdict, and the chains counted each they decided once
            for (String chain : List.of(BLOCK_CHAIN, ALLOW_CHAIN)) {
                Counts all = traffic.total(chain);
                JsonNode stats = chainStats(api, chain);
                String both = chain + ": " + all + "; counters " + stats;
                assertEquals(both, all.sent, all.steered() + all.afterBypass);
                assertEquals(both, all.steered(), stats.path("packets").asLong());
                assertEquals(both, all.passed, stats.path("passed").asLong());
                assertEquals(both, all.dropped, stats.path("dropped").asLong());
                assertEquals(both, all.rejected, stats.path("rejected").asLong());
                assertEquals(both, all.bypassed, stats.path("bypassed").asLong());
                assertEquals(both, stats.path("packets").asLong(), stats.path("passed").asLong()
                        + stats.path("dropped").asLong() + stats.path("rejected").asLong()
                        + stats.path("bypassed").asLong());
                assertTrue(both, stats.path("failures").path("MISSING_INSTANCE").asLong() > 0);
                // with an instance there, every packet is delivered: the flows in progress moved on every time
                for (Phase served : List.of(Phase.V1, Phase.V2, Phase.STARTED)) {
                    Counts c = traffic.in(chain, served);
                    assertTrue(chain + " " + served + ": " + c, c.steered() >= PACKETS_PER_PHASE);
                    assertEquals(chain + " " + served + ": " + c, c.sent, c.delivered);
                }
            }
            // without one, the failure policy: fail-closed drops every packet, fail-open delivers every packet
            Counts blocked = traffic.in(BLOCK_CHAIN, Phase.STOPPED);
            assertTrue("BLOCK while stopped: " + blocked, blocked.sent > 0 && blocked.dropped == blocked.sent);
            Counts opened = traffic.in(ALLOW_CHAIN, Phase.STOPPED);
            assertTrue("ALLOW while stopped: " + opened, opened.sent > 0 && opened.delivered == opened.sent
                    && opened.dropped == 0);

            // the flows in progress moved to the new version, with their state, after the update and the restart
            assertEquals(updated.toString(), afterUpdate.version());
            assertTrue("resumed after the update: " + afterUpdate, afterUpdate.sessionsResumed() >= 2 * LONG_FLOWS);
            assertEquals(updated.toString(), afterRestart.version());
            assertTrue("resumed after the restart: " + afterRestart, afterRestart.sessionsResumed() >= 2 * LONG_FLOWS);
            assertTrue(afterRestart.toString(), afterRestart.packets() > 0);
            // the state carried the first half of the canary's signature: the new version found it whole
            assertEquals("the split signature: " + split, Action.DROP, split.steered().action());
            JsonNode alert = canaryAlert(api);
            assertEquals(alert.toString(), updated.toString(), alert.path("version").asText());
            assertTrue(alert.toString(), alert.path("blocked").asBoolean());
        } finally {
            traffic.running = false;
            generator.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void configure(ApiClient api) {
        hostWithVms(api, "hs-host", TAGS, BLOCK_CLIENT, ALLOW_CLIENT, SERVER);
        roleGroup(api, "hs-block-clients", TAGS, "block-client");
        roleGroup(api, "hs-allow-clients", TAGS, "allow-client");
        roleGroup(api, "hs-servers", TAGS, "server");
        create(api, "/api/v1/services", """
                {"id":"hs-http","name":"HTTP","entries":[{"protocol":"TCP","destinationPorts":["80"]}]}""");
        create(api, "/api/v1/policies", """
                {"id":"hs-app","name":"Clients reach the server","category":"APPLICATION",
                 "rules":[{"id":"hs-clients-to-server","sources":["hs-block-clients","hs-allow-clients"],
                           "destinations":["hs-servers"],"services":["hs-http"],"action":"ALLOW"}]}""");
        create(api, SI + "profiles", """
                {"id":"hs-ids","name":"Signatures, prevent","definition":"%s","values":{"mode":"prevent"}}"""
                .formatted(IDS));
        // a deadline far above what a call takes on a loaded machine: only the bundle's absence may fail a hop
        for (String[] chain : List.of(new String[] {BLOCK_CHAIN, "BLOCK"}, new String[] {ALLOW_CHAIN, "ALLOW"})) {
            create(api, SI + "chains", """
                    {"id":"%s","name":"%s","profiles":["hs-ids"],"failurePolicy":"%s","deadlineMicros":1000000}"""
                    .formatted(chain[0], chain[0], chain[1]));
        }
        create(api, SI + "redirection-policies", """
                {"id":"hs-inspect","name":"Inspect the clients",
                 "rules":[{"id":"hs-inspect-block","sources":["hs-block-clients"],"destinations":["hs-servers"],
                           "direction":"OUT","action":"REDIRECT","chain":"%s"},
                          {"id":"hs-inspect-allow","sources":["hs-allow-clients"],"destinations":["hs-servers"],
                           "direction":"OUT","action":"REDIRECT","chain":"%s"}]}"""
                .formatted(BLOCK_CHAIN, ALLOW_CHAIN));
        awaitSteering(api, BLOCK_CLIENT.id(), SERVER.id(), 80, BLOCK_CHAIN);
        awaitSteering(api, ALLOW_CLIENT.id(), SERVER.id(), 80, ALLOW_CHAIN);
    }

    private ServiceInstance newest() {
        return definitions.definition(IDS).map(d -> d.instances().get(0))
                .orElseThrow(() -> new AssertionError(IDS + " is not registered"));
    }

    /** Waits for an instance of {@code version} other than service {@code previous} to take new flows. */
    private ServiceInstance awaitInstance(Version version, long previous) {
        return await(IDS + " " + version + " registered").atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> definitions.definition(IDS).map(ServiceDefinition::instances).orElse(List.of()).stream()
                        .filter(i -> i.version().equals(version.toString()) && i.serviceId() != previous && i.acceptsFlows())
                        .findFirst(), Optional::isPresent).orElseThrow();
    }

    /** Waits until new flows of both chains would be inspected by {@code version} (steering rebuilt with it). */
    private static void awaitServing(ApiClient api, Version version) {
        awaitTrace(api, BLOCK_CLIENT.id(), SERVER.id(), 80, BLOCK_CHAIN, version.toString());
        awaitTrace(api, ALLOW_CLIENT.id(), SERVER.id(), 80, ALLOW_CHAIN, version.toString());
    }

    private FunctionStats stats(long serviceId) {
        return insertion.functionStats().stream().filter(f -> f.serviceId() == serviceId).findFirst()
                .orElseThrow(() -> new AssertionError("no counters of service " + serviceId));
    }

    private static JsonNode canaryAlert(ApiClient api) {
        for (JsonNode a : api.get(SI + "alerts?definition=" + IDS, ADMIN).json()) {
            if (a.path("signature").asText().equals("1002") && a.path("vmId").asText().equals(ALLOW_CLIENT.id())) {
                return a;
            }
        }
        throw new AssertionError("no alert of signature 1002 on " + ALLOW_CLIENT.id());
    }

    /**
     * The bundle's content with another {@code Bundle-Version}: the "new build" of the sample, made
     * offline from the installed one. The sample reports its bundle version as its descriptor's.
     */
    static byte[] withVersion(Bundle bundle, Version version) throws IOException {
        Manifest manifest;
        try (InputStream in = bundle.getEntry("META-INF/MANIFEST.MF").openStream()) {
            manifest = new Manifest(in);
        }
        manifest.getMainAttributes().putValue("Bundle-Version", version.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            Enumeration<URL> entries = bundle.findEntries("/", "*", true);
            while (entries.hasMoreElements()) {
                String path = entries.nextElement().getPath().substring(1);
                if (path.endsWith("/") || path.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(path));
                try (InputStream in = bundle.getEntry(path).openStream()) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Where the test is; a packet counts in a phase when the phase is the same before and after it is decided. */
    enum Phase { V1, UPDATING, V2, STOPPING, STOPPED, STARTING, STARTED }

    /**
     * What became of the packets sent on the flows steered to one chain: each decided by the chain (by
     * its verdict), or, once the chain had bypassed its flow (PASS_AND_BYPASS: no function will inspect
     * the flow again), by the flow table alone.
     */
    static final class Counts {
        long sent;
        long passed;
        long dropped;
        long rejected;
        long bypassed;
        long afterBypass;
        long delivered;

        void add(Verdict steered, boolean wasDelivered) {
            sent++;
            if (wasDelivered) {
                delivered++;
            }
            if (steered == null) {
                afterBypass++;
                return;
            }
            switch (steered.inspection()) {
                case PASS -> passed++;
                case DROP -> dropped++;
                case REJECT -> rejected++;
                case PASS_AND_BYPASS -> bypassed++;
            }
        }

        /** Packets the chain decided. */
        long steered() {
            return passed + dropped + rejected + bypassed;
        }

        @Override
        public String toString() {
            return "sent " + sent + " (delivered " + delivered + ") = passed " + passed + " + dropped " + dropped
                    + " + rejected " + rejected + " + bypassed " + bypassed + " + after a bypass " + afterBypass;
        }
    }

    /**
     * The traffic generator: {@value #LONG_FLOWS} long flows per chain, each exchanging a request and a
     * response per round, and a short flow per chain every fourth round (handshake, request, response,
     * close; given up at its first undelivered packet, as a peer would time out).
     */
    final class Traffic implements Runnable {

        volatile Phase phase = Phase.V1;
        volatile boolean running = true;
        final ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
        /** Flows the chain let go of (PASS_AND_BYPASS): their packets are decided by the flow table alone. */
        private final Set<TcpFlow> bypassedFlows = ConcurrentHashMap.newKeySet();
        private final List<Counts[]> byChain = new ArrayList<>(); // [chain][phase], guarded by this
        private final Counts[] totals = {new Counts(), new Counts()}; // guarded by this
        private int nextPort = 31_000;

        Traffic() {
            for (int i = 0; i < 2; i++) {
                Counts[] phases = new Counts[Phase.values().length];
                Arrays.setAll(phases, p -> new Counts());
                byChain.add(phases);
            }
        }

        private int chainIndex(String chain) {
            return chain.equals(BLOCK_CHAIN) ? 0 : 1;
        }

        /**
         * Counts a segment of {@code flow} under the chain: in the totals, and in {@code before} when the
         * phase did not change while it was decided (null: in the totals only). Every packet gets one
         * verdict: the chain's, unless the chain bypassed the flow earlier. Returns the crossing.
         */
        TcpFlow.Crossing record(String chain, TcpFlow flow, TcpFlow.Crossing c, Phase before) {
            Verdict v = c.steered();
            if (v == null && !bypassedFlows.contains(flow)) {
                anomalies.add("a packet of a flow steered to " + chain + " got no verdict of the chain: " + c);
            } else if (v != null && (!chain.equals(v.chainId()) || v.inspection() == null)) {
                anomalies.add("a packet of a flow steered to " + chain + " got another chain's verdict: " + c);
                return c;
            } else if (v != null && v.allowed() != (v.inspection() == io.ringfence.spi.inspection.Verdict.PASS
                    || v.inspection() == io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS)) {
                anomalies.add("the data plane's action disagrees with the chain's verdict: " + v);
            }
            if (v != null && v.inspection() == io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS) {
                bypassedFlows.add(flow);
            }
            synchronized (this) {
                totals[chainIndex(chain)].add(v, c.delivered());
                if (before != null && before == phase) {
                    byChain.get(chainIndex(chain))[before.ordinal()].add(v, c.delivered());
                }
            }
            return c;
        }

        synchronized Counts total(String chain) {
            return totals[chainIndex(chain)];
        }

        synchronized Counts in(String chain, Phase p) {
            return byChain.get(chainIndex(chain))[p.ordinal()];
        }

        /** Waits until each chain has decided enough packets in {@code p}. */
        void awaitPhase(Phase p) {
            await("traffic in phase " + p).atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> !anomalies.isEmpty() || (in(BLOCK_CHAIN, p).steered() >= PACKETS_PER_PHASE
                            && in(ALLOW_CHAIN, p).steered() >= PACKETS_PER_PHASE));
        }

        @Override
        public void run() {
            try {
                List<TcpFlow> blockFlows = longFlows(BLOCK_CHAIN, BLOCK_CLIENT);
                List<TcpFlow> allowFlows = longFlows(ALLOW_CHAIN, ALLOW_CLIENT);
                for (int round = 0; running; round++) {
                    exchange(BLOCK_CHAIN, blockFlows, round);
                    exchange(ALLOW_CHAIN, allowFlows, round);
                    if (round % 4 == 0) {
                        shortFlow(BLOCK_CHAIN, BLOCK_CLIENT);
                        shortFlow(ALLOW_CHAIN, ALLOW_CLIENT);
                    }
                    // a steady pace rather than a flood: the machine running the test has few cores
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } catch (RuntimeException | AssertionError e) {
                anomalies.add("the generator failed: " + e);
            }
        }

        private List<TcpFlow> longFlows(String chain, VmSpec client) {
            List<TcpFlow> flows = new ArrayList<>();
            for (int i = 0; i < LONG_FLOWS; i++) {
                TcpFlow flow = new TcpFlow(dataPlane, client.endpoint(), nextPort++, SERVER.endpoint(), 80);
                for (TcpFlow.Crossing c : flow.handshake()) {
                    record(chain, flow, c, null);
                }
                flows.add(flow);
            }
            return flows;
        }

        private void exchange(String chain, List<TcpFlow> flows, int round) {
            for (TcpFlow flow : flows) {
                Phase before = phase;
                record(chain, flow, flow.clientSends("GET /item/" + round + " HTTP/1.1\r\n\r\n"), before);
                before = phase;
                record(chain, flow, flow.serverSends("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), before);
            }
        }

        private void shortFlow(String chain, VmSpec client) {
            TcpFlow flow = new TcpFlow(dataPlane, client.endpoint(), nextPort++, SERVER.endpoint(), 80);
            if (nextPort > 60_000) {
                nextPort = 31_000 + 2 * LONG_FLOWS;
            }
            Phase before = phase;
            boolean connected = true;
            for (TcpFlow.Crossing c : flow.handshake()) {
                connected &= record(chain, flow, c, before).delivered();
            }
            if (!connected) {
                return;
            }
            before = phase;
            if (!record(chain, flow, flow.clientSends("GET / HTTP/1.1\r\n\r\n"), before).delivered()) {
                return;
            }
            before = phase;
            if (!record(chain, flow, flow.serverSends("HTTP/1.1 204 No Content\r\n\r\n"), before).delivered()) {
                return;
            }
            before = phase;
            for (TcpFlow.Crossing c : flow.close()) {
                record(chain, flow, c, before);
            }
        }
    }
}
