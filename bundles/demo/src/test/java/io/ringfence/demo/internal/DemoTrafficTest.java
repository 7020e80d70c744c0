package io.ringfence.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.agent.TraceStep;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.RuleTraffic;
import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.api.Traceflow;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Kind;
import io.ringfence.model.Protocol;
import io.ringfence.model.Rule;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.InMemoryModelStore;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.redirection.internal.RedirectionManager;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.ProfileParameter;
import io.ringfence.spi.inspection.ProfileSchema;
import io.ringfence.spi.inspection.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's synthetic traffic through a simulated data center holding the demo data center. */
class DemoTrafficTest {

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final PolicyCompiler compiler;
    final SimulatedDataCenter dataPlane;
    final DemoTraffic traffic;

    DemoTrafficTest() {
        DemoDataCenter.read().loadInto(manager, manager);
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        dataPlane = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(10_000, null));
        manager.addListener(dataPlane);
        traffic = new DemoTraffic(dataPlane, manager::snapshot);
    }

    @AfterEach
    void close() {
        dataPlane.close();
    }

    @Test
    void afterAFewTicksTheAllowingRulesCountSessionsAndTheRejectingRuleCountsRejections() {
        for (int i = 0; i < 3; i++) {
            // everything but web-dev-01 → db-01 runs to its end
            assertThat(traffic.tick()).isEqualTo(DemoTraffic.CONVERSATIONS.size() - 1);
        }

        for (String rule : new String[] {"web-to-app", "app-to-db", "ssh-from-jump", "dns"}) {
            RuleTraffic t = dataPlane.ruleStats(rule);
            // one session per tick on each side of the conversation
            assertThat(t.sessions()).as(rule).isEqualTo(6);
            assertThat(t.packets()).as(rule).isPositive();
            assertThat(t.lastHit()).as(rule).isNotNull();
        }
        RuleTraffic rejected = dataPlane.ruleStats("dev-not-prod");
        assertThat(rejected.packets()).isEqualTo(3);
        assertThat(rejected.sessions()).isZero();
        assertThat(dataPlane.vnicStats("web-dev-01-nic0").orElseThrow().rejected()).isEqualTo(3);
        // the rejected SYN never reached db-01
        assertThat(dataPlane.flows("db-01")).allMatch(f -> !f.key().source().toString().startsWith("10.20."));
        assertThat(traffic.conversations()).isEqualTo(3L * DemoTraffic.CONVERSATIONS.size());
    }

    @Test
    void theTraceflowsOfTheReadmeDecideAsItSays() {
        Traceflow allowed = dataPlane.trace(new TraceRequest("web-01", "app-01", null, Protocol.TCP, 49152, 8080,
                null, null));
        assertThat(allowed.verdict()).isEqualTo(Action.ALLOW);
        assertThat(allowed.steps()).extracting(TraceStep::ruleId).containsExactly("web-to-app", "web-to-app");

        Traceflow rejected = dataPlane.trace(TraceRequest.tcp("web-dev-01", "db-01", 5432));
        assertThat(rejected.verdict()).isEqualTo(Action.REJECT);
        assertThat(rejected.steps()).extracting(TraceStep::ruleId).containsExactly("dev-not-prod");
    }

    @Test
    void theStagedRuleOfTheReadmeCountsTheTrafficItWouldCutWhileTheTrafficFlows() throws Exception {
        manager.createRule("shop", ModelJson.mapper().readValue("""
                {"id":"cut-web-api","name":"What would cutting the web tier off the API break?","sequence":5,
                 "sources":["web-prod"],"destinations":["app-prod"],"services":["app-api"],"action":"DROP",
                 "staged":true,"logged":true}""", Rule.class), "test");

        for (int i = 0; i < 3; i++) {
            assertThat(traffic.tick()).isEqualTo(DemoTraffic.CONVERSATIONS.size() - 1);
        }
        // web-01 → app-01 each tick, evaluated OUT at web-01 and IN at app-01
        RuleTraffic wouldBe = dataPlane.stagedRuleStats("cut-web-api");
        assertThat(wouldBe.sessions()).isEqualTo(6);
        assertThat(wouldBe.packets()).isEqualTo(6);
        assertThat(dataPlane.ruleStats("cut-web-api").packets()).isZero();
        assertThat(dataPlane.ruleStats("web-to-app").sessions()).isEqualTo(6);
        assertThat(dataPlane.flowLog(new FlowLogQuery(null, "cut-web-api", null, null, true, 100)))
                .hasSize(6).allSatisfy(r -> assertThat(r.actualRuleId()).isEqualTo("web-to-app"));

        Traceflow trace = dataPlane.trace(TraceRequest.tcp("web-01", "app-01", 8080));
        assertThat(trace.verdict()).isEqualTo(Action.ALLOW);
        assertThat(trace.steps()).extracting(s -> s.staged().ruleId()).containsExactly("cut-web-api", "cut-web-api");
    }

    @Test
    void eachTickUsesNewSourcePortsSoThatEveryConversationIsANewFlow() {
        traffic.tick();
        traffic.tick();
        // web-01 → app-01 twice, jump-01 → web-01 twice, web-01 → dns-01 twice
        assertThat(dataPlane.flows("web-01")).hasSize(6);
    }

    @Test
    void theWebTiersApiCallsRunToTheirEndThroughTheDemoChainWhichSeesTheirHttp() {
        FunctionRegistry registry = new FunctionRegistry(new InsertionConfig(2, 256, Duration.ofNanos(20_000),
                Duration.ZERO, 1000, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(1), 100));
        RedirectionManager redirection = new RedirectionManager(compiler);
        try {
            // stand-ins for the partner samples: their definitions, the parameters the demo profiles set
            Partner appId = new Partner("l7-appid", ProfileSchema.of(
                    ProfileParameter.stringList("allowApps", ""), ProfileParameter.string("defaultAction", "", "allow")));
            Partner ids = new Partner("ids-signatures", ProfileSchema.of(ProfileParameter.string("mode", "", "prevent")));
            registry.add(appId, 1, 0);
            registry.add(ids, 2, 0);
            ServiceInsertionManager insertion = new ServiceInsertionManager(registry);
            // a deadline out of reach of a loaded machine's hiccups: a missed one would take a hop out of a flow
            ServiceChain chain = manager.snapshot().find(Kind.SERVICE_CHAIN, "web-to-app-inspection").orElseThrow();
            manager.replace(Kind.SERVICE_CHAIN, chain.id(), new ServiceChain(chain.id(), chain.name(), chain.description(),
                    chain.profiles(), chain.reverseProfiles(), chain.failurePolicy(), ServiceChain.MAX_DEADLINE_MICROS,
                    0), null, "test");
            manager.addListener(redirection);
            dataPlane.steer(redirection, insertion, registry);
            long revision = manager.snapshot().revision();
            await().atMost(Duration.ofSeconds(30)).until(() -> redirection.revision() >= revision);

            int calls = 2 * DemoTraffic.SUSPICIOUS_EVERY;
            for (int i = 0; i < calls; i++) {
                assertThat(traffic.tick()).isEqualTo(DemoTraffic.CONVERSATIONS.size() - 1);
            }

            ChainStats stats = insertion.chainStats(chain.id()).orElseThrow();
            // 9 segments per call, steered OUT at web-01 and IN at app-01 (the redirection rule is IN_OUT)
            assertThat(stats.packets()).isEqualTo(calls * 9L * 2);
            assertThat(stats.passed()).isEqualTo(stats.packets());
            assertThat(stats.failures()).isEmpty();
            assertThat(stats.sessionsTotal()).isEqualTo(calls * 2L);
            // each function got each side's bytes in order: every request and response, whole
            assertThat(ids.seen(PacketSide.ORIGINAL)).hasSize(calls * 2).allSatisfy(r -> assertThat(r)
                    .startsWith("GET /api/").endsWith(" HTTP/1.1\r\nHost: app-01\r\n\r\n"));
            assertThat(ids.seen(PacketSide.REPLY)).hasSize(calls * 2).allSatisfy(r -> assertThat(r)
                    .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n[]"));
            assertThat(ids.seen(PacketSide.ORIGINAL)).filteredOn(r -> r.contains("cmd.exe")).hasSize(2 * 2);
            assertThat(appId.seen(PacketSide.ORIGINAL)).hasSize(calls * 2);
        } finally {
            dataPlane.stopSteering();
            redirection.close();
            registry.close();
        }
    }

    /** A partner function that passes everything and keeps the payload each side of each flow sent. */
    static final class Partner implements InspectionService {
        private final InspectionDescriptor descriptor;
        private final Map<PacketSide, Queue<String>> seen = new EnumMap<>(Map.of(
                PacketSide.ORIGINAL, new ConcurrentLinkedQueue<>(), PacketSide.REPLY, new ConcurrentLinkedQueue<>()));

        Partner(String name, ProfileSchema schema) {
            this.descriptor = new InspectionDescriptor("ringfence-samples", name, "1.0.0", "", schema, false, false);
        }

        @Override
        public InspectionDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
            return packet -> {
                ByteBuffer payload = packet.payload();
                if (payload.hasRemaining()) {
                    byte[] bytes = new byte[payload.remaining()];
                    payload.duplicate().get(bytes);
                    seen.get(packet.side()).add(new String(bytes, StandardCharsets.US_ASCII));
                }
                return Verdict.PASS;
            };
        }

        Queue<String> seen(PacketSide side) {
            return seen.get(side);
        }
    }

    @Test
    void aDeletedVmIsLeftOut() {
        manager.delete(Kind.VM, "dns-01", null, "test");
        assertThat(traffic.tick()).isEqualTo(DemoTraffic.CONVERSATIONS.size() - 2);
        assertThat(dataPlane.ruleStats("dns").packets()).isZero();
    }
}
