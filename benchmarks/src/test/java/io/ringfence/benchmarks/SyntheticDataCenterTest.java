package io.ringfence.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.benchmarks.SyntheticDataCenter.Change;
import io.ringfence.benchmarks.SyntheticDataCenter.ChangeType;
import io.ringfence.benchmarks.SyntheticDataCenter.Size;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelChangeEvent.ChangedObject;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Direction;
import io.ringfence.model.Entity;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.AuditPage;
import io.ringfence.store.Document;
import io.ringfence.store.DocumentKey;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.ModelChange;
import io.ringfence.store.ModelStore;
import io.ringfence.store.StoredModel;
import io.ringfence.store.jdbc.JdbcModelStore;
import io.ringfence.store.jdbc.SchemaMigrator;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SyntheticDataCenterTest {

    private static final Size SMALL = Size.scaled(0.02);
    private static final SyntheticDataCenter DC = SyntheticDataCenter.generate(SMALL, SyntheticDataCenter.SEED);

    static Stream<Size> sizes() {
        return Stream.of(SMALL, new Size(5, 60, 4, 60, 8, 100), Size.scaled(0.1));
    }

    @Test
    void sameSeedGivesTheSameModelAndAnotherSeedAnother() {
        ModelSnapshot again = SyntheticDataCenter.generate(SMALL, SyntheticDataCenter.SEED).snapshot();
        for (Kind<?> kind : Kind.ALL) {
            assertThat(List.copyOf(again.all(kind))).as(kind.name()).isEqualTo(List.copyOf(DC.snapshot().all(kind)));
        }
        assertThat(again.revision()).isEqualTo(SyntheticDataCenter.REVISION);
        ModelSnapshot other = SyntheticDataCenter.generate(SMALL, SyntheticDataCenter.SEED + 1).snapshot();
        assertThat(List.copyOf(other.vms())).isNotEqualTo(List.copyOf(DC.snapshot().vms()));
    }

    @Test
    void fullSizeIsTheDataCenterOfTheTargets() {
        ModelSnapshot s = SyntheticDataCenter.generate(Size.FULL, SyntheticDataCenter.SEED).snapshot();
        assertThat(s.hosts()).hasSize(1_000);
        assertThat(s.vms()).hasSize(20_000);
        assertThat(s.vms()).allSatisfy(vm -> assertThat(vm.vnics()).hasSize(2));
        assertThat(s.groups()).hasSize(5_000);
        assertThat(s.services()).hasSize(30);
        assertThat(s.policies()).hasSize(200);
        assertThat(ruleCount(s)).isEqualTo(20_000);
        // ANY on the source side is rare, as in a real data center
        assertThat(anySourceRules(s)).hasSize(20);
        // and the group mix asked for: 10% nested (some nesting nested groups), 5% CIDR-based, 1% with exclusions
        assertThat(groupsStartingWith(s, "g-nest-")).hasSize(500)
                .allSatisfy(g -> assertThat(g.groups()).isNotEmpty())
                .anySatisfy(g -> assertThat(g.groups()).anySatisfy(n -> assertThat(n).startsWith("g-nest-")));
        assertThat(groupsStartingWith(s, "g-cidr-")).hasSize(250)
                .allSatisfy(g -> assertThat(g.addresses()).isNotEmpty())
                .allSatisfy(g -> assertThat(g.criteria()).isNull());
        assertThat(groupsStartingWith(s, "g-excl-")).hasSize(50).allSatisfy(g -> assertThat(hasExclusions(g)).isTrue());
        assertThat(s.groups().stream().filter(g -> g.criteria() != null)).hasSizeGreaterThan(4_000);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sizesAreAsAsked(Size size) {
        ModelSnapshot s = SyntheticDataCenter.generate(size, 7).snapshot();
        assertThat(s.hosts()).hasSize(size.hosts());
        assertThat(s.vms()).hasSize(size.vms());
        assertThat(s.vms().stream().mapToInt(vm -> vm.vnics().size()).sum()).isEqualTo(size.vnics());
        assertThat(s.groups()).hasSize(size.groups());
        assertThat(s.policies()).hasSize(size.policies());
        assertThat(ruleCount(s)).isEqualTo(size.rules());
        assertThat(s.policies().stream().map(Policy::category).distinct()).hasSize(4);
        assertThat(anySourceRules(s)).hasSizeLessThanOrEqualTo(Math.max(2, size.rules() / 1000))
                .allSatisfy(r -> assertThat(r.direction()).isEqualTo(Direction.IN));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void everyReferenceIsValid(Size size) {
        ModelSnapshot s = SyntheticDataCenter.generate(size, 7).snapshot();
        for (Vm vm : s.vms()) {
            assertThat(s.find(Kind.HOST, vm.hostId())).as("host of " + vm.id()).isPresent();
        }
        for (Group g : s.groups()) {
            Stream.concat(g.groups().stream(), g.excludedGroups().stream())
                    .forEach(id -> assertThat(s.find(Kind.GROUP, id)).as(g.id() + " -> " + id).isPresent());
            Stream.concat(g.vms().stream(), g.excludedVms().stream())
                    .forEach(id -> assertThat(s.find(Kind.VM, id)).as(g.id() + " -> " + id).isPresent());
        }
        Set<String> ruleIds = new HashSet<>();
        for (Policy p : s.policies()) {
            Set<Integer> sequences = new HashSet<>();
            for (Rule r : p.rules()) {
                assertThat(ruleIds.add(r.id())).as("rule id " + r.id() + " unique").isTrue();
                assertThat(sequences.add(r.sequence())).as("sequence of " + r.id()).isTrue();
                Stream.of(r.sources(), r.destinations(), r.appliedTo()).flatMap(List::stream)
                        .forEach(id -> assertThat(s.find(Kind.GROUP, id)).as(r.id() + " -> " + id).isPresent());
                r.services().forEach(id -> assertThat(s.find(Kind.SERVICE, id)).as(r.id() + " -> " + id).isPresent());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void groupsFormNoCycle(Size size) {
        ModelSnapshot s = SyntheticDataCenter.generate(size, 7).snapshot();
        Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
        for (Group g : s.groups()) {
            assertThat(cycleFrom(s, g.id(), state)).as("cycle through " + g.id()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void vnicsHaveUniqueIdsAndMacsAndAnAddressOfEachFamily(Size size) {
        ModelSnapshot s = SyntheticDataCenter.generate(size, 7).snapshot();
        Set<String> ids = new HashSet<>();
        Set<Long> macs = new HashSet<>();
        Set<IpPrefix> addresses = new HashSet<>();
        IpPrefix ten = IpPrefix.parse("10.0.0.0/8");
        for (Vm vm : s.vms()) {
            for (Vnic n : vm.vnics()) {
                assertThat(ids.add(n.id())).as("vNIC id " + n.id()).isTrue();
                assertThat(macs.add(n.mac().value())).as("MAC " + n.mac()).isTrue();
                assertThat(n.mac().isMulticast()).isFalse();
                assertThat(n.segment()).isNotBlank();
                assertThat(n.addresses()).hasSize(2).allSatisfy(a -> assertThat(a.isHost()).isTrue());
                assertThat(n.addresses().get(0).family()).isEqualTo(IpFamily.IPV4);
                assertThat(ten.contains(n.addresses().get(0))).isTrue();
                assertThat(n.addresses().get(1).family()).isEqualTo(IpFamily.IPV6);
                assertThat(addresses.addAll(n.addresses())).as("addresses of " + n.id() + " unique").isTrue();
            }
        }
    }

    @Test
    void theModelManagerAcceptsEveryObject() {
        ModelSnapshot s = DC.snapshot();
        ModelSnapshot created = managerOf(ModelSnapshot.EMPTY).whatIf(admin -> {
            s.hosts().forEach(h -> admin.create(Kind.HOST, h, "test"));
            s.vms().forEach(vm -> admin.create(Kind.VM, vm, "test"));
            s.services().forEach(svc -> admin.create(Kind.SERVICE, svc, "test"));
            createGroupsInDependencyOrder(admin, s);
            s.policies().forEach(p -> admin.create(Kind.POLICY, p, "test"));
        });
        for (Kind<?> kind : Kind.ALL) {
            assertThat(created.all(kind).stream().map(SyntheticDataCenterTest::withoutRevisions))
                    .as(kind.name())
                    .containsExactlyElementsOf(s.all(kind).stream().map(SyntheticDataCenterTest::withoutRevisions).toList());
        }
    }

    @Test
    void aManagerOverAStoreHoldsTheSameModel() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:synthetic-dc-test;DB_CLOSE_DELAY=-1");
        new SchemaMigrator(ds).migrate();
        ModelSnapshot loaded = DC.newManager(new JdbcModelStore(ds)).snapshot();
        assertThat(loaded.revision()).isEqualTo(SyntheticDataCenter.REVISION);
        for (Kind<?> kind : Kind.ALL) {
            assertThat(List.copyOf(loaded.all(kind))).as(kind.name()).isEqualTo(List.copyOf(DC.snapshot().all(kind)));
        }
    }

    @ParameterizedTest
    @EnumSource(ChangeType.class)
    void aChangeChangesOneObjectUnderTheNextRevisionAndItsRevertRestoresIt(ChangeType type) {
        ModelSnapshot base = DC.snapshot();
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            Change change = DC.change(type, base, random);
            assertThat(change.type()).isEqualTo(type);
            assertThat(change.before()).isSameAs(base);
            assertThat(change.after().revision()).isEqualTo(base.revision() + 1);
            assertThat(change.event().defaultRuleChanged()).isFalse();
            assertThat(change.event().changed()).hasSize(1);
            ChangedObject changed = change.event().changed().get(0);
            assertThat(changed.kind()).isEqualTo(type == ChangeType.EDIT_RULE ? Kind.POLICY : Kind.VM);
            Entity before = base.find(changed.kind(), changed.id()).orElseThrow();
            Entity after = change.after().find(changed.kind(), changed.id()).orElseThrow();
            assertThat(after.revision()).isEqualTo(change.after().revision());
            assertThat(withoutRevisions(after)).isNotEqualTo(withoutRevisions(before));
            assertOnlyChanged(base, change.after(), changed);
            checkChange(type, before, after, change.after());

            // the model manager would have made the same change
            Entity byManager = managerOf(base).whatIf(admin -> replace(admin, changed.kind(), after))
                    .find(changed.kind(), changed.id()).orElseThrow();
            assertThat(withoutRevisions(byManager)).isEqualTo(withoutRevisions(after));

            Change undo = SyntheticDataCenter.revert(change.after(), change);
            assertThat(undo.after().revision()).isEqualTo(base.revision() + 2);
            assertThat(undo.event().changed()).isEqualTo(change.event().changed());
            Entity restored = undo.after().find(changed.kind(), changed.id()).orElseThrow();
            assertThat(withoutRevisions(restored)).isEqualTo(withoutRevisions(before));
            assertThat(restored.revision()).isEqualTo(undo.after().revision());
            base = undo.after();
        }
    }

    private static void checkChange(ChangeType type, Entity before, Entity after, ModelSnapshot model) {
        switch (type) {
            case RETAG_VM -> {
                Vm b = (Vm) before;
                Vm a = (Vm) after;
                assertThat(tagStartingWith(a, "app:")).isNotEqualTo(tagStartingWith(b, "app:"));
                assertThat(tagStartingWith(a, "tier:")).isEqualTo(tagStartingWith(b, "tier:"));
                assertThat(a.hostId()).isEqualTo(b.hostId());
            }
            case MOVE_VM -> {
                Vm b = (Vm) before;
                Vm a = (Vm) after;
                assertThat(a.hostId()).isNotEqualTo(b.hostId());
                assertThat(model.find(Kind.HOST, a.hostId())).isPresent();
                assertThat(a.tags()).isEqualTo(b.tags());
            }
            case EDIT_RULE -> {
                List<Rule> b = ((Policy) before).rules();
                List<Rule> a = ((Policy) after).rules();
                assertThat(a).hasSameSizeAs(b);
                int differ = 0;
                for (int i = 0; i < a.size(); i++) {
                    if (!a.get(i).equals(b.get(i))) {
                        differ++;
                        assertThat(a.get(i).revision()).isEqualTo(model.revision());
                        assertThat(a.get(i).disabled()).isFalse();
                    }
                }
                assertThat(differ).isEqualTo(1);
            }
        }
    }

    // ---- helpers

    private static List<Rule> anySourceRules(ModelSnapshot s) {
        return s.policies().stream().flatMap(p -> p.rules().stream()).filter(r -> r.sources().isEmpty()).toList();
    }

    private static long ruleCount(ModelSnapshot s) {
        return s.policies().stream().mapToLong(p -> p.rules().size()).sum();
    }

    private static List<Group> groupsStartingWith(ModelSnapshot s, String prefix) {
        return s.groups().stream().filter(g -> g.id().startsWith(prefix)).toList();
    }

    private static boolean hasExclusions(Group g) {
        return !g.excludedGroups().isEmpty() || !g.excludedVms().isEmpty() || !g.excludedAddresses().isEmpty();
    }

    private static String tagStartingWith(Vm vm, String prefix) {
        return vm.tags().stream().filter(t -> t.startsWith(prefix)).findFirst().orElse(null);
    }

    private static boolean cycleFrom(ModelSnapshot s, String id, Map<String, Integer> state) {
        Integer st = state.get(id);
        if (st != null) {
            return st == 1;
        }
        state.put(id, 1);
        Group g = s.find(Kind.GROUP, id).orElseThrow();
        for (String next : Stream.concat(g.groups().stream(), g.excludedGroups().stream()).toList()) {
            if (cycleFrom(s, next, state)) {
                return true;
            }
        }
        state.put(id, 2);
        return false;
    }

    private static void createGroupsInDependencyOrder(ModelAdminService admin, ModelSnapshot s) {
        Set<String> created = new HashSet<>();
        Deque<Group> pending = new ArrayDeque<>(s.groups());
        int stalled = 0;
        while (!pending.isEmpty()) {
            Group g = pending.removeFirst();
            if (created.containsAll(g.groups()) && created.containsAll(g.excludedGroups())) {
                admin.create(Kind.GROUP, g, "test");
                created.add(g.id());
                stalled = 0;
            } else {
                pending.addLast(g);
                assertThat(++stalled).as("groups that can never be created").isLessThanOrEqualTo(pending.size());
            }
        }
    }

    private static void assertOnlyChanged(ModelSnapshot before, ModelSnapshot after, ChangedObject changed) {
        for (Kind<?> kind : Kind.ALL) {
            List<? extends Entity> b = List.copyOf(before.all(kind));
            List<? extends Entity> a = List.copyOf(after.all(kind));
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                if (kind != changed.kind() || !a.get(i).id().equals(changed.id())) {
                    assertThat(a.get(i)).isSameAs(b.get(i));
                }
            }
        }
    }

    private static ModelManager managerOf(ModelSnapshot model) {
        return new ModelManager(new SnapshotStore(model), Clock.systemUTC());
    }

    private static Object replace(ModelAdminService admin, Kind<?> kind, Entity e) {
        return kind == Kind.VM ? admin.replace(Kind.VM, e.id(), (Vm) e, null, "test")
                : admin.replace(Kind.POLICY, e.id(), (Policy) e, null, "test");
    }

    /** The object with every server-assigned revision set to 0. */
    private static Entity withoutRevisions(Entity e) {
        if (e instanceof Policy p) {
            List<Rule> rules = new ArrayList<>();
            p.rules().forEach(r -> rules.add(r.withIdentity(r.id(), r.sequence(), 0)));
            return p.withRules(rules).withIdentity(p.id(), 0);
        }
        return e.withIdentity(e.id(), 0);
    }

    /** A store holding a snapshot, for managers whose changes go nowhere ({@code whatIf}). */
    private static final class SnapshotStore implements ModelStore {
        private final ModelSnapshot model;

        SnapshotStore(ModelSnapshot model) {
            this.model = model;
        }

        @Override
        public StoredModel load() {
            List<Document> documents = new ArrayList<>();
            for (Kind<?> kind : Kind.ALL) {
                for (Entity e : model.all(kind)) {
                    try {
                        documents.add(new Document(new DocumentKey(kind.name(), e.id()), e.revision(),
                                ModelJson.mapper().writeValueAsString(e)));
                    } catch (JsonProcessingException ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            }
            return new StoredModel(model.revision(), documents);
        }

        @Override
        public void commit(ModelChange change) {
            throw new UnsupportedOperationException("what-if changes are not stored");
        }

        @Override
        public AuditPage audit(AuditQuery query) {
            return new AuditPage(0, List.of());
        }
    }
}
