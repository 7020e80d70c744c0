package io.ringfence.dataplane.agent;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;

import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.Rule;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * A two-host data center wired like production: manager → compiler → one {@link HostAgent} per host.
 *
 * <p>h1: web1 (app:web, vNIC web1-0, 10.0.1.1). h2: db1 (app:db, db1-0, 10.0.2.1) and app2 (no tags,
 * app2-0, 10.0.3.1). Groups g-web, g-db. Policy p1: r-mysql web→db tcp/3306 ALLOW, r-https web→db
 * tcp/443 REJECT, r-dns web→db udp/53 REJECT. Default rule DROP.
 */
final class AgentFixture {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";
    static final String APP2 = "10.0.3.1";

    final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
    final PolicyCompiler compiler;
    final HostAgent h1;
    final HostAgent h2;
    /** Every delta sent to h1, in order. */
    final List<HostDelta> h1Deltas = new CopyOnWriteArrayList<>();
    private final Map<String, Vm> vms = new HashMap<>();
    private int macs;

    AgentFixture(int maxFlows) {
        this(maxFlows, null);
    }

    /** With h1 compacting its tables on {@code compactions} (null: the agent's default). */
    AgentFixture(int maxFlows, Executor compactions) {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", List.of("app:web"), nic("web1-0", WEB));
        vm("db1", "h2", List.of("app:db"), nic("db1-0", DB));
        vm("app2", "h2", List.of(), nic("app2-0", APP2));
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.SERVICE, service("https", tcp("443")), "t");
        manager.create(Kind.SERVICE, service("dns", new ServiceEntry(Protocol.UDP, List.of(PortRange.parse("53")),
                List.of(), null, null)), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                webToDb("r-mysql", 10, "mysql", Action.ALLOW),
                webToDb("r-https", 20, "https", Action.REJECT),
                webToDb("r-dns", 30, "dns", Action.REJECT)), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        ConnectionTracker tracker = new ConnectionTracker(ConnectionTracker.Config.defaults(maxFlows));
        h1 = compactions == null ? new HostAgent("h1", tracker)
                : new HostAgent("h1", tracker, new FlowLog(FlowLog.DEFAULT_CAPACITY), Instant.EPOCH::plusNanos,
                compactions);
        h2 = new HostAgent("h2", new ConnectionTracker(ConnectionTracker.Config.defaults(maxFlows)));
        compiler.attach("h1", d -> {
            h1Deltas.add(d);
            h1.accept(d);
        });
        compiler.attach("h2", h2);
    }

    AgentFixture() {
        this(10_000);
    }

    static Rule webToDb(String id, int sequence, String service, Action action) {
        return rule(id).sequence(sequence).sources("g-web").destinations("g-db").services(service).action(action)
                .build();
    }

    void replaceRule(Rule rule) {
        manager.replaceRule("p1", rule.id(), rule, null, "t");
    }

    void addRule(Rule rule) {
        manager.createRule("p1", rule, "t");
    }

    void vm(String id, String hostId, List<String> tags, Vnic... vnics) {
        Vm vm = new Vm(id, id, hostId, null, tags, List.of(vnics), 0);
        vms.put(id, vm);
        manager.create(Kind.VM, vm, "t");
    }

    /** Replaces the tags of a VM, keeping everything else. */
    void retag(String id, List<String> tags) {
        Vm old = vms.get(id);
        Vm vm = new Vm(id, old.name(), old.hostId(), old.os(), tags, old.vnics(), 0);
        vms.put(id, vm);
        manager.replace(Kind.VM, id, vm, null, "t");
    }

    Vnic nic(String id, String... addresses) {
        macs++;
        return new Vnic(id, new MacAddress(0x005056000000L + macs), prefixes(addresses), "seg");
    }
}
