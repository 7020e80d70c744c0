package io.ringfence.redirection.internal;

import static io.ringfence.model.InsertionFixtures.chain;
import static io.ringfence.model.InsertionFixtures.doNotRedirect;
import static io.ringfence.model.InsertionFixtures.profile;
import static io.ringfence.model.InsertionFixtures.redirect;
import static io.ringfence.model.InsertionFixtures.redirectionPolicy;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.icmp;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Direction;
import io.ringfence.model.InsertionFixtures.RedirectionRuleBuilder;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which chain the table selects, on a small data center: web1 and web2 (app:web), db1 (app:db) and
 * jump (no tag, but inside the static 10.0.9.0/24 of group mgmt); services https, dns and ping;
 * chains ids and av.
 */
class RedirectionTableTest {

    private static final String WEB1 = "web1-nic0";
    private static final String DB1 = "db1-nic0";
    private static final String JUMP = "jump-nic0";

    private final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());

    @BeforeEach
    void dataCenter() {
        manager.create(Kind.HOST, host("h1"), "test");
        manager.create(Kind.VM, vm("web1", "web1", "h1", null, List.of("app:web"),
                vnic("02:00:00:00:00:01", "web", "10.0.1.1", "2001:db8::11")), "test");
        manager.create(Kind.VM, vm("web2", "web2", "h1", null, List.of("app:web"),
                vnic("02:00:00:00:00:02", "web", "10.0.1.2")), "test");
        manager.create(Kind.VM, vm("db1", "db1", "h1", null, List.of("app:db"),
                vnic("02:00:00:00:00:03", "db", "10.0.2.1")), "test");
        manager.create(Kind.VM, vm("jump", "jump", "h1", null, List.of(),
                vnic("02:00:00:00:00:04", "mgmt", "10.0.9.1")), "test");
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "test");
        manager.create(Kind.GROUP, group("db").criteria(tagEquals("app:db")).build(), "test");
        manager.create(Kind.GROUP, group("mgmt").addresses("10.0.9.0/24").build(), "test");
        manager.create(Kind.SERVICE, service("https", tcp("443")), "test");
        manager.create(Kind.SERVICE, service("ping", icmp(8, null)), "test");
        manager.create(Kind.SERVICE_PROFILE, profile("ids", "acme/ids", Map.of()), "test");
        manager.create(Kind.SERVICE_CHAIN, chain("c-ids", "ids"), "test");
        manager.create(Kind.SERVICE_CHAIN, chain("c-av", "ids"), "test");
    }

    /** The table of the current model, with a compiler of that model. */
    private RedirectionTable table() {
        return RedirectionTable.build(manager.snapshot(), new PolicyCompiler(manager.snapshot()));
    }

    private void policy(String id, int sequence, RedirectionRuleBuilder... rules) {
        manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy(id, sequence,
                Arrays.stream(rules).map(RedirectionRuleBuilder::build).toArray(RedirectionRule[]::new)), "test");
    }

    private static Packet https(String from, String to) {
        return Packet.tcp(from, 40000, to, 443, Packet.SYN);
    }

    private static Optional<String> chainOf(Optional<ChainSelection> s) {
        return s.map(ChainSelection::chainId);
    }

    @Test
    void noPolicyRedirectsNothing() {
        assertThat(table().select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1"))).isEmpty();
    }

    @Test
    void anyToAnyRedirectsEveryVnicBothWays() {
        policy("all", 0, redirect("r", "c-ids"));
        RedirectionTable t = table();
        for (String vnic : List.of(WEB1, DB1, JUMP, "web2-nic0")) {
            assertThat(t.select(vnic, Direction.OUT, https("10.0.1.1", "192.0.2.1")))
                    .contains(new ChainSelection("c-ids", "all", "r"));
            assertThat(t.select(vnic, Direction.IN, Packet.udp("192.0.2.1", 53, "10.0.1.1", 5353, null))).isPresent();
        }
        assertThat(t.select(WEB1, Direction.OUT, https("2001:db8::11", "2001:db8::99"))).isPresent();
        assertThat(t.revision()).isEqualTo(manager.snapshot().revision());
    }

    @Test
    void theLocalSideIsTheSourceOutAndTheDestinationInTheRemoteSideTheOther() {
        policy("p", 0, redirect("web-to-db", "c-ids").sources("web").destinations("db"));
        RedirectionTable t = table();
        Packet webToDb = https("10.0.1.1", "10.0.2.1");
        assertThat(t.select(WEB1, Direction.OUT, webToDb)).contains(new ChainSelection("c-ids", "p", "web-to-db"));
        assertThat(t.select(DB1, Direction.IN, webToDb)).contains(new ChainSelection("c-ids", "p", "web-to-db"));
        // web is not on the destination side, db not on the source side
        assertThat(t.select(WEB1, Direction.IN, https("10.0.2.1", "10.0.1.1"))).isEmpty();
        assertThat(t.select(DB1, Direction.OUT, https("10.0.2.1", "10.0.1.1"))).isEmpty();
        // the other end must be in db, whatever vNIC asks
        assertThat(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.9.1"))).isEmpty();
        assertThat(t.select(DB1, Direction.IN, https("10.0.9.1", "10.0.2.1"))).isEmpty();
    }

    @Test
    void negatedSidesMatchWhatIsOutsideThem() {
        policy("p", 0, redirect("not-web-to-db", "c-ids").sources("web").sourcesNegated(true).destinations("db")
                        .direction(Direction.OUT),
                redirect("web-to-not-db", "c-av").sources("web").destinations("db").destinationsNegated(true)
                        .direction(Direction.OUT));
        RedirectionTable t = table();
        assertThat(chainOf(t.select(JUMP, Direction.OUT, https("10.0.9.1", "10.0.2.1")))).contains("c-ids");
        assertThat(t.select(JUMP, Direction.OUT, https("10.0.9.1", "10.0.1.1"))).isEmpty();
        assertThat(chainOf(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.9.1")))).contains("c-av");
        assertThat(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1"))).isEmpty();
        // an IPv6 destination is outside db (IPv4 only): negation takes it in
        assertThat(chainOf(t.select(WEB1, Direction.OUT, https("2001:db8::11", "2001:db8::99")))).contains("c-av");
    }

    @Test
    void servicesMatchPortsProtocolsAndIcmpTypes() {
        policy("p", 0, redirect("https", "c-ids").services("https"), redirect("ping", "c-av").services("ping"));
        RedirectionTable t = table();
        assertThat(chainOf(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1")))).contains("c-ids");
        assertThat(t.select(WEB1, Direction.OUT, Packet.tcp("10.0.1.1", 40000, "10.0.2.1", 80, Packet.SYN))).isEmpty();
        assertThat(t.select(WEB1, Direction.OUT, Packet.udp("10.0.1.1", 40000, "10.0.2.1", 443, null))).isEmpty();
        assertThat(chainOf(t.select(WEB1, Direction.OUT, Packet.icmp("10.0.1.1", "10.0.2.1", 8, 0, 7)))).contains("c-av");
        assertThat(t.select(WEB1, Direction.OUT, Packet.icmp("10.0.1.1", "10.0.2.1", 0, 0, 7))).isEmpty();
    }

    @Test
    void doNotRedirectFirstStopsWithNoChain() {
        policy("exceptions", 0, doNotRedirect("not-db").destinations("db"));
        policy("inspect", 10, redirect("everything", "c-ids"));
        RedirectionTable t = table();
        assertThat(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1"))).isEmpty();
        assertThat(chainOf(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.9.1")))).contains("c-ids");
        // within a policy, by rule sequence
        policy("within", 20, redirect("first", "c-av").sequence(0).destinations("mgmt"),
                doNotRedirect("second").sequence(10).destinations("mgmt"));
        manager.replace(Kind.REDIRECTION_POLICY, "inspect", redirectionPolicy("inspect", 30,
                redirect("everything", "c-ids").build()), null, "test");
        assertThat(chainOf(table().select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.9.1")))).contains("c-av");
    }

    @Test
    void policiesAreEvaluatedBySequenceNotById() {
        policy("a", 20, redirect("a-rule", "c-av"));
        policy("b", 10, redirect("b-rule", "c-ids"));
        assertThat(table().select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1")))
                .contains(new ChainSelection("c-ids", "b", "b-rule"));
    }

    @Test
    void disabledRulesAndPoliciesAreSkipped() {
        policy("p", 0, redirect("off", "c-av").disabled(true), redirect("on", "c-ids"));
        assertThat(chainOf(table().select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1")))).contains("c-ids");
        RedirectionPolicy p = manager.find(Kind.REDIRECTION_POLICY, "p").orElseThrow();
        manager.replace(Kind.REDIRECTION_POLICY, "p", new RedirectionPolicy(null, p.name(), null, null, true, p.rules(), 0),
                null, "test");
        assertThat(table().select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1"))).isEmpty();
    }

    @Test
    void appliedToAndDirectionLimitWhereARuleLands() {
        policy("p", 0, redirect("on-db", "c-ids").appliedTo("db"), redirect("out-only", "c-av").direction(Direction.OUT));
        RedirectionTable t = table();
        assertThat(chainOf(t.select(DB1, Direction.IN, https("10.0.1.1", "10.0.2.1")))).contains("c-ids");
        assertThat(chainOf(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1")))).contains("c-av");
        assertThat(t.select(WEB1, Direction.IN, https("10.0.2.1", "10.0.1.1"))).isEmpty();
    }

    @Test
    void aVnicBelongsToAGroupByItsAddressToo() {
        policy("p", 0, redirect("from-mgmt", "c-ids").sources("mgmt").direction(Direction.OUT));
        RedirectionTable t = table();
        assertThat(chainOf(t.select(JUMP, Direction.OUT, https("10.0.9.1", "10.0.2.1")))).contains("c-ids");
        assertThat(t.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1"))).isEmpty();
    }

    @Test
    void aRebuildTakesOverOnlyClassifiersWhoseAddressesAreUnchanged() {
        policy("p", 0, redirect("web-to-db", "c-ids").sources("web").destinations("db").direction(Direction.OUT),
                redirect("to-mgmt", "c-av").destinations("mgmt").direction(Direction.OUT));
        RedirectionTable before = table();
        assertThat(chainOf(before.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.9.1")))).contains("c-av");
        // jump joins db: web1's entries are the same, the addresses behind their remote side are not
        manager.replace(Kind.VM, "jump", vm("jump", "jump", "h1", null, List.of("app:db"),
                vnic("02:00:00:00:00:04", "mgmt", "10.0.9.1")), null, "test");
        RedirectionTable after = RedirectionTable.build(manager.snapshot(), new PolicyCompiler(manager.snapshot()),
                before);
        assertThat(chainOf(after.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.9.1")))).contains("c-ids");
        assertThat(chainOf(after.select(WEB1, Direction.OUT, https("10.0.1.1", "10.0.2.1")))).contains("c-ids");
        assertThat(after.revision()).isEqualTo(before.revision() + 1);
    }

    @Test
    void unknownVnicsAreNotRedirectedAndDirectionsAreInOrOut() {
        policy("p", 0, redirect("r", "c-ids"));
        RedirectionTable t = table();
        assertThat(t.select("no-such-nic", Direction.OUT, https("10.0.1.1", "10.0.2.1"))).isEmpty();
        assertThatThrownBy(() -> t.select(WEB1, Direction.IN_OUT, https("10.0.1.1", "10.0.2.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membershipOfAnotherRevisionIsRefused() {
        PolicyCompiler before = new PolicyCompiler(manager.snapshot());
        policy("p", 0, redirect("r", "c-ids").sources("web"));
        assertThatThrownBy(() -> RedirectionTable.build(manager.snapshot(), before))
                .isInstanceOf(RedirectionTable.StaleMembership.class).hasMessageContaining("revision");
        // a group the compiler has not seen yet
        manager.create(Kind.GROUP, group("new").build(), "test");
        PolicyCompiler stale = new PolicyCompiler(manager.snapshot());
        manager.createRedirectionRule("p", redirect("r2", "c-ids").sources("new").build(), "test");
        assertThatThrownBy(() -> RedirectionTable.build(manager.snapshot(), stale))
                .isInstanceOf(RedirectionTable.StaleMembership.class);
    }

    @Test
    void rulesWithoutGroupsNeedNoMembership() {
        PolicyCompiler old = new PolicyCompiler(manager.snapshot());
        policy("p", 0, redirect("r", "c-ids").services("https"));
        assertThat(RedirectionTable.build(manager.snapshot(), old).select(WEB1, Direction.OUT,
                https("10.0.1.1", "10.0.2.1"))).isPresent();
    }
}
