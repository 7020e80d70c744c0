package io.ringfence.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.enforcement.internal.TargetCounterPoller;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule statistics add the hits that enforcement targets count themselves to the in-JVM data
 * plane's, with each target's share: the real API server, the simulated data plane, and in-JVM
 * targets whose counters a {@link TargetCounterPoller} reads (on demand here, so the test knows when).
 *
 * <p>The data center: web-1 (10.0.1.2) on h1, db-1 (10.0.2.1) on h2; policy shop with web-to-db (ALLOW)
 * and no-ssh (REJECT).
 */
class TargetRuleCountersApiTest {

    static final String WEB = "10.0.1.2";
    static final String DB = "10.0.2.1";

    final TargetCounterPoller counters = new TargetCounterPoller(Duration.ZERO, Duration.ofSeconds(10),
            Clock.systemUTC());
    ApiServer api;

    @BeforeEach
    void start(@TempDir Path dir) {
        api = new ApiServer(dir, RestApplication.Settings.DEFAULT, ServiceProfileValidator.ACCEPT_ALL,
                InsertionRuntime.NONE, counters);
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h1\",\"name\":\"h1\"}"));
        created(api.post("v1/inventory/hosts", "admin", "{\"id\":\"h2\",\"name\":\"h2\"}"));
        created(api.post("v1/inventory/vms", "admin", """
                {"id":"web-1","name":"WEB-1","hostId":"h1","tags":["app:web"],
                 "vnics":[{"mac":"02:00:00:00:00:01","addresses":["10.0.1.2"],"segment":"seg"}]}"""));
        created(api.post("v1/inventory/vms", "admin", """
                {"id":"db-1","name":"DB-1","hostId":"h2","tags":["app:db"],
                 "vnics":[{"mac":"02:00:00:00:00:02","addresses":["10.0.2.1"],"segment":"seg"}]}"""));
        created(api.post("v1/groups", "admin", """
                {"id":"web","name":"web","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:web"}}"""));
        created(api.post("v1/groups", "admin", """
                {"id":"db","name":"db","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:db"}}"""));
        created(api.post("v1/services", "admin", """
                {"id":"postgresql","name":"postgresql","entries":[{"protocol":"TCP","destinationPorts":["5432"]}]}"""));
        created(api.post("v1/services", "admin", """
                {"id":"ssh","name":"ssh","entries":[{"protocol":"TCP","destinationPorts":["22"]}]}"""));
        created(api.post("v1/policies", "admin", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-to-db","name":"Web uses the database","sources":["web"],"destinations":["db"],
                   "services":["postgresql"],"action":"ALLOW"},
                  {"id":"no-ssh","name":"No ssh to the database","sources":["web"],"destinations":["db"],
                   "services":["ssh"],"action":"REJECT"}]}"""));
    }

    @AfterEach
    void stop() {
        counters.close();
        api.close();
    }

    @Test
    void aRulesCountersAreTheDataPlanesPlusEveryTargetsWithEachTargetsShare() {
        // the in-JVM data plane: a handshake, 3 packets OUT at web-1 and 3 IN at db-1, 40 bytes each
        handshake();
        Target hv3 = new Target("nft:h3", List.of(new RuleCounter("web-1-nic", "web-to-db", 10, 1000),
                new RuleCounter("db-1-nic", "web-to-db", 4, 400), new RuleCounter("web-1-nic", "default", 2, 80)));
        Target leaf = new Target("acl:leaf1", List.of(new RuleCounter("eth1", "web-to-db", 1, 60)));
        counters.add(hv3);
        counters.add(leaf);

        // not read yet: the data plane's alone
        JsonNode unread = api.get("v1/stats/rules/web-to-db", "auditor").json();
        assertThat(unread.get("packets").asLong()).isEqualTo(6);
        assertThat(unread.get("targets")).isEmpty();

        Instant before = Instant.now();
        counters.readAll();
        ApiServer.Reply r = api.get("v1/stats/rules/web-to-db", "auditor");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode stats = r.json();
        assertThat(stats.get("packets").asLong()).isEqualTo(6 + 10 + 4 + 1);
        assertThat(stats.get("bytes").asLong()).isEqualTo(6 * 40 + 1000 + 400 + 60);
        assertThat(stats.get("sessions").asLong()).as("the data plane's flows; targets count none").isEqualTo(2);
        assertThat(ids(stats.get("targets"))).containsExactly("acl:leaf1", "nft:h3");
        JsonNode onHv3 = stats.get("targets").get(1);
        assertThat(onHv3.get("packets").asLong()).isEqualTo(14);
        assertThat(onHv3.get("bytes").asLong()).isEqualTo(1400);
        assertThat(Instant.parse(onHv3.get("readAt").asText())).isAfterOrEqualTo(before.minusSeconds(1));

        // the list says the same, the default rule included
        JsonNode all = api.get("v1/stats/rules", "auditor").json();
        assertThat(all.get(0).get("ruleId").asText()).isEqualTo("web-to-db");
        assertThat(all.get(0).get("packets").asLong()).isEqualTo(21);
        assertThat(all.get(0).get("targets")).isEqualTo(stats.get("targets"));
        assertThat(all.get(1).get("ruleId").asText()).isEqualTo("no-ssh");
        assertThat(all.get(1).get("targets")).isEmpty();
        JsonNode dflt = all.get(2);
        assertThat(dflt.get("ruleId").asText()).isEqualTo("default");
        assertThat(dflt.get("packets").asLong()).isEqualTo(2);
        assertThat(ids(dflt.get("targets"))).containsExactly("nft:h3");
        assertThat(api.get("v1/stats/rules/default", "auditor").json().get("bytes").asLong()).isEqualTo(80);

        // a target that leaves no longer counts
        counters.remove(leaf);
        assertThat(api.get("v1/stats/rules/web-to-db", "auditor").json().get("packets").asLong()).isEqualTo(20);
    }

    private static List<String> ids(JsonNode targets) {
        List<String> ids = new ArrayList<>();
        targets.forEach(t -> ids.add(t.get("targetId").asText()));
        return ids;
    }

    private void handshake() {
        send("web-1", "db-1", Packet.tcp(WEB, 40000, DB, 5432, Packet.SYN));
        send("db-1", "web-1", Packet.tcp(DB, 5432, WEB, 40000, Packet.SYN | Packet.ACK));
        send("web-1", "db-1", Packet.tcp(WEB, 40000, DB, 5432, Packet.ACK));
    }

    private void send(String from, String to, Packet p) {
        assertThat(api.dataPlane.process(vnic(from), Direction.OUT, p).action()).isEqualTo(Action.ALLOW);
        assertThat(api.dataPlane.process(vnic(to), Direction.IN, p).action()).isEqualTo(Action.ALLOW);
    }

    private String vnic(String vm) {
        return api.manager.snapshot().find(Kind.VM, vm).orElseThrow().vnics().get(0).id();
    }

    private static void created(ApiServer.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** An in-JVM target that enforces nothing and reports the counters it is given. */
    private static final class Target implements EnforcementTarget {
        private final TargetDescriptor descriptor;
        private final List<RuleCounter> counters;

        Target(String id, List<RuleCounter> counters) {
            this.descriptor = new TargetDescriptor(id, TargetKind.HYPERVISOR, "test", List.of("h3"), true);
            this.counters = counters;
        }

        @Override
        public TargetDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
            return new CompletableFuture<>();
        }

        @Override
        public List<RuleCounter> counters() {
            return counters;
        }
    }
}
