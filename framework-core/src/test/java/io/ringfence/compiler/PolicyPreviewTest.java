package io.ringfence.compiler;

import static io.ringfence.model.ModelFixtures.any;
import static io.ringfence.model.ModelFixtures.condition;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.compiler.PolicyPreview.AddressGroupChange;
import io.ringfence.compiler.PolicyPreview.VnicChange;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion.Attribute;
import io.ringfence.model.Criterion.Operator;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy preview: {@code whatIf} gives the model a change would make, {@code preview} says which
 * vNIC tables and address groups it would change, checked against the difference of the
 * {@link ReferenceCompiler}'s compilations before and after; and nothing is committed or sent.
 */
class PolicyPreviewTest {

    private final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
    private PolicyCompiler compiler;
    private final List<HostDelta> deltas = new ArrayList<>();
    private int macs;

    /**
     * h1: web1 (app:web; 10.0.1.1), other (no tags; 10.0.9.1); h2: web2 (app:web; 10.0.1.2), db1 (app:db; 10.0.2.1).
     * p1 (APPLICATION 10): r1 g-web -> g-db; p2 (APPLICATION 20): r3 g-db -> g-web, r4 ANY -> ANY OUT DROP.
     */
    @BeforeEach
    void model() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.HOST, host("h2"), "t");
        vm("web1", "h1", List.of("app:web"), "10.0.1.1");
        vm("other", "h1", List.of(), "10.0.9.1");
        vm("web2", "h2", List.of("app:web"), "10.0.1.2");
        vm("db1", "h2", List.of("app:db"), "10.0.2.1");
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web").destinations("g-db").build()), "t");
        manager.create(Kind.POLICY, policy("p2", Category.APPLICATION, 20,
                rule("r3").sequence(10).sources("g-db").destinations("g-web").build(),
                rule("r4").sequence(20).direction(Direction.OUT).action(Action.DROP).build()), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        compiler.attach("h1", deltas::add);
        compiler.attach("h2", deltas::add);
    }

    @Test
    void creatingARule() {
        PolicyPreview preview = previewOf(admin -> admin.createRule("p1",
                rule("r2").sequence(20).sources("g-db").destinations("g-web").direction(Direction.OUT)
                        .action(Action.REJECT).build(), "t"));

        assertThat(preview.vnics()).extracting(VnicChange::vnicId).containsExactly("db1-0");
        VnicChange db = preview.vnics().get(0);
        assertThat(db.added()).extracting(CompiledRule::ruleId, CompiledRule::direction)
                .containsExactly(tuple("r2", Direction.OUT));
        assertThat(db.removed()).isEmpty();
        assertThat(preview.addressGroups()).isEmpty();
    }

    @Test
    void editingARule() {
        Rule r1 = manager.findRule("p1", "r1").orElseThrow();
        PolicyPreview preview = previewOf(admin -> admin.replaceRule("p1", "r1",
                new Rule("r1", null, null, r1.sources(), false, r1.destinations(), false, List.of(), List.of(),
                        Direction.IN_OUT, Action.REJECT, true, false, false, "edited", 0), null, "t"));

        assertThat(preview.vnics()).extracting(VnicChange::vnicId)
                .containsExactlyInAnyOrder("web1-0", "web2-0", "db1-0");
        for (VnicChange c : preview.vnics()) {
            assertThat(c.removed()).as(c.vnicId()).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo(Action.ALLOW));
            assertThat(c.added()).as(c.vnicId()).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo(Action.REJECT);
                assertThat(e.tag()).isEqualTo("edited");
            });
        }
    }

    @Test
    void narrowingARuleWithAppliedTo() {
        manager.create(Kind.GROUP, group("g-web1").vms("web1").build(), "t");
        Rule r1 = manager.findRule("p1", "r1").orElseThrow();
        PolicyPreview preview = previewOf(admin -> admin.replaceRule("p1", "r1",
                new Rule("r1", null, null, r1.sources(), false, r1.destinations(), false, List.of(), List.of("g-web1"),
                        Direction.IN_OUT, Action.ALLOW, false, false, false, null, 0), null, "t"));

        // web1 keeps its entry (applied-to is not part of it); web2 and db1 lose theirs
        assertThat(preview.vnics()).extracting(VnicChange::vnicId).containsExactlyInAnyOrder("web2-0", "db1-0");
    }

    @Test
    void deletingARule() {
        PolicyPreview preview = previewOf(admin -> admin.deleteRule("p1", "r1", null, "t"));

        assertThat(preview.vnics()).extracting(VnicChange::vnicId)
                .containsExactlyInAnyOrder("web1-0", "web2-0", "db1-0");
        assertThat(preview.vnics()).allSatisfy(c -> {
            assertThat(c.added()).isEmpty();
            assertThat(c.removed()).singleElement().satisfies(e -> assertThat(e.ruleId()).isEqualTo("r1"));
        });
        assertThat(preview.addressGroups()).isEmpty();
    }

    @Test
    void editingAGroupChangesItsNewMemberAndItsAddressGroupOnly() {
        Group db = manager.find(Kind.GROUP, "g-db").orElseThrow();
        PolicyPreview preview = previewOf(admin -> admin.replace(Kind.GROUP, "g-db", new Group("g-db", db.name(), null,
                any(tagEquals("app:db"), condition(Attribute.NAME, Operator.EQUALS, "other")), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), 0), null, "t"));

        // other joins g-db: it gains r1 IN and r3 OUT; web1 and web2 only talk to g-db: their tables stay
        assertThat(preview.vnics()).extracting(VnicChange::vnicId).containsExactly("other-0");
        assertThat(preview.vnics().get(0).added()).extracting(CompiledRule::ruleId).containsExactlyInAnyOrder("r1", "r3");
        assertThat(preview.addressGroups()).containsExactly(
                new AddressGroupChange("g-db", prefixes("10.0.9.1"), List.of()));
    }

    @Test
    void movingAPolicyReordersTheEntriesOfTheOthers() {
        Policy p2 = manager.find(Kind.POLICY, "p2").orElseThrow();
        PolicyPreview preview = previewOf(admin -> admin.replace(Kind.POLICY, "p2", p2.withSequence(5), null, "t"));

        // every vNIC has r4 (p2) OUT; web1 and web2 also r1 (p1) OUT, which r4 now comes before
        assertThat(preview.vnics()).extracting(VnicChange::vnicId)
                .containsExactlyInAnyOrder("web1-0", "other-0", "web2-0", "db1-0");
    }

    @Test
    void changingTheDefaultRuleChangesEveryTable() {
        PolicyPreview preview = previewOf(admin -> admin.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0), null,
                "t"));

        assertThat(preview.vnics()).hasSize(4).allSatisfy(c -> {
            assertThat(c.defaultChanged()).isTrue();
            assertThat(c.added()).isEmpty();
            assertThat(c.removed()).isEmpty();
        });
    }

    @Test
    void movingAVmNamesItsNewHost() {
        Vm web2 = manager.find(Kind.VM, "web2").orElseThrow();
        PolicyPreview preview = previewOf(admin -> admin.replace(Kind.VM, "web2",
                new Vm("web2", web2.name(), "h1", null, web2.tags(), web2.vnics(), 0), null, "t"));

        assertThat(preview.vnics()).singleElement().satisfies(c -> {
            assertThat(c.vnicId()).isEqualTo("web2-0");
            assertThat(c.hostId()).isEqualTo("h1");
            assertThat(c.added()).isEmpty();
            assertThat(c.removed()).isEmpty();
        });
    }

    @Test
    void aChangeThatCompilesToTheSameTablesPreviewsNothing() {
        PolicyPreview preview = previewOf(admin -> admin.replace(Kind.HOST, "h1",
                new Host("h1", "renamed", null, null, 0), null, "t"));
        assertThat(preview.vnics()).isEmpty();
        assertThat(preview.addressGroups()).isEmpty();
    }

    // ---- the check every case makes

    /**
     * Previews {@code change}: the preview must list exactly the vNICs whose table the oracle says
     * would change (with the oracle's added and removed entries, reordering and default change), the
     * address groups whose addresses would change, and nothing may be committed or sent.
     */
    private PolicyPreview previewOf(Consumer<ModelAdminService> change) {
        ModelSnapshot current = manager.snapshot();
        long generation = compiler.generation();
        Map<String, VnicRuleSet> tables = tables();
        int sent = deltas.size();

        ModelSnapshot proposed = manager.whatIf(change);
        PolicyPreview preview = compiler.preview(proposed);

        assertThat(manager.snapshot()).as("whatIf committed").isSameAs(current);
        assertThat(manager.snapshot().revision()).isEqualTo(current.revision());
        assertThat(compiler.generation()).as("preview moved the generation").isEqualTo(generation);
        assertThat(tables()).as("preview changed the compiled tables").isEqualTo(tables);
        assertThat(deltas).as("preview sent deltas").hasSize(sent);
        assertThat(preview.basedOnGeneration()).isEqualTo(generation);

        ReferenceCompiler.Result before = ReferenceCompiler.compile(current);
        ReferenceCompiler.Result after = ReferenceCompiler.compile(proposed);
        Map<String, VnicChange> expected = expectedVnicChanges(before, after);
        Map<String, VnicChange> got = new TreeMap<>();
        for (VnicChange c : preview.vnics()) {
            assertThat(got.put(c.vnicId(), c)).as("vNIC %s listed twice", c.vnicId()).isNull();
        }
        assertThat(got.keySet()).as("vNICs whose table would change").isEqualTo(expected.keySet());
        for (VnicChange want : expected.values()) {
            VnicChange c = got.get(want.vnicId());
            assertThat(c.vmId()).as("vm of %s", c.vnicId()).isEqualTo(want.vmId());
            assertThat(c.hostId()).as("host of %s", c.vnicId()).isEqualTo(want.hostId());
            assertThat(c.added()).as("entries %s would gain", c.vnicId())
                    .containsExactlyInAnyOrderElementsOf(want.added());
            assertThat(c.removed()).as("entries %s would lose", c.vnicId())
                    .containsExactlyInAnyOrderElementsOf(want.removed());
            assertThat(c.reordered()).as("%s reordered", c.vnicId()).isEqualTo(want.reordered());
            assertThat(c.defaultChanged()).as("%s default changed", c.vnicId()).isEqualTo(want.defaultChanged());
        }
        assertThat(preview.addressGroups()).as("address groups whose addresses would change")
                .containsExactlyInAnyOrderElementsOf(expectedAddressGroupChanges(before, after));
        return preview;
    }

    /** The oracle's view: tables that differ, with the entries gained and lost. */
    private static Map<String, VnicChange> expectedVnicChanges(ReferenceCompiler.Result before,
                                                               ReferenceCompiler.Result after) {
        Map<String, VnicChange> out = new TreeMap<>();
        for (VnicRuleSet now : after.ruleSets().values()) {
            VnicRuleSet was = before.ruleSets().get(now.vnicId());
            if (was != null && was.sameRulesAs(now)) {
                continue;
            }
            List<CompiledRule> wasEntries = was == null ? List.of() : all(was);
            List<CompiledRule> nowEntries = all(now);
            List<CompiledRule> added = nowEntries.stream().filter(e -> !wasEntries.contains(e)).toList();
            List<CompiledRule> removed = wasEntries.stream().filter(e -> !nowEntries.contains(e)).toList();
            boolean reordered = was != null && (reordered(was.in(), now.in()) || reordered(was.out(), now.out()));
            boolean defaultChanged = was != null
                    && (was.defaultAction() != now.defaultAction() || was.defaultLogged() != now.defaultLogged());
            out.put(now.vnicId(), new VnicChange(now.vnicId(), now.vmId(), now.hostId(), added, removed, reordered,
                    defaultChanged));
        }
        assertThat(before.ruleSets().keySet()).as("these cases keep every vNIC")
                .isSubsetOf(after.ruleSets().keySet());
        return out;
    }

    /** The rules a table keeps in one direction come in another order (a policy or rule moved). */
    private static boolean reordered(List<CompiledRule> was, List<CompiledRule> now) {
        Set<String> wasIds = new TreeSet<>(was.stream().map(CompiledRule::ruleId).toList());
        Set<String> nowIds = new TreeSet<>(now.stream().map(CompiledRule::ruleId).toList());
        List<String> wasKept = was.stream().map(CompiledRule::ruleId).filter(nowIds::contains).toList();
        List<String> nowKept = now.stream().map(CompiledRule::ruleId).filter(wasIds::contains).toList();
        return !wasKept.equals(nowKept);
    }

    private static List<AddressGroupChange> expectedAddressGroupChanges(ReferenceCompiler.Result before,
                                                                        ReferenceCompiler.Result after) {
        List<AddressGroupChange> out = new ArrayList<>();
        for (Map.Entry<String, AddressSet> e : after.addressGroups().entrySet()) {
            AddressSet was = before.addressGroups().get(e.getKey());
            assertThat(was).as("these cases keep every address group").isNotNull();
            if (!was.equals(e.getValue())) {
                List<IpPrefix> added = e.getValue().minus(was).toPrefixes();
                List<IpPrefix> removed = was.minus(e.getValue()).toPrefixes();
                out.add(new AddressGroupChange(e.getKey(), added, removed));
            }
        }
        assertThat(before.addressGroups().keySet()).as("these cases keep every address group")
                .isEqualTo(after.addressGroups().keySet());
        return out;
    }

    private static List<CompiledRule> all(VnicRuleSet rs) {
        List<CompiledRule> all = new ArrayList<>(rs.in());
        all.addAll(rs.out());
        return all;
    }

    private Map<String, VnicRuleSet> tables() {
        Map<String, VnicRuleSet> out = new TreeMap<>();
        for (Vm vm : manager.snapshot().vms()) {
            for (Vnic n : vm.vnics()) {
                out.put(n.id(), compiler.ruleSet(n.id()).orElseThrow());
            }
        }
        return out;
    }

    private void vm(String id, String hostId, List<String> tags, String address) {
        macs++;
        manager.create(Kind.VM, new Vm(id, id, hostId, null, tags,
                List.of(new Vnic(id + "-0", new MacAddress(0x005056000000L + macs), prefixes(address), "seg")), 0), "t");
    }
}
