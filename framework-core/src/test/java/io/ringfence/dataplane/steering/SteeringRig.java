package io.ringfence.dataplane.steering;

import static io.ringfence.model.InsertionFixtures.redirectionPolicy;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.awaitility.Awaitility.await;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.model.InsertionFixtures.RedirectionRuleBuilder;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.ServiceProfile;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import io.ringfence.redirection.internal.RedirectionManager;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data plane steering for real: manager → compiler, redirection table and simulated data center,
 * the service-insertion runtime with {@link Partner} functions, on a packet clock the test moves.
 *
 * <p>h1 runs web1 (app:web, vNIC web1-0, 10.0.1.1), h2 runs db1 (app:db, db1-0, 10.0.2.1). Policy p1
 * allows web → db on https (tcp/443, rule r-https), mysql (tcp/3306, r-mysql) and dns (udp/53, r-dns).
 * Redirection policy "steer" starts without rules; tests add chains and rules.
 */
final class SteeringRig implements AutoCloseable {

    static final String WEB = "10.0.1.1";
    static final String DB = "10.0.2.1";
    static final String WEB_NIC = "web1-0";
    static final String DB_NIC = "db1-0";
    /** Long enough never to be missed on a loaded machine; the tests of deadlines set their own. */
    static final long DEADLINE_MICROS = ServiceChain.MAX_DEADLINE_MICROS;

    final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
    final PolicyCompiler compiler;
    final RedirectionManager redirection;
    final FunctionRegistry registry = new FunctionRegistry(new InsertionConfig(2, 256, Duration.ofNanos(20_000),
            Duration.ZERO, 1000, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(1), 100));
    final ServiceInsertionManager insertion = new ServiceInsertionManager(registry);
    final AtomicLong nanos = new AtomicLong(1_000);
    final SimulatedDataCenter dc;
    /** Every call of every partner function, in order: {@code name:SIDE}. */
    final Queue<String> log = new ConcurrentLinkedQueue<>();
    final CountDownLatch hang = new CountDownLatch(1);
    private final AtomicLong serviceIds = new AtomicLong(100);

    SteeringRig() {
        this(10_000);
    }

    /** A data center whose hosts track at most {@code maxFlowsPerHost} flows. */
    SteeringRig(int maxFlowsPerHost) {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", "app:web", WEB_NIC, WEB, 1);
        vm("db1", "h2", "app:db", DB_NIC, DB, 2);
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("https", tcp("443")), "t");
        manager.create(Kind.SERVICE, service("mysql", tcp("3306")), "t");
        manager.create(Kind.SERVICE, service("dns", new ServiceEntry(Protocol.UDP, List.of(PortRange.parse("53")),
                List.of(), null, null)), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                webToDb("r-https", 10, "https", Action.ALLOW),
                webToDb("r-mysql", 20, "mysql", Action.ALLOW),
                webToDb("r-dns", 30, "dns", Action.ALLOW)), "t");
        manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("steer", 10), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        redirection = new RedirectionManager(compiler);
        manager.addListener(redirection);
        dc = new SimulatedDataCenter(compiler, new SimulatedDataCenter.Config(maxFlowsPerHost, null), nanos::get,
                Clock.systemUTC());
        manager.addListener(dc);
        dc.steer(redirection, insertion, registry);
    }

    static io.ringfence.model.Rule webToDb(String id, int sequence, String service, Action action) {
        return rule(id).sequence(sequence).sources("g-web").destinations("g-db").services(service).action(action)
                .build();
    }

    private void vm(String id, String hostId, String tag, String vnicId, String address, int mac) {
        Vnic nic = new Vnic(vnicId, new MacAddress(0x005056000000L + mac), prefixes(address), "seg");
        manager.create(Kind.VM, new Vm(id, id, hostId, null, List.of(tag), List.of(nic), 0), "t");
    }

    /** A partner function {@code acme/name} 1.0.0, registered. */
    Partner register(String name) {
        Partner p = partner(name, "1.0.0");
        register(p);
        return p;
    }

    /** A partner function, not registered. */
    Partner partner(String name, String version) {
        return new Partner(name, version, log, hang);
    }

    /** Registers {@code p}; its service id. */
    long register(Partner p) {
        long id = serviceIds.incrementAndGet();
        if (!registry.add(p, id, 0)) {
            throw new AssertionError("refused " + p.definitionId());
        }
        return id;
    }

    /** A profile {@code name} of {@code acme/name} with the given values. */
    void profile(String name, Map<String, Object> values) {
        manager.create(Kind.SERVICE_PROFILE, new ServiceProfile(name, name, null, "acme/" + name, values, 0), "t");
    }

    /** A chain through the profiles named like their functions, which it creates (empty values). */
    void chain(String id, FailurePolicy policy, long deadlineMicros, List<String> reverse, String... profiles) {
        for (String p : profiles) {
            if (manager.snapshot().find(Kind.SERVICE_PROFILE, p).isEmpty()) {
                profile(p, Map.of());
            }
        }
        manager.create(Kind.SERVICE_CHAIN, new ServiceChain(id, id, null, Arrays.asList(profiles), reverse, policy,
                deadlineMicros, 0), "t");
    }

    void chain(String id, FailurePolicy policy, String... profiles) {
        chain(id, policy, DEADLINE_MICROS, null, profiles);
    }

    /** Adds a rule to the redirection policy "steer" and waits until the redirection table has it. */
    void redirect(RedirectionRuleBuilder rule) {
        manager.createRedirectionRule("steer", rule.build(), "t");
        sync();
    }

    /** Waits until the redirection table reflects the model. */
    void sync() {
        long revision = manager.snapshot().revision();
        await().atMost(Duration.ofSeconds(10)).until(() -> redirection.revision() == revision);
    }

    void deleteRedirectionRule(String id) {
        manager.deleteRedirectionRule("steer", id, null, "t");
        sync();
    }

    HostAgent agent(String host) {
        return dc.agent(host).orElseThrow();
    }

    /** Decides a packet at a vNIC, one microsecond after the previous one. */
    Verdict process(String vnic, Direction direction, Packet p) {
        nanos.addAndGet(1_000);
        return dc.process(vnic, direction, p);
    }

    /** A TCP segment with sequence and acknowledgement numbers and a payload. */
    static Packet segment(String source, int sourcePort, String destination, int destinationPort, int flags, long seq,
                          long ack, byte[] payload) {
        IpPrefix s = IpPrefix.parse(source);
        return new Packet(s.family(), s, IpPrefix.parse(destination), Packet.TCP, sourcePort, destinationPort, flags,
                seq, ack, 65535, -1, -1, 0, null, 64, 40 + payload.length, payload);
    }

    @Override
    public void close() {
        hang.countDown();
        dc.close();
        redirection.close();
        registry.close();
    }
}
