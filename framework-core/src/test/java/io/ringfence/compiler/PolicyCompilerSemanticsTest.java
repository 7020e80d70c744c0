package io.ringfence.compiler;

import static io.ringfence.model.ModelFixtures.all;
import static io.ringfence.model.ModelFixtures.condition;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.icmp;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion.Attribute;
import io.ringfence.model.Criterion.Operator;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.ModelFixtures.GroupBuilder;
import io.ringfence.model.ModelFixtures.RuleBuilder;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.AddressSet;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What lands on which vNIC, entry by entry, for small hand-built models; every case is checked on
 * {@link PolicyCompiler} and on the {@link ReferenceCompiler}, and the two are compared in full.
 */
class PolicyCompilerSemanticsTest {

    private final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
    private int macs;
    private PolicyCompiler compiler;
    private ReferenceCompiler.Result oracle;

    /**
     * h1: web1 (app:web env:prod; front 10.0.1.1 2001:db8:1::1), other (no tags; mgmt 10.0.9.1);
     * h2: web2 (app:web env:dev; front 10.0.1.2), db1 (app:db env:prod; back 10.0.2.1).
     * Groups g-web (tag app:web), g-db (tag app:db), g-prod (tag env:prod).
     */
    @BeforeEach
    void inventory() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", List.of("app:web", "env:prod"), nic("web1-0", "front", "10.0.1.1", "2001:db8:1::1"));
        vm("other", "h1", List.of(), nic("other-0", "mgmt", "10.0.9.1"));
        vm("web2", "h2", List.of("app:web", "env:dev"), nic("web2-0", "front", "10.0.1.2"));
        vm("db1", "h2", List.of("app:db", "env:prod"), nic("db1-0", "back", "10.0.2.1"));
        createGroup(group("g-web").criteria(tagEquals("app:web")));
        createGroup(group("g-db").criteria(tagEquals("app:db")));
        createGroup(group("g-prod").criteria(tagEquals("env:prod")));
    }

    private static final List<String> BASE_VNICS = List.of("web1-0", "other-0", "web2-0", "db1-0");

    // ---- groups: nesting, exclusion, addresses

    @Test
    void nestedGroupsBringInTheirVmsAndTheirStaticAddresses() {
        createGroup(group("g-net").addresses("10.0.9.0/24"));
        createGroup(group("g-apps").groups("g-web", "g-db", "g-net"));
        vm("far", "h1", List.of(), nic("far-0", "mgmt", "10.0.10.1"));
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).sources("g-apps").destinations("g-apps"));
        compile();

        for (String v : List.of("web1-0", "web2-0", "db1-0", "other-0")) {
            assertOut(v, out("r1", "g-apps"));
            assertIn(v, in("r1", "g-apps"));
        }
        assertOut("far-0");
        assertIn("far-0");
        assertAddressGroup("g-apps", "10.0.1.1", "10.0.1.2", "10.0.2.1", "10.0.9.0/24", "2001:db8:1::1");
    }

    @Test
    void excludedVmsAddressesAndGroupsKeepVnicsOut() {
        vm("x1", "h1", List.of(), nic("x1-0", "front", "10.0.1.5"));
        vm("x2", "h1", List.of(), nic("x2-0", "front", "10.0.1.200"));
        vm("x3", "h2", List.of(), nic("x3-0", "back", "10.0.2.7"));
        createGroup(group("g-web-but-2").criteria(tagEquals("app:web")).excludedVms("web2"));
        createGroup(group("g-front").addresses("10.0.1.0/24").excludedAddresses("10.0.1.128/25"));
        createGroup(group("g-apps-but-db").criteria(condition(Attribute.TAG, Operator.STARTS_WITH, "app:"))
                .addresses("10.0.2.0/24").excludedGroups("g-db"));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web-but-2").direction(Direction.OUT),
                rule("r2").sequence(20).destinations("g-front").direction(Direction.IN),
                rule("r3").sequence(30).destinations("g-apps-but-db").direction(Direction.IN));
        compile();

        assertOut("web1-0", out("r1", null));
        assertOut("web2-0");
        // g-front: 10.0.1.0/25 only
        assertIn("web1-0", in("r2", null), in("r3", null));
        assertIn("web2-0", in("r2", null), in("r3", null));
        assertIn("x1-0", in("r2", null));
        assertIn("x2-0");
        // g-apps-but-db: db1 is excluded as a VM, and its address leaves the static 10.0.2.0/24 with g-db
        assertIn("db1-0");
        assertIn("x3-0", in("r3", null));
        assertIn("other-0");
        assertThat(oracle.addressGroups()).isEmpty();
        assertThat(members("g-apps-but-db").addresses()).extracting(Object::toString).containsExactly(
                "10.0.1.1", "10.0.1.2", "10.0.2.0", "10.0.2.2/31", "10.0.2.4/30", "10.0.2.8/29", "10.0.2.16/28",
                "10.0.2.32/27", "10.0.2.64/26", "10.0.2.128/25", "2001:db8:1::1");
    }

    /**
     * Excluding a VM removes the VM, not its addresses: when a vNIC's address lies in the group's
     * static addresses the vNIC still belongs (and the address stays in the group's address set).
     */
    @Test
    void anExcludedVmStillBelongsThroughTheGroupsStaticAddresses() {
        createGroup(group("g-front").addresses("10.0.1.0/24").excludedVms("web2"));
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).destinations("g-front").direction(Direction.IN));
        compile();

        assertIn("web1-0", in("r1", null));
        assertIn("web2-0", in("r1", null));
        assertThat(members("g-front").vms()).isEmpty();
        assertThat(members("g-front").addresses()).extracting(Object::toString).containsExactly("10.0.1.0/24");
    }

    @Test
    void addressOnlyGroupsCatchTheVnicsWhoseAddressLiesInThemInBothFamilies() {
        vm("v6only", "h2", List.of(), nic("v6only-0", "back", "2001:db8:2::5"));
        vm("v6far", "h2", List.of(), nic("v6far-0", "back", "2001:db8:3::5"));
        vm("dual", "h1", List.of(), nic("dual-0", "front", "10.0.7.1", "2001:db8:2::7"));
        createGroup(group("g-back-net").addresses("10.0.2.0/24", "2001:db8:2::/64"));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).destinations("g-back-net").direction(Direction.IN),
                rule("r2").sequence(20).sources("g-back-net").destinations("g-web").direction(Direction.OUT));
        compile();

        assertIn("db1-0", in("r1", null));
        assertOut("db1-0", out("r2", "g-web"));
        assertIn("v6only-0", in("r1", null));
        assertOut("v6only-0", out("r2", "g-web"));
        // one address of the vNIC in the group is enough
        assertIn("dual-0", in("r1", null));
        assertOut("dual-0", out("r2", "g-web"));
        for (String v : List.of("v6far-0", "web1-0", "web2-0", "other-0")) {
            assertIn(v);
            assertOut(v);
        }
        assertAddressGroup("g-web", "10.0.1.1", "10.0.1.2", "2001:db8:1::1");
    }

    @Test
    void ipv6PrefixesAndExclusions() {
        vm("a", "h1", List.of(), nic("a-0", "v6", "2001:db8::1"));
        vm("b", "h1", List.of(), nic("b-0", "v6", "2001:db8:0:8000::1"));
        vm("c", "h2", List.of(), nic("c-0", "v6", "2001:db8:1::2"));
        createGroup(group("g-six").addresses("2001:db8::/48").excludedAddresses("2001:db8:0:8000::/49"));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-six").destinations("g-six").action(Action.DROP));
        compile();

        assertOut("a-0", out("r1", "g-six"));
        assertIn("a-0", in("r1", "g-six"));
        for (String v : List.of("b-0", "c-0", "web1-0")) {
            assertOut(v);
            assertIn(v);
        }
        assertAddressGroup("g-six", "2001:db8::/49");
    }

    // ---- sides: negation and ANY

    @Test
    void negatedSourcesLandOutOnNonMembersAndNegateTheRemoteOfIn() {
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web").sourcesNegated(true).destinations("g-db"));
        compile();

        // OUT: on every vNIC that is not a web member, towards g-db
        assertOut("db1-0", out("r1", "g-db"));
        assertOut("other-0", out("r1", "g-db"));
        assertOut("web1-0");
        assertOut("web2-0");
        // IN: on g-db members, from anything that is NOT in g-web
        assertIn("db1-0", entry("r1", Direction.IN, "g-web", true));
        assertIn("web1-0");
        assertIn("other-0");
        assertAddressGroup("g-db", "10.0.2.1");
        assertAddressGroup("g-web", "10.0.1.1", "10.0.1.2", "2001:db8:1::1");
    }

    @Test
    void negatedDestinationsLandInOnNonMembersAndNegateTheRemoteOfOut() {
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).destinations("g-web", "g-db").destinationsNegated(true));
        compile();

        for (String v : BASE_VNICS) {
            assertOut(v, entry("r1", Direction.OUT, "g-db+g-web", true));
        }
        assertIn("other-0", in("r1", null));
        assertIn("web1-0");
        assertIn("web2-0");
        assertIn("db1-0");
        assertAddressGroup("g-db+g-web", "10.0.1.1", "10.0.1.2", "10.0.2.1", "2001:db8:1::1");
    }

    @Test
    void anySourceLandsOutOnEveryVnic() {
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).destinations("g-db"));
        compile();

        for (String v : BASE_VNICS) {
            assertOut(v, out("r1", "g-db"));
        }
        assertIn("db1-0", in("r1", null));
        assertIn("web1-0");
        assertIn("other-0");
    }

    @Test
    void anyToAnyLandsBothWaysEverywhere() {
        vm("bare", "h2", List.of(), new Vnic("bare-0", mac(), List.of(), null));
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).action(Action.DROP));
        compile();

        for (String v : List.of("web1-0", "other-0", "web2-0", "db1-0", "bare-0")) {
            assertOut(v, out("r1", null));
            assertIn(v, in("r1", null));
        }
        assertThat(oracle.addressGroups()).isEmpty();
    }

    // ---- applied-to, direction, disabled

    @Test
    void appliedToNarrowerThanTheSides() {
        createGroup(group("g-web-prod").criteria(all(tagEquals("app:web"), tagEquals("env:prod"))));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web").destinations("g-db").appliedTo("g-web-prod"),
                rule("r2").sequence(20).appliedTo("g-db"));
        compile();

        assertOut("web1-0", out("r1", "g-db"));
        assertIn("web1-0");
        // web2 is a source but not in applied-to; db1 is a destination but not in applied-to for r1
        assertOut("web2-0");
        assertIn("web2-0");
        assertOut("db1-0", out("r2", null));
        assertIn("db1-0", in("r2", null));
        assertOut("other-0");
        assertIn("other-0");
    }

    @Test
    void appliedToByAddress() {
        createGroup(group("g-front-net").addresses("10.0.1.0/24"));
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).appliedTo("g-front-net").direction(Direction.IN));
        compile();

        assertIn("web1-0", in("r1", null));
        assertIn("web2-0", in("r1", null));
        assertIn("db1-0");
        assertIn("other-0");
    }

    @Test
    void aVmInBothSidesGetsBothEntries() {
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).sources("g-web").destinations("g-web"));
        compile();

        assertOut("web1-0", out("r1", "g-web"));
        assertIn("web1-0", in("r1", "g-web"));
        assertOut("web2-0", out("r1", "g-web"));
        assertIn("web2-0", in("r1", "g-web"));
        assertOut("db1-0");
        assertIn("db1-0");
    }

    @Test
    void directionInOnlyAndOutOnly() {
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r-in").sequence(10).sources("g-web").destinations("g-db").direction(Direction.IN),
                rule("r-out").sequence(20).sources("g-web").destinations("g-db").direction(Direction.OUT));
        compile();

        assertIn("db1-0", in("r-in", "g-web"));
        assertOut("db1-0");
        assertOut("web1-0", out("r-out", "g-db"));
        assertIn("web1-0");
        assertOut("web2-0", out("r-out", "g-db"));
        assertIn("web2-0");
    }

    @Test
    void disabledRulesLandNowhere() {
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).disabled(true),
                rule("r2").sequence(20).sources("g-web").disabled(true),
                rule("r3").sequence(30).sources("g-db").direction(Direction.OUT));
        compile();

        for (String v : List.of("web1-0", "other-0", "web2-0")) {
            assertOut(v);
            assertIn(v);
        }
        assertOut("db1-0", out("r3", null));
        assertIn("db1-0");
    }

    @Test
    void aStagedRuleLandsInItsPlaceMarkedStagedAndADisabledOneNowhere() {
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r-allow").sequence(10).sources("g-web").destinations("g-db").direction(Direction.OUT),
                rule("r-audit").sequence(5).sources("g-web").destinations("g-db").direction(Direction.OUT)
                        .action(Action.DROP).staged(true),
                rule("r-off").sequence(1).sources("g-web").destinations("g-db").direction(Direction.OUT)
                        .staged(true).disabled(true));
        compile();

        CompiledRule audit = out("r-audit", "g-db");
        assertThat(audit.staged()).isTrue();
        assertThat(out("r-allow", "g-db").staged()).isFalse();
        assertOut("web1-0", audit, out("r-allow", "g-db"));
        assertOut("web2-0", audit, out("r-allow", "g-db"));
        assertOut("db1-0");
    }

    @Test
    void stagingAndEnforcingARuleChangesTheTablesItLandsOnOnly() {
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web").destinations("g-db").direction(Direction.OUT),
                rule("r2").sequence(20).sources("g-db").destinations("g-web").direction(Direction.OUT));
        compile();
        manager.addListener(compiler);
        long dbGeneration = compiler.ruleSet("db1-0").orElseThrow().generation();
        List<HostDelta> h1 = new ArrayList<>();
        compiler.attach("h1", h1::add);

        manager.replaceRule("p1", "r1", rule("r1").sequence(10).sources("g-web").destinations("g-db")
                .direction(Direction.OUT).staged(true).build(), null, "t");
        recheckAgainstOracle();
        assertThat(compiler.ruleSet("web1-0").orElseThrow().out()).singleElement()
                .satisfies(e -> assertThat(e.staged()).isTrue());
        assertThat(compiler.ruleSet("web1-0").orElseThrow().generation()).isEqualTo(compiler.generation());
        assertThat(compiler.ruleSet("db1-0").orElseThrow().generation()).isEqualTo(dbGeneration);
        assertThat(h1).hasSize(2);
        assertThat(h1.get(1).ruleSets()).extracting(VnicRuleSet::vnicId).containsExactly("web1-0");

        manager.replaceRule("p1", "r1", rule("r1").sequence(10).sources("g-web").destinations("g-db")
                .direction(Direction.OUT).build(), null, "t");
        recheckAgainstOracle();
        assertOut("web1-0", out("r1", "g-db"));
        assertThat(out("r1", "g-db").staged()).isFalse();
    }

    // ---- what an entry carries, and order

    @Test
    void anEntryCarriesTheRuleAndItsServicesInTheRulesServiceOrder() {
        manager.create(Kind.SERVICE, service("https", tcp("443"), tcp("8443")), "t");
        manager.create(Kind.SERVICE, service("ping", icmp(8, 0)), "t");
        createPolicy("p-infra", Category.INFRASTRUCTURE, 7,
                rule("r1").sequence(3).sources("g-db").destinations("g-web").services("ping", "https")
                        .action(Action.REJECT).logged(true).tag("audit-42").direction(Direction.OUT));
        compile();

        List<ServiceEntry> services = List.of(icmp(8, 0), tcp("443"), tcp("8443"));
        assertOut("db1-0", new CompiledRule("r1", "p-infra", Category.INFRASTRUCTURE, 7, 3, Direction.OUT,
                Action.REJECT, true, "audit-42", "g-web", false, services));
        assertIn("web1-0");
    }

    @Test
    void entriesFollowCategoryThenPolicySequenceThenRuleSequence() {
        createPolicy("app-10", Category.APPLICATION, 10, rule("a10-30").sequence(30).direction(Direction.OUT),
                rule("a10-10").sequence(10).direction(Direction.OUT), rule("a10-20").sequence(20).direction(Direction.OUT));
        createPolicy("app-5", Category.APPLICATION, 5, rule("a5-1").sequence(1).direction(Direction.OUT));
        createPolicy("env-0", Category.ENVIRONMENT, 0, rule("env-1").sequence(1).direction(Direction.OUT));
        createPolicy("infra-90", Category.INFRASTRUCTURE, 90, rule("i90-1").sequence(1).direction(Direction.OUT));
        createPolicy("infra-20", Category.INFRASTRUCTURE, 20, rule("i20-5").sequence(5).direction(Direction.OUT),
                rule("i20-4").sequence(4).direction(Direction.OUT));
        createPolicy("emer-100", Category.EMERGENCY, 100, rule("e-1").sequence(1).direction(Direction.OUT));
        compile();

        List<String> expected = List.of("e-1", "i20-4", "i20-5", "i90-1", "env-1", "a5-1", "a10-10", "a10-20", "a10-30");
        for (String v : BASE_VNICS) {
            assertOut(v, expected.stream().map(r -> out(r, null)).toArray(CompiledRule[]::new));
        }
    }

    /** Ties the manager never lets through (same policy sequence, same rule sequence) fall to the ids. */
    @Test
    void tiesInSequenceAreBrokenByPolicyIdThenRuleId() {
        ModelSnapshot base = manager.snapshot();
        ModelSnapshot model = base.toBuilder()
                .put(new Policy("p-b", "p-b", null, Category.APPLICATION, 10,
                        List.of(rule("rb").sequence(1).build().withIdentity("rb", 1, 1)), 1))
                .put(new Policy("p-a", "p-a", null, Category.APPLICATION, 10,
                        List.of(rule("ra-2").sequence(1).build().withIdentity("ra-2", 1, 1),
                                rule("ra-1").sequence(1).build().withIdentity("ra-1", 1, 1)), 1))
                .revision(base.revision() + 1).build();
        compiler = new PolicyCompiler(model);
        oracle = ReferenceCompiler.compile(model);
        CompilerAssertions.assertMatchesOracle(compiler, model, oracle, "ties");

        List<String> outIds = compiler.ruleSet("web1-0").orElseThrow().out().stream().map(CompiledRule::ruleId).toList();
        assertThat(outIds).containsExactly("ra-1", "ra-2", "rb");
        assertThat(oracle.ruleSets().get("web1-0").out()).extracting(CompiledRule::ruleId)
                .containsExactly("ra-1", "ra-2", "rb");
    }

    @Test
    void everyVnicOfAMemberVmBelongsEvenWhenOnlyOneIsOnTheSegment() {
        vm("multi", "h1", List.of(), nic("multi-0", "seg-a", "10.0.1.9"), nic("multi-1", "seg-b", "10.0.5.9"));
        vm("b-only", "h2", List.of(), nic("b-only-0", "seg-b", "10.0.5.10"));
        createGroup(group("g-seg-a").criteria(condition(Attribute.SEGMENT, Operator.EQUALS, "seg-a")));
        createGroup(group("g-net-a").addresses("10.0.1.0/24"));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-seg-a").direction(Direction.OUT),
                rule("r2").sequence(20).destinations("g-net-a").direction(Direction.IN));
        compile();

        // criteria: membership is per VM, so both vNICs of multi carry r1
        assertOut("multi-0", out("r1", null));
        assertOut("multi-1", out("r1", null));
        assertOut("b-only-0");
        // addresses: per vNIC, so only the vNIC whose address lies in 10.0.1.0/24 carries r2
        assertIn("multi-0", in("r2", null));
        assertIn("multi-1");
        assertThat(compiler.ruleSetsOfVm("multi")).extracting(VnicRuleSet::vnicId).containsExactly("multi-0", "multi-1");
        assertThat(compiler.ruleSetsOfVm("no-such-vm")).isEmpty();
        assertThat(compiler.ruleSet("no-such-vnic")).isEmpty();
    }

    @Test
    void theRemoteOfSeveralGroupsIsOneAddressGroupOfTheirUnion() {
        createGroup(group("g-ext").addresses("192.0.2.0/24"));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web", "g-db", "g-ext").destinations("g-prod").direction(Direction.IN));
        compile();

        assertIn("web1-0", in("r1", "g-db+g-ext+g-web"));
        assertIn("db1-0", in("r1", "g-db+g-ext+g-web"));
        assertIn("web2-0");
        AddressGroup ag = compiler.addressGroup("g-db+g-ext+g-web").orElseThrow();
        assertThat(ag.groupIds()).containsExactly("g-db", "g-ext", "g-web");
        assertAddressGroup("g-db+g-ext+g-web", "10.0.1.1", "10.0.1.2", "10.0.2.1", "192.0.2.0/24", "2001:db8:1::1");
        assertThat(compiler.addressGroup("g-web")).isEmpty();
    }

    @Test
    void oneEntryInstanceServesEveryVnicItLandsOn() {
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).destinations("g-db").direction(Direction.OUT));
        compile();

        CompiledRule first = compiler.ruleSet("web1-0").orElseThrow().out().get(0);
        for (String v : BASE_VNICS) {
            assertThat(compiler.ruleSet(v).orElseThrow().out().get(0)).as(v).isSameAs(first);
        }
    }

    // ---- default rule, and changes

    @Test
    void theDefaultRuleEndsEveryTable() {
        compile();
        for (String v : BASE_VNICS) {
            VnicRuleSet rs = compiler.ruleSet(v).orElseThrow();
            assertThat(rs.defaultAction()).isEqualTo(Action.DROP);
            assertThat(rs.defaultLogged()).isFalse();
            assertThat(rs.size()).isZero();
        }

        long before = compiler.generation();
        manager.addListener(compiler);
        manager.setDefaultRule(new DefaultRule(Action.ALLOW, true, 0), null, "t");
        assertThat(compiler.generation()).isGreaterThan(before);
        for (String v : BASE_VNICS) {
            VnicRuleSet rs = compiler.ruleSet(v).orElseThrow();
            assertThat(rs.defaultAction()).as(v).isEqualTo(Action.ALLOW);
            assertThat(rs.defaultLogged()).as(v).isTrue();
            assertThat(rs.generation()).as(v).isGreaterThan(before);
        }
        recheckAgainstOracle();
        PolicyCompiler fresh = new PolicyCompiler(manager.snapshot());
        assertThat(fresh.ruleSet("db1-0").orElseThrow().defaultAction()).isEqualTo(Action.ALLOW);
    }

    /** A VM joining a group changes the group's address group, not the tables that only talk to it. */
    @Test
    void aVmJoiningAGroupChangesItsOwnTableAndTheAddressGroupOnly() {
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).sources("g-web").destinations("g-db"));
        compile();
        manager.addListener(compiler);
        long webTableGeneration = compiler.ruleSet("web1-0").orElseThrow().generation();
        long dbTableGeneration = compiler.ruleSet("db1-0").orElseThrow().generation();
        long addressGroupGeneration = compiler.addressGroup("g-db").orElseThrow().generation();
        List<HostDelta> h1 = new ArrayList<>();
        List<HostDelta> h2 = new ArrayList<>();
        compiler.attach("h1", h1::add);
        compiler.attach("h2", h2::add);
        assertThat(h1).singleElement().satisfies(d -> {
            assertThat(d.full()).isTrue();
            assertThat(d.ruleSets()).extracting(VnicRuleSet::vnicId).containsExactlyInAnyOrder("web1-0", "other-0");
            assertThat(d.addressGroups()).extracting(AddressGroup::id).containsExactly("g-db");
        });
        assertThat(h2).singleElement().satisfies(d -> {
            assertThat(d.full()).isTrue();
            assertThat(d.ruleSets()).extracting(VnicRuleSet::vnicId).containsExactlyInAnyOrder("web2-0", "db1-0");
            assertThat(d.addressGroups()).extracting(AddressGroup::id).containsExactlyInAnyOrder("g-db", "g-web");
        });

        // other (on h1) becomes a db: it gains the IN entry; web1 (h1) and web2 (h2) keep their tables
        Vm other = manager.find(Kind.VM, "other").orElseThrow();
        manager.replace(Kind.VM, "other", new Vm("other", other.name(), "h1", null, List.of("app:db"), other.vnics(), 0),
                null, "t");

        recheckAgainstOracle();
        assertIn("other-0", in("r1", "g-web"));
        assertThat(compiler.ruleSet("web1-0").orElseThrow().generation()).isEqualTo(webTableGeneration);
        assertThat(compiler.ruleSet("web2-0").orElseThrow().generation()).isEqualTo(webTableGeneration);
        assertThat(compiler.ruleSet("db1-0").orElseThrow().generation()).isEqualTo(dbTableGeneration);
        AddressGroup db = compiler.addressGroup("g-db").orElseThrow();
        assertThat(db.addresses()).isEqualTo(AddressSet.of(prefixes("10.0.2.1", "10.0.9.1")));
        assertThat(db.generation()).isGreaterThan(addressGroupGeneration);
        assertThat(compiler.ruleSet("other-0").orElseThrow().generation()).isEqualTo(compiler.generation());

        assertThat(h1).hasSize(2);
        HostDelta d1 = h1.get(1);
        assertThat(d1.full()).isFalse();
        assertThat(d1.ruleSets()).extracting(VnicRuleSet::vnicId).containsExactly("other-0");
        // g-db changed; g-web is new to h1 (other's IN entry refers to it)
        assertThat(d1.addressGroups()).extracting(AddressGroup::id).containsExactlyInAnyOrder("g-db", "g-web");
        assertThat(d1.removedVnics()).isEmpty();
        assertThat(d1.removedAddressGroups()).isEmpty();
        assertThat(h2).hasSize(2);
        HostDelta d2 = h2.get(1);
        assertThat(d2.ruleSets()).isEmpty();
        assertThat(d2.addressGroups()).extracting(AddressGroup::id).containsExactly("g-db");
        assertThat(d1.generation()).isEqualTo(d2.generation()).isEqualTo(compiler.generation());

        // a change that concerns h2 only sends nothing to h1
        vm("db2", "h2", List.of(), nic("db2-0", "back", "10.0.3.1"));
        recheckAgainstOracle();
        assertThat(h1).hasSize(2);
        assertThat(h2).hasSize(3);
        assertThat(h2.get(2).ruleSets()).extracting(VnicRuleSet::vnicId).containsExactly("db2-0");
        assertThat(h2.get(2).addressGroups()).isEmpty();
    }

    /**
     * An excluded group's address set includes its VMs' addresses, so a VM joining the excluded group
     * takes its addresses out of the other group's static addresses, for every vNIC that has them.
     */
    @Test
    void aVmJoiningAnExcludedGroupTakesItsAddressAwayFromOtherVnicsWithTheSameAddress() {
        vm("twin", "h2", List.of(), nic("twin-0", "mgmt", "10.0.9.1"));
        createGroup(group("g-mgmt-net").addresses("10.0.9.0/24").excludedGroups("g-db"));
        createPolicy("p1", Category.APPLICATION, 10, rule("r1").sequence(10).sources("g-mgmt-net").direction(Direction.OUT));
        compile();
        manager.addListener(compiler);
        assertOut("other-0", out("r1", null));
        assertOut("twin-0", out("r1", null));

        // other (10.0.9.1) becomes a db: 10.0.9.1 leaves g-mgmt-net, for twin (same address) too
        Vm other = manager.find(Kind.VM, "other").orElseThrow();
        manager.replace(Kind.VM, "other", new Vm("other", other.name(), "h1", null, List.of("app:db"), other.vnics(), 0),
                null, "t");
        recheckAgainstOracle();
        assertOut("other-0");
        assertOut("twin-0");

        // and back
        manager.replace(Kind.VM, "other", new Vm("other", other.name(), "h1", null, List.of(), other.vnics(), 0),
                null, "t");
        recheckAgainstOracle();
        assertOut("other-0", out("r1", null));
        assertOut("twin-0", out("r1", null));
    }

    /**
     * One change that moves an address group's only user on a host from one vNIC to another: the
     * host keeps the address group, so the delta must not send it again (HostDelta: address groups
     * "new to this host or changed").
     */
    @Test
    void aHostThatKeepsAnAddressGroupIsNotSentItAgain() {
        vm("a", "h1", List.of(), nic("a-0", "front", "10.0.1.10"));
        vm("b", "h1", List.of(), nic("b-0", "front", "10.0.1.11"));
        createGroup(group("g-one").vms("a"));
        createPolicy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-one").destinations("g-db").direction(Direction.OUT));
        compile();
        manager.addListener(compiler);
        List<HostDelta> h1 = new ArrayList<>();
        compiler.attach("h1", h1::add);
        assertOut("a-0", out("r1", "g-db"));

        // g-one: a -> b, then b -> a: each time one vNIC of h1 drops g-db and another takes it up
        for (String vm : List.of("b", "a")) {
            Group g = manager.find(Kind.GROUP, "g-one").orElseThrow();
            manager.replace(Kind.GROUP, "g-one", new Group("g-one", g.name(), null, null, List.of(vm), List.of(),
                    List.of(), List.of(), List.of(), List.of(), 0), null, "t");
            recheckAgainstOracle();
            assertOut(vm + "-0", out("r1", "g-db"));
            HostDelta d = h1.get(h1.size() - 1);
            assertThat(d.ruleSets()).extracting(VnicRuleSet::vnicId).containsExactlyInAnyOrder("a-0", "b-0");
            assertThat(d.addressGroups()).as("address groups resent to h1 when g-one becomes {%s}", vm).isEmpty();
            assertThat(d.removedAddressGroups()).isEmpty();
        }
    }

    // ---- helpers

    private void vm(String id, String hostId, List<String> tags, Vnic... vnics) {
        manager.create(Kind.VM, new Vm(id, id, hostId, null, tags, List.of(vnics), 0), "t");
    }

    private Vnic nic(String id, String segment, String... addresses) {
        return new Vnic(id, mac(), prefixes(addresses), segment);
    }

    private MacAddress mac() {
        macs++;
        return new MacAddress(0x005056000000L + macs);
    }

    private void createGroup(GroupBuilder g) {
        manager.create(Kind.GROUP, g.build(), "t");
    }

    private void createPolicy(String id, Category category, int sequence, RuleBuilder... rules) {
        Rule[] built = new Rule[rules.length];
        for (int i = 0; i < rules.length; i++) {
            built[i] = rules[i].build();
        }
        manager.create(Kind.POLICY, policy(id, category, sequence, built), "t");
    }

    private Members members(String groupId) {
        return manager.members(groupId);
    }

    /** Compiles the current model with both compilers and checks that they agree in full. */
    private void compile() {
        ModelSnapshot model = manager.snapshot();
        compiler = new PolicyCompiler(model);
        oracle = ReferenceCompiler.compile(model);
        CompilerAssertions.assertMatchesOracle(compiler, model, oracle, "full compile");
    }

    /** Checks the (incrementally updated) compiler against the oracle of the current model. */
    private void recheckAgainstOracle() {
        ModelSnapshot model = manager.snapshot();
        oracle = ReferenceCompiler.compile(model);
        CompilerAssertions.assertMatchesOracle(compiler, model, oracle, "after change");
    }

    /** The entry of a rule of the current model, with its policy's and rule's fields. */
    private CompiledRule entry(String ruleId, Direction direction, String remote, boolean remoteNegated) {
        for (Policy p : manager.snapshot().policies()) {
            for (Rule r : p.rules()) {
                if (r.id().equals(ruleId)) {
                    return new CompiledRule(r.id(), p.id(), p.category(), p.sequence(), r.sequence(), direction,
                            r.action(), r.logged(), r.staged(), r.tag(), remote, remoteNegated, List.of());
                }
            }
        }
        throw new AssertionError("no rule " + ruleId);
    }

    private CompiledRule out(String ruleId, String remote) {
        return entry(ruleId, Direction.OUT, remote, false);
    }

    private CompiledRule in(String ruleId, String remote) {
        return entry(ruleId, Direction.IN, remote, false);
    }

    private void assertIn(String vnicId, CompiledRule... expected) {
        VnicRuleSet rs = compiler.ruleSet(vnicId).orElseThrow(() -> new AssertionError("no rule set for " + vnicId));
        assertThat(rs.in()).as("compiler: IN entries of %s\n%s", vnicId, CompilerAssertions.describe(rs))
                .containsExactly(expected);
        assertThat(oracle.ruleSets().get(vnicId).in()).as("oracle: IN entries of %s", vnicId).containsExactly(expected);
    }

    private void assertOut(String vnicId, CompiledRule... expected) {
        VnicRuleSet rs = compiler.ruleSet(vnicId).orElseThrow(() -> new AssertionError("no rule set for " + vnicId));
        assertThat(rs.out()).as("compiler: OUT entries of %s\n%s", vnicId, CompilerAssertions.describe(rs))
                .containsExactly(expected);
        assertThat(oracle.ruleSets().get(vnicId).out()).as("oracle: OUT entries of %s", vnicId)
                .containsExactly(expected);
    }

    private void assertAddressGroup(String id, String... addresses) {
        AddressSet expected = AddressSet.of(prefixes(addresses));
        assertThat(compiler.addressGroup(id)).as("compiler: address group %s", id).isPresent();
        assertThat(compiler.addressGroup(id).get().addresses()).as("compiler: addresses of %s", id).isEqualTo(expected);
        assertThat(oracle.addressGroups().get(id)).as("oracle: addresses of %s", id).isEqualTo(expected);
    }
}
