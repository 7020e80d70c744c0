package io.ringfence.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's synthetic traffic through a simulated data center holding the demo data center. */
class DemoTrafficTest {

    final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    final SimulatedDataCenter dataPlane;
    final DemoTraffic traffic;

    DemoTrafficTest() {
        DemoDataCenter.read().loadInto(manager, manager);
        PolicyCompiler compiler = new PolicyCompiler(manager.snapshot());
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
    void aDeletedVmIsLeftOut() {
        manager.delete(Kind.VM, "dns-01", null, "test");
        assertThat(traffic.tick()).isEqualTo(DemoTraffic.CONVERSATIONS.size() - 2);
        assertThat(dataPlane.ruleStats("dns").packets()).isZero();
    }
}
