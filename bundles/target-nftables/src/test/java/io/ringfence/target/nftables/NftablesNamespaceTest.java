package io.ringfence.target.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.internal.TargetCounterPoller;
import io.ringfence.enforcement.internal.TargetFeed;
import io.ringfence.enforcement.internal.VnicDirectory;
import io.ringfence.model.Vm;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.target.nftables.Namespaces.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The nftables target on real traffic. A hypervisor in network namespaces (a bridge in a host
 * namespace, three VMs on veth pairs: web 10.99.0.11, app 10.99.0.12, db 10.99.0.13, and
 * fd00:99::11-13); the policy is created over the real REST API (H2 store, model manager,
 * compiler), a {@link TargetFeed} carries the compiled rule sets to an {@link NftablesTarget} that
 * runs nft inside the host namespace; TCP, UDP and ICMP between the VMs must get what the policy
 * says, established connections must survive changes that do not concern them and die when their
 * own rule turns to DROP, and the kernel's counters must match the traffic, also as the REST API's rule
 * statistics show them (read back by a {@link TargetCounterPoller}).
 *
 * <p>Needs root (it fails, not skips, without it: CI runs it as root), ip, nft and ping. The tests
 * run in order: each builds on the policy the previous one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class NftablesNamespaceTest {

    static final String HOST = "hv1";
    /** How long a probe waits for an answer that a DROP never gives. */
    static final int DROP_WAIT_MILLIS = 800;
    static final int ANSWER_MILLIS = 3000;

    Namespaces namespaces;
    Namespaces.Vm web;
    Namespaces.Vm app;
    Namespaces.Vm db;
    RestStack rest;
    NftablesTarget target;
    TargetFeed feed;
    TargetCounterPoller counters;
    ScheduledExecutorService feedExecutor;
    Path dir;

    @BeforeAll
    void hypervisor() throws Exception {
        Namespaces.checkPrerequisites();
        Namespaces.removeLeftovers();
        namespaces = new Namespaces();
        namespaces.createHost();
        namespaces.routeToVms("10.99.0.0/24", "fd00:99::/64");
        String classPath = Path.of(TrafficAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        web = namespaces.createVm("web", "vh-web", "10.99.0.11/24", "fd00:99::11/64", classPath);
        app = namespaces.createVm("app", "vh-app", "10.99.0.12/24", "fd00:99::12/64", classPath);
        db = namespaces.createVm("db", "vh-db", "10.99.0.13/24", "fd00:99::13/64", classPath);
        for (String listen : List.of("tcp 8080", "ticker 8081", "tcp 22", "tcp 9999", "udp 5353", "udp 5354")) {
            assertThat(app.agent().send("listen " + listen)).isEqualTo("ok");
        }

        dir = Files.createTempDirectory("ringfence-nft-test");
        // read on demand (period zero) so that the test knows when the counters were read
        counters = new TargetCounterPoller(Duration.ZERO, Duration.ofSeconds(20), Clock.systemUTC());
        rest = new RestStack(dir, counters);
        rest.create("inventory/hosts", "{\"id\":\"" + HOST + "\",\"name\":\"" + HOST + "\"}");
        target = new NftablesTarget(NftablesConfiguration.parse("nft:" + HOST, new String[] {HOST},
                new String[] {"web-nic0=vh-web", "app-nic0=vh-app", "db-nic0=vh-db"},
                "ip netns exec " + Namespaces.HOST + " nft", "ringfence", 432_000, 20_000));
        feedExecutor = Executors.newSingleThreadScheduledExecutor();
        feed = new TargetFeed(target, VnicDirectory.of(rest.manager), Duration.ofSeconds(20), feedExecutor,
                Clock.systemUTC());
        rest.compiler.attach(HOST, feed);
        counters.add(target);
        awaitRealized();
    }

    @AfterAll
    void cleanUp() {
        if (rest != null) {
            rest.compiler.detach(HOST, feed);
            counters.close();
            feed.close();
            target.close();
            feedExecutor.shutdownNow();
            rest.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        assertThat(Namespaces.run("ip", "netns", "list")).doesNotContain(Namespaces.PREFIX);
    }

    @Test
    @Order(1)
    void aVnicIsDeniedFromTheFirstUpdateThatNamesIt() {
        for (String vm : List.of("web", "app", "db")) {
            rest.create("inventory/vms", """
                    {"id":"%s","name":"%s","hostId":"%s","tags":["app:%s"],
                     "vnics":[{"mac":"02:00:00:99:00:%s","addresses":["%s","%s"],"segment":"s"}]}"""
                    .formatted(vm, vm, HOST, vm, vm.equals("web") ? "11" : vm.equals("app") ? "12" : "13",
                            vmOf(vm).ipv4(), vmOf(vm).ipv6()));
        }
        awaitRealized();
        assertThat(feed.status().realized()).containsOnlyKeys("web-nic0", "app-nic0", "db-nic0");

        assertThat(connect(web, "c0", app.ipv4(), 8080, DROP_WAIT_MILLIS)).isEqualTo("timeout");
        assertThat(ping(web, app.ipv4(), 1)).as("dropped, not refused").isEqualTo(new Ping(1, 0, 0));
        assertThat(counter("web-nic0", "default").packets()).as("every SYN and the ping, on the default rule")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void allowedFlowsPassDeniedOnesTimeOutRejectedOnesAreRefusedAtOnce() {
        for (String tier : List.of("web", "app", "db")) {
            rest.create("groups", """
                    {"id":"%s","name":"%s","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:%s"}}"""
                    .formatted(tier, tier, tier));
        }
        rest.create("services", """
                {"id":"app-api","name":"App API","entries":[{"protocol":"TCP","destinationPorts":["8080-8081"]}]}""");
        rest.create("services", """
                {"id":"ssh","name":"SSH","entries":[{"protocol":"TCP","destinationPorts":["22"]}]}""");
        rest.create("services", """
                {"id":"mdns","name":"mDNS","entries":[{"protocol":"UDP","destinationPorts":["5353"]}]}""");
        rest.create("services", """
                {"id":"ping","name":"Ping","entries":[{"protocol":"ICMP","icmpType":8},
                 {"protocol":"ICMPV6","icmpType":128}]}""");
        rest.create("services", """
                {"id":"postgres","name":"PostgreSQL","entries":[{"protocol":"TCP","destinationPorts":["5432"]}]}""");
        rest.create("policies", """
                {"id":"shop","name":"Shop","category":"APPLICATION","sequence":10,"rules":[
                  {"id":"web-to-app","sequence":10,"sources":["web"],"destinations":["app"],"services":["app-api"],
                   "action":"ALLOW"},
                  {"id":"web-ping-app","sequence":20,"sources":["web"],"destinations":["app"],"services":["ping"],
                   "action":"ALLOW"},
                  {"id":"web-mdns-app","sequence":30,"sources":["web"],"destinations":["app"],"services":["mdns"],
                   "action":"ALLOW"},
                  {"id":"no-ssh","sequence":40,"sources":["web"],"destinations":["app"],"services":["ssh"],
                   "action":"REJECT"},
                  {"id":"no-db-ping","sequence":50,"sources":["web"],"destinations":["db"],"services":["ping"],
                   "action":"REJECT"}]}""");
        awaitRealized();

        assertThat(connect(web, "v4", app.ipv4(), 8080, ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("echo v4 " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(connect(web, "v6", app.ipv6(), 8080, ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("echo v6 " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("udp " + app.ipv4() + " 5353 " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("udp " + app.ipv6() + " 5353 " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(ping(web, app.ipv4(), 2)).isEqualTo(new Ping(2, 2, 0));
        assertThat(ping(web, app.ipv6(), 2)).isEqualTo(new Ping(2, 2, 0));

        // app listens on 22, 9999 and 5354: what refuses or stays silent is the firewall
        long start = System.nanoTime();
        assertThat(connect(web, "ssh", app.ipv4(), 22, ANSWER_MILLIS)).as("a reset from the REJECT rule")
                .isEqualTo("refused");
        assertThat(connect(web, "ssh6", app.ipv6(), 22, ANSWER_MILLIS)).isEqualTo("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once, no retries")
                .isLessThan(Duration.ofMillis(DROP_WAIT_MILLIS));
        assertThat(ping(web, db.ipv4(), 1)).as("ICMP administratively prohibited").isEqualTo(new Ping(1, 0, 1));
        assertThat(connect(web, "other", app.ipv4(), 9999, DROP_WAIT_MILLIS)).as("no rule: the default DROP")
                .isEqualTo("timeout");
        assertThat(web.agent().send("udp " + app.ipv4() + " 5354 " + DROP_WAIT_MILLIS)).isEqualTo("timeout");
        assertThat(connect(app, "back", web.ipv4(), 8080, DROP_WAIT_MILLIS)).as("app may not open to web")
                .isEqualTo("timeout");
    }

    @Test
    @Order(3)
    void theKernelsCountersMatchTheTraffic() {
        RuleCounter webBefore = counter("web-nic0", "web-ping-app");
        RuleCounter appBefore = counter("app-nic0", "web-ping-app");
        RuleCounter rejectBefore = counter("web-nic0", "no-db-ping");
        counters.readAll();
        JsonNode statsBefore = rest.get("stats/rules/web-ping-app");

        assertThat(ping(web, app.ipv4(), 4)).isEqualTo(new Ping(4, 4, 0));
        assertThat(ping(web, db.ipv4(), 3)).isEqualTo(new Ping(3, 0, 3));

        // both ends count every packet of the flows they allowed: 4 requests and 4 replies, 84 bytes each
        assertThat(counter("web-nic0", "web-ping-app").packets() - webBefore.packets()).isEqualTo(8);
        assertThat(counter("web-nic0", "web-ping-app").bytes() - webBefore.bytes()).isEqualTo(8 * 84);
        assertThat(counter("app-nic0", "web-ping-app").packets() - appBefore.packets()).isEqualTo(8);
        // a REJECT decides each request; db never sees them
        assertThat(counter("web-nic0", "no-db-ping").packets() - rejectBefore.packets()).isEqualTo(3);
        assertThat(counter("web-nic0", "no-db-ping").bytes() - rejectBefore.bytes()).isEqualTo(3 * 84);
        assertThat(target.counters()).noneMatch(c -> c.vnicId().equals("db-nic0") && c.ruleId().equals("no-db-ping")
                && c.packets() > 0);

        // the rule statistics of the API: the kernel's counts of both vNICs (the simulated data plane saw nothing)
        counters.readAll();
        JsonNode stats = rest.get("stats/rules/web-ping-app");
        assertThat(stats.get("packets").asLong() - statsBefore.get("packets").asLong()).isEqualTo(16);
        assertThat(stats.get("bytes").asLong() - statsBefore.get("bytes").asLong()).isEqualTo(16 * 84);
        assertThat(stats.get("targets")).hasSize(1);
        JsonNode onTarget = stats.get("targets").get(0);
        assertThat(onTarget.get("targetId").asText()).isEqualTo("nft:" + HOST);
        long kernel = counter("web-nic0", "web-ping-app").packets() + counter("app-nic0", "web-ping-app").packets();
        assertThat(onTarget.get("packets").asLong()).isEqualTo(stats.get("packets").asLong()).isEqualTo(kernel);
        assertThat(rest.get("stats/rules/no-db-ping").get("packets").asLong())
                .isEqualTo(counter("web-nic0", "no-db-ping").packets());
    }

    /**
     * Two long connections from web to app: "long" where web speaks first (echo), "ticks" where app
     * sends a byte every 100 ms and web only listens, so that after a change the first packet to
     * be classified again is a reply.
     */
    @Test
    @Order(4)
    void anEstablishedConnectionSurvivesChangesThatDoNotConcernItAndDiesWhenItsRuleTurnsToDrop() {
        assertThat(connect(web, "long", app.ipv4(), 8080, ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("echo long " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(connect(web, "ticks", app.ipv4(), 8081, ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("receive ticks " + ANSWER_MILLIS)).isEqualTo("ok");

        // a rule elsewhere: app may reach db
        rest.create("policies/shop/rules", """
                {"id":"app-to-db","sequence":60,"sources":["app"],"destinations":["db"],"services":["postgres"],
                 "action":"ALLOW"}""");
        awaitRealized();
        assertThat(web.agent().send("echo long " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("receive ticks " + ANSWER_MILLIS)).isEqualTo("ok");

        // a DROP put in front of web-to-app, for another port: the connections are classified again, and pass
        rest.create("policies/shop/rules", """
                {"id":"no-telnet","sequence":5,"sources":["web"],"destinations":["app"],"services":["ssh"],
                 "action":"DROP"}""");
        awaitRealized();
        assertThat(web.agent().send("receive ticks " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(web.agent().send("echo long " + ANSWER_MILLIS)).isEqualTo("ok");
        long packets = counter("app-nic0", "web-to-app").packets();
        assertThat(web.agent().send("echo long " + ANSWER_MILLIS)).isEqualTo("ok");
        assertThat(counter("app-nic0", "web-to-app").packets()).as("the echo's packets, on its rule")
                .isGreaterThanOrEqualTo(packets + 2);

        // its own rule turns to DROP: the next packet is classified again and dropped
        rest.replace("policies/shop/rules/web-to-app", """
                {"sequence":10,"sources":["web"],"destinations":["app"],"services":["app-api"],"action":"DROP"}""");
        awaitRealized();
        assertThat(web.agent().send("echo long " + DROP_WAIT_MILLIS)).isEqualTo("timeout");
        assertThat(web.agent().send("receive ticks " + DROP_WAIT_MILLIS)).isEqualTo("timeout");
        assertThat(connect(web, "new", app.ipv4(), 8080, DROP_WAIT_MILLIS)).isEqualTo("timeout");
        assertThat(web.agent().send("echo v6 " + DROP_WAIT_MILLIS)).as("and so does the IPv6 one").isEqualTo("timeout");
    }

    // ---- helpers

    Namespaces.Vm vmOf(String name) {
        return switch (name) {
            case "web" -> web;
            case "app" -> app;
            default -> db;
        };
    }

    static String connect(Namespaces.Vm from, String id, String address, int port, int millis) {
        return from.agent().send("connect " + id + " " + address + " " + port + " " + millis);
    }

    /** What ping said. */
    record Ping(int transmitted, int received, int errors) {
    }

    static final Pattern PING = Pattern.compile("(\\d+) packets transmitted, (\\d+) received(?:, \\+(\\d+) errors)?");

    static Ping ping(Namespaces.Vm from, String address, int count) {
        Result r = Namespaces.exec("ip", "netns", "exec", from.namespace(), "ping", "-n", "-c", Integer.toString(count),
                "-i", "0.2", "-W", "1", address);
        Matcher m = PING.matcher(r.output());
        assertThat(m.find()).as("ping's summary in: %s", r.output()).isTrue();
        return new Ping(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    RuleCounter counter(String vnic, String rule) {
        return target.counters().stream().filter(c -> c.vnicId().equals(vnic) && c.ruleId().equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no counter for " + rule + " on " + vnic + ": "
                        + target.counters()));
    }

    /** Waits until the target acknowledged every change made so far. */
    void awaitRealized() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        TargetFeedStatus s = feed.status();
        while (!s.inSync() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            s = feed.status();
        }
        assertThat(s.inSync()).as("target in sync: %s", s).isTrue();
        assertThat(s.error()).as("no error: %s", s).isNull();
    }
}
