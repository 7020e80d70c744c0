package io.ringfence.manager.internal;

import static io.ringfence.model.ModelFixtures.all;
import static io.ringfence.model.ModelFixtures.any;
import static io.ringfence.model.ModelFixtures.condition;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.icmp;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.manager.AlreadyExistsException;
import io.ringfence.manager.InUseException;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.Reference;
import io.ringfence.manager.RevisionMismatchException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Entity;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.InsertionFixtures;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Policy;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.Rule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.model.json.ModelJson;
import io.ringfence.net.IpPrefix;
import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.AuditRecord;
import io.ringfence.store.AuditRecord.Operation;
import io.ringfence.store.Document;
import io.ringfence.store.InMemoryModelStore;
import io.ringfence.store.ModelChange;
import io.ringfence.store.StoreConflictException;
import io.ringfence.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ModelManagerTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00.123456789Z");
    private static final String ALICE = "alice";
    private static final String BOB = "bob";

    private final ObjectMapper json = ModelJson.mapper();
    private final InMemoryModelStore store = new InMemoryModelStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AtomicInteger generated = new AtomicInteger();
    private ModelManager manager = newManager();

    private ModelManager newManager() {
        return new ModelManager(store, clock, () -> "gen-" + generated.incrementAndGet());
    }

    // ---- helpers

    private long auditTotal() {
        return manager.audit(new AuditQuery(0, 1, null, null, null)).total();
    }

    /** Runs a change that must be refused with {@code type}, and checks that nothing changed. */
    private <E extends Throwable> E refused(Class<E> type, ThrowingCallable change) {
        ModelSnapshot before = manager.snapshot();
        long storeRevision = store.revision();
        long audit = auditTotal();
        int commits = store.commits().size();
        Throwable t = catchThrowable(change);
        assertThat(t).isInstanceOf(type);
        if (t instanceof StoreException) {
            // the manager may re-read the store after a failed commit (its outcome can be in doubt)
            assertSameModel(manager.snapshot(), before);
        } else {
            assertThat(manager.snapshot()).as("snapshot after a refused change").isSameAs(before);
        }
        assertThat(store.revision()).as("store revision after a refused change").isEqualTo(storeRevision);
        assertThat(store.commits()).hasSize(commits);
        assertThat(auditTotal()).as("audit records after a refused change").isEqualTo(audit);
        return type.cast(t);
    }

    /** Same revision, default rule and objects. */
    private static void assertSameModel(ModelSnapshot actual, ModelSnapshot expected) {
        assertThat(actual.revision()).isEqualTo(expected.revision());
        assertThat(actual.defaultRule()).isEqualTo(expected.defaultRule());
        for (Kind<?> kind : Kind.ALL) {
            List<Entity> want = new ArrayList<>(expected.all(kind));
            List<Entity> have = new ArrayList<>(actual.all(kind));
            assertThat(have).as(kind.name()).containsExactlyElementsOf(want);
        }
    }

    /** A change refused with exactly one violation, at {@code field}. */
    private ValidationException invalid(String field, ThrowingCallable change) {
        ValidationException e = refused(ValidationException.class, change);
        assertThat(e.violations()).extracting(Violation::field).containsExactly(field);
        assertThat(e.getMessage()).startsWith(field + ": ");
        return e;
    }

    private static Vm webVm(String id, String host, String mac, String address) {
        return vm(id, "web " + id, host, "Ubuntu", List.of("app:web"), vnic(mac, "web", address));
    }

    /** hosts h1, h2; VMs web1 (h1), db1 (h2); groups web (by tag), db (static); service https; policy app (r1). */
    private void seed() {
        manager.create(Kind.HOST, host("h1"), ALICE);
        manager.create(Kind.HOST, host("h2"), ALICE);
        manager.create(Kind.VM, webVm("web1", "h1", "00:50:56:00:00:01", "10.0.1.1"), ALICE);
        manager.create(Kind.VM, vm("db1", "db 1", "h2", "Linux", List.of("app:db"),
                vnic("00:50:56:00:00:02", "db", "10.0.2.1")), ALICE);
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), ALICE);
        manager.create(Kind.GROUP, group("db").vms("db1").build(), ALICE);
        manager.create(Kind.SERVICE, service("https", tcp("443")), ALICE);
        manager.create(Kind.POLICY, policy("app", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("web").destinations("db").services("https").build()), ALICE);
    }

    private static final int SEED_REVISION = 8;

    // ---- create, read, stamps

    @Nested
    class Create {

        @Test
        void hostIsStoredStampedAndAudited() throws Exception {
            Host stored = manager.create(Kind.HOST,
                    new Host("h1", "esx-01", IpPrefix.parse("192.0.2.1"), "rack 1", 42), ALICE);
            assertThat(stored).isEqualTo(new Host("h1", "esx-01", IpPrefix.parse("192.0.2.1"), "rack 1", 1));
            assertThat(manager.snapshot().revision()).isEqualTo(1);
            assertThat(manager.find(Kind.HOST, "h1")).contains(stored);

            Document doc = store.document("host", "h1").orElseThrow();
            assertThat(doc.revision()).isEqualTo(1);
            assertThat(json.readValue(doc.json(), Host.class)).isEqualTo(stored);

            AuditRecord a = manager.audit(new AuditQuery(0, 10, null, null, null)).records().get(0);
            assertThat(a.revision()).isEqualTo(1);
            assertThat(a.time()).isEqualTo(Instant.parse("2024-05-01T12:00:00.123Z"));
            assertThat(a.principal()).isEqualTo(ALICE);
            assertThat(a.operation()).isEqualTo(Operation.CREATE);
            assertThat(a.kind()).isEqualTo("host");
            assertThat(a.objectId()).isEqualTo("h1");
            assertThat(a.before()).isNull();
            assertThat(json.readValue(a.after(), Host.class)).isEqualTo(stored);
        }

        @Test
        void everyKindIsCreatedWithTheNextRevision() {
            seed();
            ModelSnapshot s = manager.snapshot();
            assertThat(s.revision()).isEqualTo(SEED_REVISION);
            assertThat(s.find(Kind.HOST, "h1").orElseThrow().revision()).isEqualTo(1);
            assertThat(s.find(Kind.HOST, "h2").orElseThrow().revision()).isEqualTo(2);
            assertThat(s.find(Kind.VM, "web1").orElseThrow().revision()).isEqualTo(3);
            assertThat(s.find(Kind.VM, "db1").orElseThrow().revision()).isEqualTo(4);
            assertThat(s.find(Kind.GROUP, "web").orElseThrow().revision()).isEqualTo(5);
            assertThat(s.find(Kind.GROUP, "db").orElseThrow().revision()).isEqualTo(6);
            assertThat(s.find(Kind.SERVICE, "https").orElseThrow().revision()).isEqualTo(7);
            Policy app = s.find(Kind.POLICY, "app").orElseThrow();
            assertThat(app.revision()).isEqualTo(8);
            assertThat(app.rules()).extracting(Rule::revision).containsExactly(8L);
            assertThat(manager.findRule("app", "r1")).map(Rule::revision).contains(8L);

            List<ModelChange> commits = store.commits();
            assertThat(commits).hasSize(SEED_REVISION);
            for (int i = 0; i < commits.size(); i++) {
                long revision = i + 1;
                assertThat(commits.get(i).previousRevision()).isEqualTo(i);
                assertThat(commits.get(i).revision()).isEqualTo(revision);
                assertThat(commits.get(i).upserts()).hasSize(1)
                        .allSatisfy(d -> assertThat(d.revision()).isEqualTo(revision));
                assertThat(commits.get(i).audit()).hasSize(1);
            }
            assertThat(store.revision()).isEqualTo(SEED_REVISION);
        }

        @Test
        void assignsIdsWhenAbsent() {
            Host h = manager.create(Kind.HOST, host(null), ALICE);
            assertThat(h.id()).isEqualTo("gen-1");
            assertThat(manager.find(Kind.HOST, "gen-1")).contains(h);

            Vm v = manager.create(Kind.VM, vm(null, "gen-1", vnic("00:50:56:00:00:01", "a", "10.0.0.1"),
                    new Vnic("mine", MacAddress.parse("00:50:56:00:00:02"), List.of(), "a"),
                    vnic("00:50:56:00:00:03", "b")), ALICE);
            assertThat(v.id()).isEqualTo("gen-2");
            assertThat(v.vnics()).extracting(Vnic::id).containsExactly("gen-2-nic0", "mine", "gen-2-nic1");

            Policy p = manager.create(Kind.POLICY, new Policy(null, "p", null, Category.APPLICATION, null,
                    List.of(rule(null).build(), rule(null).sequence(5).build(), rule("named").build()), 0), ALICE);
            assertThat(p.id()).isEqualTo("gen-3");
            assertThat(p.sequence()).isZero();
            // sorted by sequence; rules without one go after the last given one
            assertThat(p.rules()).extracting(Rule::id).containsExactly("gen-5", "gen-4", "named");
            assertThat(p.rules()).extracting(Rule::sequence).containsExactly(5, 15, 25);
            assertThat(p.rules()).extracting(Rule::revision).containsOnly(3L);
        }

        @Test
        void policySequenceGoesAfterTheLastOfItsCategory() {
            assertThat(manager.create(Kind.POLICY, policy("a1", Category.APPLICATION, null), ALICE).sequence())
                    .isZero();
            assertThat(manager.create(Kind.POLICY, policy("a2", Category.APPLICATION, 35), ALICE).sequence())
                    .isEqualTo(35);
            assertThat(manager.create(Kind.POLICY, policy("a3", Category.APPLICATION, null), ALICE).sequence())
                    .isEqualTo(45);
            assertThat(manager.create(Kind.POLICY, policy("e1", Category.EMERGENCY, null), ALICE).sequence())
                    .isZero();
        }

        @Test
        void duplicateIdIsRefused() {
            seed();
            AlreadyExistsException e = refused(AlreadyExistsException.class,
                    () -> manager.create(Kind.HOST, host("h1"), BOB));
            assertThat(e).hasMessageContaining("host 'h1' already exists");
            refused(AlreadyExistsException.class, () -> manager.create(Kind.POLICY, policy("app",
                    Category.EMERGENCY, 0), BOB));
        }

        @Test
        void kindsHaveSeparateIdSpaces() {
            manager.create(Kind.HOST, host("x"), ALICE);
            manager.create(Kind.VM, vm("x", "x"), ALICE);
            manager.create(Kind.GROUP, group("x").build(), ALICE);
            manager.create(Kind.SERVICE, service("x", tcp("80")), ALICE);
            manager.create(Kind.POLICY, policy("x", Category.APPLICATION, 0), ALICE);
            assertThat(manager.snapshot().revision()).isEqualTo(5);
        }

        @Test
        void theSubmittedRevisionIsIgnored() {
            Host h = manager.create(Kind.HOST, new Host("h1", "h", null, null, 99), ALICE);
            assertThat(h.revision()).isEqualTo(1);
        }
    }

    // ---- replace

    @Nested
    class Replace {

        @Test
        void replaceStampsOnlyTheReplacedObject() throws Exception {
            seed();
            Host before = manager.find(Kind.HOST, "h1").orElseThrow();
            Host after = manager.replace(Kind.HOST, "h1", new Host(null, "renamed", null, "d", 0), 1L, BOB);
            assertThat(after).isEqualTo(new Host("h1", "renamed", null, "d", SEED_REVISION + 1));
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(manager.find(Kind.HOST, "h2").orElseThrow().revision()).isEqualTo(2);
            assertThat(manager.find(Kind.VM, "web1").orElseThrow().revision()).isEqualTo(3);
            assertThat(store.document("host", "h1").orElseThrow().revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(store.document("host", "h2").orElseThrow().revision()).isEqualTo(2);

            AuditRecord a = store.auditLog().get(0);
            assertThat(a.operation()).isEqualTo(Operation.UPDATE);
            assertThat(a.principal()).isEqualTo(BOB);
            assertThat(json.readValue(a.before(), Host.class)).isEqualTo(before);
            assertThat(json.readValue(a.after(), Host.class)).isEqualTo(after);
        }

        @Test
        void everyKindCanBeReplaced() {
            seed();
            long rev = SEED_REVISION;
            Vm vm = manager.replace(Kind.VM, "web1", webVm("web1", "h2", "00:50:56:00:00:01", "10.0.1.9"), null, BOB);
            assertThat(vm.hostId()).isEqualTo("h2");
            assertThat(vm.revision()).isEqualTo(++rev);
            Group g = manager.replace(Kind.GROUP, "db", group("db").vms("db1", "web1").build(), null, BOB);
            assertThat(g.vms()).containsExactly("db1", "web1");
            assertThat(g.revision()).isEqualTo(++rev);
            Service s = manager.replace(Kind.SERVICE, "https", service("https", tcp("443", "8443")), null, BOB);
            assertThat(s.entries().get(0).destinationPorts()).containsExactly(PortRange.of(443), PortRange.of(8443));
            assertThat(s.revision()).isEqualTo(++rev);
            Policy p = manager.replace(Kind.POLICY, "app", new Policy(null, "renamed", null, Category.APPLICATION,
                    null, manager.find(Kind.POLICY, "app").orElseThrow().rules(), 0), null, BOB);
            assertThat(p.name()).isEqualTo("renamed");
            assertThat(p.sequence()).as("kept when absent").isEqualTo(10);
            assertThat(p.revision()).isEqualTo(++rev);
            assertThat(p.rules()).extracting(Rule::revision).as("unchanged rule keeps its revision")
                    .containsExactly((long) SEED_REVISION);
            assertThat(manager.snapshot().revision()).isEqualTo(rev);
        }

        @Test
        void vnicIdsFollowTheirMac() {
            manager.create(Kind.HOST, host("h1"), ALICE);
            Vm v = manager.create(Kind.VM, vm("v", "h1", vnic("00:50:56:00:00:01", "a"),
                    vnic("00:50:56:00:00:02", "b")), ALICE);
            assertThat(v.vnics()).extracting(Vnic::id).containsExactly("v-nic0", "v-nic1");
            // a new vNIC listed before an existing one does not take its id
            Vm swapped = manager.replace(Kind.VM, "v", vm("v", "h1", vnic("00:50:56:00:00:02", "b"),
                    vnic("00:50:56:00:00:03", "c"), vnic("00:50:56:00:00:01", "a")), null, ALICE);
            assertThat(swapped.vnics()).extracting(Vnic::id).containsExactly("v-nic1", "v-nic2", "v-nic0");
            Vm prepended = manager.replace(Kind.VM, "v", vm("v", "h1", vnic("00:50:56:00:00:04", "d"),
                    vnic("00:50:56:00:00:01", "a")), null, ALICE);
            assertThat(prepended.vnics()).extracting(Vnic::id).containsExactly("v-nic1", "v-nic0");
        }

        @Test
        void generatedVnicIdsAreValidForTheLongestVmId() {
            manager.create(Kind.HOST, host("h1"), ALICE);
            String longId = "v".repeat(128);
            Vm v = manager.create(Kind.VM, vm(longId, "h1", vnic("00:50:56:00:00:01", "a"),
                    vnic("00:50:56:00:00:02", "a")), ALICE);
            assertThat(v.vnics()).extracting(Vnic::id)
                    .containsExactly("v".repeat(123) + "-nic0", "v".repeat(123) + "-nic1");
            // a VM whose cut id is the same gets other numbers
            Vm w = manager.create(Kind.VM, vm("v".repeat(127), "h1", vnic("00:50:56:00:00:03", "a")), ALICE);
            assertThat(w.vnics()).extracting(Vnic::id).containsExactly("v".repeat(123) + "-nic2");
        }

        @Test
        void generatedVnicIdsAvoidIdsOfOtherVms() {
            manager.create(Kind.HOST, host("h1"), ALICE);
            manager.create(Kind.VM, vm("a", "h1",
                    new Vnic("b-nic0", MacAddress.parse("00:50:56:00:00:01"), List.of(), "s")), ALICE);
            Vm b = manager.create(Kind.VM, vm("b", "h1", vnic("00:50:56:00:00:02", "s")), ALICE);
            assertThat(b.vnics()).extracting(Vnic::id).containsExactly("b-nic1");
        }

        @Test
        void idInTheBodyMustMatchThePath() {
            seed();
            invalid("/id", () -> manager.replace(Kind.HOST, "h1", host("h2"), null, BOB));
            invalid("/id", () -> manager.replaceRule("app", "r1", rule("r2").build(), null, BOB));
        }

        @Test
        void changingCategoryMovesThePolicyAfterTheLastOfItsNewCategory() {
            manager.create(Kind.POLICY, policy("e1", Category.EMERGENCY, 20), ALICE);
            manager.create(Kind.POLICY, policy("a1", Category.APPLICATION, 20), ALICE);
            Policy moved = manager.replace(Kind.POLICY, "a1", policy("a1", Category.EMERGENCY, null), null, ALICE);
            assertThat(moved.sequence()).isEqualTo(30);
        }
    }

    // ---- If-Match

    @Nested
    class ExpectedRevision {

        @Test
        void staleRevisionIsRefusedEverywhere() {
            seed();
            RevisionMismatchException e = refused(RevisionMismatchException.class,
                    () -> manager.replace(Kind.HOST, "h1", host("h1"), 2L, BOB));
            assertThat(e.expected()).isEqualTo(2);
            assertThat(e.actual()).isEqualTo(1);
            assertThat(e).hasMessageContaining("host 'h1' is at revision 1, not 2");

            refused(RevisionMismatchException.class, () -> manager.delete(Kind.VM, "web1", 1L, BOB));
            refused(RevisionMismatchException.class,
                    () -> manager.replaceRule("app", "r1", rule("r1").sequence(10).build(), 7L, BOB));
            refused(RevisionMismatchException.class, () -> manager.deleteRule("app", "r1", 9L, BOB));
            refused(RevisionMismatchException.class,
                    () -> manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0), 5L, BOB));
            // an identical replacement is still refused when the revision is stale
            Host same = manager.find(Kind.HOST, "h2").orElseThrow();
            refused(RevisionMismatchException.class, () -> manager.replace(Kind.HOST, "h2", same, 1L, BOB));
        }

        @Test
        void currentRevisionIsAccepted() {
            seed();
            assertThat(manager.replace(Kind.HOST, "h1", new Host("h1", "new", null, null, 0), 1L, BOB).revision())
                    .isEqualTo(SEED_REVISION + 1);
            assertThat(manager.replaceRule("app", "r1", rule("r1").sequence(10).action(Action.DROP).build(),
                    (long) SEED_REVISION, BOB).revision()).isEqualTo(SEED_REVISION + 2);
            manager.deleteRule("app", "r1", (long) SEED_REVISION + 2, BOB);
            assertThat(manager.setDefaultRule(new DefaultRule(Action.ALLOW, true, 0), 0L, BOB).revision())
                    .isEqualTo(SEED_REVISION + 4);
            manager.delete(Kind.POLICY, "app", (long) SEED_REVISION + 3, BOB);
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 5);
        }
    }

    // ---- not found

    @Test
    void missingObjectsAreNotFound() {
        seed();
        NotFoundException e = refused(NotFoundException.class,
                () -> manager.replace(Kind.HOST, "nope", host("nope"), null, BOB));
        assertThat(e.kind()).isEqualTo("host");
        assertThat(e.id()).isEqualTo("nope");
        assertThat(e).hasMessage("host 'nope' does not exist");
        refused(NotFoundException.class, () -> manager.delete(Kind.GROUP, "nope", null, BOB));
        refused(NotFoundException.class, () -> manager.delete(Kind.HOST, "web1", null, BOB));
        refused(NotFoundException.class, () -> manager.createRule("nope", rule(null).build(), BOB));
        NotFoundException rule = refused(NotFoundException.class,
                () -> manager.replaceRule("app", "nope", rule("nope").build(), null, BOB));
        assertThat(rule.kind()).isEqualTo("rule");
        refused(NotFoundException.class, () -> manager.deleteRule("app", "nope", null, BOB));
        refused(NotFoundException.class, () -> manager.deleteRule("nope", "r1", null, BOB));
        assertThatThrownBy(() -> manager.members("nope")).isInstanceOf(NotFoundException.class);
        assertThat(manager.find(Kind.HOST, "nope")).isEmpty();
        assertThat(manager.findRule("app", "nope")).isEmpty();
        assertThat(manager.findRule("nope", "r1")).isEmpty();
    }

    // ---- delete and references

    @Nested
    class Delete {

        @Test
        void deletesWhatNothingUses() throws Exception {
            seed();
            Policy app = manager.find(Kind.POLICY, "app").orElseThrow();
            manager.delete(Kind.POLICY, "app", null, BOB);
            assertThat(manager.find(Kind.POLICY, "app")).isEmpty();
            assertThat(store.document("policy", "app")).isEmpty();
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 1);
            AuditRecord a = store.auditLog().get(0);
            assertThat(a.operation()).isEqualTo(Operation.DELETE);
            assertThat(a.after()).isNull();
            assertThat(a.revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(a.kind()).isEqualTo("policy");
            assertThat(json.readValue(a.before(), Policy.class)).isEqualTo(app);

            // now the groups and the service are free; then the VMs, then the hosts
            manager.delete(Kind.SERVICE, "https", null, BOB);
            manager.delete(Kind.GROUP, "web", null, BOB);
            manager.delete(Kind.GROUP, "db", null, BOB);
            manager.delete(Kind.VM, "db1", null, BOB);
            manager.delete(Kind.VM, "web1", null, BOB);
            manager.delete(Kind.HOST, "h1", null, BOB);
            manager.delete(Kind.HOST, "h2", 2L, BOB);
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 8);
            assertThat(store.load().documents()).isEmpty();
            for (Kind<?> k : Kind.ALL) {
                assertThat(manager.snapshot().all(k)).isEmpty();
            }
        }

        @Test
        void hostWithVms() {
            seed();
            InUseException e = refused(InUseException.class, () -> manager.delete(Kind.HOST, "h1", null, BOB));
            assertThat(e.users()).containsExactly(new Reference("vm", "web1", "web web1", null));
            assertThat(e).hasMessageContaining("host 'h1' is still used by vm 'web1'");
        }

        @Test
        void vmInAGroup() {
            seed();
            InUseException e = refused(InUseException.class, () -> manager.delete(Kind.VM, "db1", null, BOB));
            assertThat(e.users()).containsExactly(new Reference("group", "db", "group db", null));
            manager.create(Kind.GROUP, group("not-web").excludedVms("web1").build(), BOB);
            InUseException x = refused(InUseException.class, () -> manager.delete(Kind.VM, "web1", null, BOB));
            assertThat(x.users()).extracting(Reference::id).containsExactly("not-web");
        }

        @Test
        void groupUsedByRulesAndGroups() {
            seed();
            manager.createRule("app", rule("r2").destinations("web").build(), BOB);
            manager.createRule("app", rule("r3").appliedTo("web").build(), BOB);
            manager.create(Kind.POLICY, policy("infra", Category.INFRASTRUCTURE, 0,
                    rule("r4").sources("db").destinations("web").destinationsNegated(true).build()), BOB);
            manager.create(Kind.GROUP, group("all").groups("web", "db").build(), BOB);
            manager.create(Kind.GROUP, group("not-web").excludedGroups("web").build(), BOB);

            InUseException e = refused(InUseException.class, () -> manager.delete(Kind.GROUP, "web", null, BOB));
            assertThat(e.users()).containsExactlyInAnyOrder(
                    new Reference("group", "all", "group all", null),
                    new Reference("group", "not-web", "group not-web", null),
                    new Reference("rule", "r1", null, "app"),
                    new Reference("rule", "r2", null, "app"),
                    new Reference("rule", "r3", null, "app"),
                    new Reference("rule", "r4", null, "infra"));
            assertThat(e).hasMessageContaining("rule 'r4' of policy 'infra'");

            InUseException db = refused(InUseException.class, () -> manager.delete(Kind.GROUP, "db", null, BOB));
            assertThat(db.users()).extracting(Reference::id).containsExactlyInAnyOrder("all", "r1", "r4");
        }

        @Test
        void serviceUsedByARule() {
            seed();
            InUseException e = refused(InUseException.class,
                    () -> manager.delete(Kind.SERVICE, "https", null, BOB));
            assertThat(e.users()).containsExactly(new Reference("rule", "r1", null, "app"));
        }

        @Test
        void freedOnceTheUserIsGone() {
            seed();
            manager.deleteRule("app", "r1", null, BOB);
            manager.delete(Kind.SERVICE, "https", null, BOB);
            assertThat(manager.find(Kind.SERVICE, "https")).isEmpty();
        }
    }

    // ---- validation

    @Nested
    class Validation {

        @Test
        void missingName() {
            seed();
            invalid("/name", () -> manager.create(Kind.HOST, new Host("h9", null, null, null, 0), BOB));
            invalid("/name", () -> manager.create(Kind.HOST, new Host("h9", "  ", null, null, 0), BOB));
            invalid("/name", () -> manager.create(Kind.VM, new Vm("v9", null, "h1", null, null, null, 0), BOB));
            invalid("/name", () -> manager.create(Kind.GROUP, group("g9").name(null).build(), BOB));
            invalid("/name", () -> manager.create(Kind.SERVICE,
                    new Service("s9", "", null, List.of(tcp("80")), 0), BOB));
            invalid("/name", () -> manager.create(Kind.POLICY,
                    new Policy("p9", null, null, Category.APPLICATION, 0, List.of(), 0), BOB));
            invalid("/name", () -> manager.replace(Kind.HOST, "h1", new Host("h1", null, null, null, 0), null, BOB));
            invalid("/name", () -> manager.createRule("app", rule("r9").name(" ").build(), BOB));
        }

        @Test
        void badId() {
            for (String bad : List.of("bad id", "-x", ".x", "x/y", "x?", "é", "a".repeat(129), "")) {
                invalid("/id", () -> manager.create(Kind.HOST, host(bad), BOB));
            }
            assertThat(manager.create(Kind.HOST, host("a".repeat(128)), BOB).id()).hasSize(128);
            assertThat(manager.create(Kind.HOST, host("A-b_c.d:9"), BOB).id()).isEqualTo("A-b_c.d:9");
        }

        @Test
        void vmOnUnknownHost() {
            seed();
            ValidationException e = invalid("/hostId",
                    () -> manager.create(Kind.VM, vm("v9", "nope"), BOB));
            assertThat(e.violations().get(0).message()).contains("'nope'");
            invalid("/hostId", () -> manager.create(Kind.VM, vm("v9", null), BOB));
        }

        @Test
        void duplicateMacAcrossVms() {
            seed();
            ValidationException e = invalid("/vnics/0/mac", () -> manager.create(Kind.VM,
                    webVm("web2", "h1", "00:50:56:00:00:02", "10.0.1.2"), BOB));
            assertThat(e.violations().get(0).message()).contains("db1");
            invalid("/vnics/1/mac", () -> manager.create(Kind.VM, vm("v9", "h1",
                    vnic("00:50:56:00:00:09", "a"), vnic("00-50-56-00-00-09", "b")), BOB));
            invalid("/vnics/0/mac", () -> manager.create(Kind.VM, vm("v9", "h1",
                    vnic("01:00:5e:00:00:01", "a")), BOB));
            // the VM's own MAC is no conflict on replace
            Vm same = manager.replace(Kind.VM, "db1", vm("db1", "db 1", "h2", "Linux", List.of("app:db", "x"),
                    vnic("00:50:56:00:00:02", "db", "10.0.2.1")), null, BOB);
            assertThat(same.tags()).containsExactly("app:db", "x");
        }

        @Test
        void vnicIdUsedByAnotherVm() {
            seed();
            invalid("/vnics/0/id", () -> manager.create(Kind.VM, vm("v9", "h1",
                    new Vnic("web1-nic0", MacAddress.parse("00:50:56:00:00:09"), List.of(), "a")), BOB));
        }

        @Test
        void vnicAddressThatIsAPrefix() {
            seed();
            ValidationException e = invalid("/vnics/0/addresses/1", () -> manager.create(Kind.VM, vm("v9", "h1",
                    vnic("00:50:56:00:00:09", "a", "10.0.0.9", "10.0.0.0/24")), BOB));
            assertThat(e.violations().get(0).message()).contains("10.0.0.0/24");
            invalid("/vnics/0/addresses/1", () -> manager.create(Kind.VM, vm("v9", "h1",
                    vnic("00:50:56:00:00:09", "a", "10.0.0.9", "10.0.0.9")), BOB));
        }

        @Test
        void duplicateTag() {
            seed();
            invalid("/tags/1", () -> manager.create(Kind.VM,
                    vm("v9", "v", "h1", null, List.of("a", "a")), BOB));
        }

        @Test
        void groupReferringToUnknownObjects() {
            seed();
            invalid("/vms/1", () -> manager.create(Kind.GROUP, group("g9").vms("web1", "nope").build(), BOB));
            invalid("/groups/0", () -> manager.create(Kind.GROUP, group("g9").groups("nope").build(), BOB));
            invalid("/excludedVms/0", () -> manager.create(Kind.GROUP,
                    group("g9").excludedVms("nope").build(), BOB));
            invalid("/excludedGroups/0", () -> manager.create(Kind.GROUP,
                    group("g9").excludedGroups("nope").build(), BOB));
            invalid("/vms/1", () -> manager.create(Kind.GROUP, group("g9").vms("web1", "web1").build(), BOB));
            // a VM id is not a group id
            invalid("/groups/0", () -> manager.create(Kind.GROUP, group("g9").groups("web1").build(), BOB));
        }

        @Test
        void groupCriteria() {
            seed();
            invalid("/criteria/value", () -> manager.create(Kind.GROUP, group("g9")
                    .criteria(tagEquals("")).build(), BOB));
            invalid("/criteria/all", () -> manager.create(Kind.GROUP, group("g9").criteria(all()).build(), BOB));
            invalid("/criteria/any/1/operator", () -> manager.create(Kind.GROUP, group("g9")
                    .criteria(any(tagEquals("a"), condition(Criterion.Attribute.NAME, null, "x"))).build(), BOB));
        }

        @Test
        void groupCycleThroughNesting() {
            seed();
            manager.create(Kind.GROUP, group("a").build(), BOB);
            manager.create(Kind.GROUP, group("b").groups("a").build(), BOB);
            ValidationException e = invalid("/groups",
                    () -> manager.replace(Kind.GROUP, "a", group("a").groups("b").build(), null, BOB));
            assertThat(e.violations().get(0).message()).contains("a -> b -> a");
        }

        @Test
        void longerGroupCycle() {
            seed();
            manager.create(Kind.GROUP, group("a").build(), BOB);
            manager.create(Kind.GROUP, group("b").groups("a").build(), BOB);
            manager.create(Kind.GROUP, group("c").groups("web", "b").build(), BOB);
            ValidationException e = invalid("/groups",
                    () -> manager.replace(Kind.GROUP, "a", group("a").groups("db", "c").build(), null, BOB));
            assertThat(e.violations().get(0).message()).contains("a -> c -> b -> a");
        }

        @Test
        void groupCycleThroughExclusion() {
            seed();
            manager.create(Kind.GROUP, group("a").build(), BOB);
            manager.create(Kind.GROUP, group("b").groups("a").build(), BOB);
            ValidationException e = invalid("/excludedGroups",
                    () -> manager.replace(Kind.GROUP, "a", group("a").excludedGroups("b").build(), null, BOB));
            assertThat(e.violations().get(0).message()).contains("a -> b -> a");
        }

        @Test
        void groupReferringToItself() {
            seed();
            invalid("/groups", () -> manager.create(Kind.GROUP, group("self").groups("self").build(), BOB));
            invalid("/excludedGroups",
                    () -> manager.create(Kind.GROUP, group("self").excludedGroups("self").build(), BOB));
            invalid("/groups", () -> manager.replace(Kind.GROUP, "web", group("web").groups("web").build(), null,
                    BOB));
        }

        @Test
        void diamondIsNoCycle() {
            seed();
            manager.create(Kind.GROUP, group("a").groups("web").build(), BOB);
            manager.create(Kind.GROUP, group("b").groups("web").build(), BOB);
            manager.create(Kind.GROUP, group("c").groups("a", "b").excludedGroups("db").build(), BOB);
            assertThat(manager.find(Kind.GROUP, "c")).isPresent();
        }

        @Test
        void serviceEntries() {
            invalid("/entries/0/destinationPorts", () -> manager.create(Kind.SERVICE, service("s",
                    new ServiceEntry(Protocol.ICMP, List.of(PortRange.of(80)), List.of(), null, null)), BOB));
            invalid("/entries/1/sourcePorts", () -> manager.create(Kind.SERVICE, service("s", tcp("80"),
                    new ServiceEntry(Protocol.ANY, List.of(), List.of(PortRange.of(80)), null, null)), BOB));
            invalid("/entries/0/icmpType", () -> manager.create(Kind.SERVICE, service("s", icmp(256, null)), BOB));
            invalid("/entries/0/icmpType", () -> manager.create(Kind.SERVICE, service("s", icmp(-1, null)), BOB));
            invalid("/entries/0/icmpCode", () -> manager.create(Kind.SERVICE, service("s", icmp(3, 256)), BOB));
            invalid("/entries/0/icmpCode", () -> manager.create(Kind.SERVICE, service("s", icmp(null, 0)), BOB));
            invalid("/entries/0/icmpType", () -> manager.create(Kind.SERVICE, service("s",
                    new ServiceEntry(Protocol.TCP, List.of(), List.of(), 8, null)), BOB));
            invalid("/entries/0/protocol", () -> manager.create(Kind.SERVICE, service("s",
                    new ServiceEntry(null, List.of(), List.of(), null, null)), BOB));
            invalid("/entries", () -> manager.create(Kind.SERVICE, service("s"), BOB));
            assertThat(manager.create(Kind.SERVICE, service("ping", icmp(8, 0), icmp(255, 255)), BOB)).isNotNull();
        }

        @Test
        void policyWithoutCategory() {
            invalid("/category", () -> manager.create(Kind.POLICY, policy("p", null, 0), BOB));
            invalid("/category", () -> manager.create(Kind.POLICY, policy("p", null, null), BOB));
        }

        @Test
        void policySequenceIsUniqueWithinItsCategory() {
            manager.create(Kind.POLICY, policy("a1", Category.APPLICATION, 10), BOB);
            ValidationException e = invalid("/sequence",
                    () -> manager.create(Kind.POLICY, policy("a2", Category.APPLICATION, 10), BOB));
            assertThat(e.violations().get(0).message()).contains("a1");
            assertThat(manager.create(Kind.POLICY, policy("e1", Category.ENVIRONMENT, 10), BOB).sequence())
                    .isEqualTo(10);
            manager.create(Kind.POLICY, policy("a2", Category.APPLICATION, 20), BOB);
            invalid("/sequence", () -> manager.replace(Kind.POLICY, "a2",
                    policy("a2", Category.APPLICATION, 10), null, BOB));
            invalid("/sequence", () -> manager.replace(Kind.POLICY, "e1",
                    policy("e1", Category.APPLICATION, 20), null, BOB));
            invalid("/sequence", () -> manager.create(Kind.POLICY, policy("n", Category.APPLICATION, -1), BOB));
        }

        @Test
        void ruleReferringToUnknownObjects() {
            seed();
            invalid("/services/0", () -> manager.createRule("app", rule("r9").services("nope").build(), BOB));
            invalid("/sources/1", () -> manager.createRule("app", rule("r9").sources("web", "nope").build(), BOB));
            invalid("/destinations/0", () -> manager.createRule("app", rule("r9").destinations("nope").build(),
                    BOB));
            invalid("/appliedTo/0", () -> manager.createRule("app", rule("r9").appliedTo("nope").build(), BOB));
            invalid("/services/0", () -> manager.replaceRule("app", "r1", rule("r1").services("web").build(), null,
                    BOB));
            invalid("/rules/0/services/0", () -> manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 0,
                    rule("r9").services("nope").build()), BOB));
            invalid("/rules/1/sources/0", () -> manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 0,
                    rule("r8").build(), rule("r9").sources("https").build()), BOB));
        }

        @Test
        void negatedAny() {
            seed();
            invalid("/sourcesNegated", () -> manager.createRule("app", rule("r9").sourcesNegated(true).build(), BOB));
            invalid("/destinationsNegated", () -> manager.createRule("app",
                    rule("r9").destinationsNegated(true).build(), BOB));
            invalid("/rules/0/sourcesNegated", () -> manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 0,
                    rule("r9").sourcesNegated(true).build()), BOB));
            assertThat(manager.createRule("app", rule("r9").sources("web").sourcesNegated(true).build(), BOB)
                    .sourcesNegated()).isTrue();
        }

        @Test
        void aStagedRuleIsValidatedLikeAnEnforcedOne() {
            seed();
            invalid("/sources/0", () -> manager.createRule("app", rule("r9").sources("nope").staged(true).build(),
                    BOB));
            invalid("/action", () -> manager.createRule("app", rule("r9").action(null).staged(true).build(), BOB));
            invalid("/sequence", () -> manager.createRule("app", rule("r9").sequence(10).staged(true).build(), BOB));
            assertThat(manager.findRule("app", "r9")).isEmpty();
        }

        @Test
        void ruleWithoutAction() {
            seed();
            invalid("/action", () -> manager.createRule("app", rule("r9").action(null).build(), BOB));
        }

        @Test
        void duplicateRuleSequence() {
            seed();
            ValidationException e = invalid("/sequence",
                    () -> manager.createRule("app", rule("r9").sequence(10).build(), BOB));
            assertThat(e.violations().get(0).message()).contains("r1");
            manager.createRule("app", rule("r2").sequence(20).build(), BOB);
            invalid("/sequence", () -> manager.replaceRule("app", "r2", rule("r2").sequence(10).build(), null, BOB));
            invalid("/rules/1/sequence", () -> manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 0,
                    rule("a").sequence(5).build(), rule("b").sequence(5).build()), BOB));
            invalid("/sequence", () -> manager.createRule("app", rule("r9").sequence(-10).build(), BOB));
            // the same sequence in another policy is fine
            manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 0, rule("a").sequence(10).build()), BOB);
        }

        @Test
        void ruleIdIsUniqueAcrossPolicies() {
            seed();
            manager.create(Kind.POLICY, policy("other", Category.EMERGENCY, 0), BOB);
            ValidationException e = invalid("/id", () -> manager.createRule("other", rule("r1").build(), BOB));
            assertThat(e.violations().get(0).message()).contains("'app'");
            invalid("/id", () -> manager.createRule("app", rule("r1").sequence(99).build(), BOB));
            invalid("/rules/0/id", () -> manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 10,
                    rule("r1").build()), BOB));
            invalid("/rules/0/id", () -> manager.replace(Kind.POLICY, "other", policy("other", Category.EMERGENCY,
                    0, rule("r1").build()), null, BOB));
            invalid("/rules/1/id", () -> manager.create(Kind.POLICY, policy("p9", Category.EMERGENCY, 10,
                    rule("x").build(), rule("x").build()), BOB));
            invalid("/id", () -> manager.createRule("app", rule("bad id").build(), BOB));
        }

        @Test
        void defaultRuleIsAllowOrDrop() {
            invalid("/action", () -> manager.setDefaultRule(new DefaultRule(Action.REJECT, false, 0), null, BOB));
            invalid("/action", () -> manager.setDefaultRule(new DefaultRule(null, false, 0), null, BOB));
            assertThat(manager.defaultRule()).isEqualTo(DefaultRule.INITIAL);
        }

        @Test
        void violationsAreAllReported() {
            seed();
            ValidationException e = refused(ValidationException.class, () -> manager.create(Kind.VM,
                    new Vm("v9", null, "nope", null, List.of(), List.of(
                            vnic("00:50:56:00:00:01", "a", "10.0.0.0/8")), 0), BOB));
            assertThat(e.violations()).extracting(Violation::field)
                    .containsExactly("/name", "/hostId", "/vnics/0/mac", "/vnics/0/addresses/0");
            assertThat(e).hasMessageContaining("(and 3 more)");
        }
    }

    // ---- rules within policies

    @Nested
    class Rules {

        @Test
        void createRuleAppendsAfterTheLastRule() {
            seed();
            manager.createRule("app", rule("r2").sequence(25).build(), BOB);
            Rule r3 = manager.createRule("app", rule(null).action(Action.DROP).build(), BOB);
            assertThat(r3.id()).isEqualTo("gen-1");
            assertThat(r3.sequence()).isEqualTo(35);
            assertThat(r3.revision()).isEqualTo(SEED_REVISION + 2);
            Policy app = manager.find(Kind.POLICY, "app").orElseThrow();
            assertThat(app.revision()).isEqualTo(SEED_REVISION + 2);
            assertThat(app.rules()).extracting(Rule::id).containsExactly("r1", "r2", "gen-1");
            assertThat(app.rules()).extracting(Rule::revision)
                    .containsExactly((long) SEED_REVISION, SEED_REVISION + 1L, SEED_REVISION + 2L);

            manager.create(Kind.POLICY, policy("empty", Category.EMERGENCY, 0), BOB);
            assertThat(manager.createRule("empty", rule("first").build(), BOB).sequence()).isZero();
            assertThat(manager.createRule("empty", rule("second").build(), BOB).sequence()).isEqualTo(10);
        }

        @Test
        void createRuleInTheMiddleKeepsTheListSorted() {
            seed();
            manager.createRule("app", rule("r3").sequence(30).build(), BOB);
            manager.createRule("app", rule("r2").sequence(20).build(), BOB);
            manager.createRule("app", rule("r0").sequence(0).build(), BOB);
            assertThat(manager.find(Kind.POLICY, "app").orElseThrow().rules()).extracting(Rule::id)
                    .containsExactly("r0", "r1", "r2", "r3");
        }

        @Test
        void createRuleIsStoredAndAuditedAsARule() throws Exception {
            seed();
            Rule r2 = manager.createRule("app", rule("r2").tag("t").build(), BOB);
            Document doc = store.document("policy", "app").orElseThrow();
            assertThat(doc.revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(json.readValue(doc.json(), Policy.class)).isEqualTo(manager.find(Kind.POLICY, "app").orElseThrow());
            AuditRecord a = store.auditLog().get(0);
            assertThat(a.kind()).isEqualTo("rule");
            assertThat(a.objectId()).isEqualTo("r2");
            assertThat(a.operation()).isEqualTo(Operation.CREATE);
            assertThat(json.readValue(a.after(), Rule.class)).isEqualTo(r2);
        }

        @Test
        void replaceRuleKeepsTheOtherRulesRevisions() throws Exception {
            seed();
            manager.createRule("app", rule("r2").sequence(20).build(), BOB);
            manager.createRule("app", rule("r3").sequence(30).build(), BOB);
            Rule before = manager.findRule("app", "r2").orElseThrow();
            Rule r2 = manager.replaceRule("app", "r2", rule(null).action(Action.DROP).logged(true).build(),
                    SEED_REVISION + 1L, BOB);
            assertThat(r2.id()).isEqualTo("r2");
            assertThat(r2.sequence()).as("kept when absent").isEqualTo(20);
            assertThat(r2.action()).isEqualTo(Action.DROP);
            assertThat(r2.revision()).isEqualTo(SEED_REVISION + 3);
            Policy app = manager.find(Kind.POLICY, "app").orElseThrow();
            assertThat(app.revision()).isEqualTo(SEED_REVISION + 3);
            assertThat(app.rules()).extracting(Rule::revision)
                    .containsExactly((long) SEED_REVISION, SEED_REVISION + 3L, SEED_REVISION + 2L);

            AuditRecord a = store.auditLog().get(0);
            assertThat(a.kind()).isEqualTo("rule");
            assertThat(a.operation()).isEqualTo(Operation.UPDATE);
            assertThat(json.readValue(a.before(), Rule.class)).isEqualTo(before);
            assertThat(json.readValue(a.after(), Rule.class)).isEqualTo(r2);
        }

        @Test
        void stagingOrEnforcingARuleIsAChangeOfTheRule() {
            seed();
            assertThat(manager.findRule("app", "r1").orElseThrow().staged()).isFalse();
            Rule staged = manager.replaceRule("app", "r1", rule("r1").sequence(10).sources("web").destinations("db")
                    .services("https").staged(true).build(), null, BOB);
            assertThat(staged.staged()).isTrue();
            assertThat(staged.revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(store.auditLog().get(0).after()).contains("\"staged\":true");

            Rule enforced = manager.replaceRule("app", "r1", rule("r1").sequence(10).sources("web").destinations("db")
                    .services("https").build(), null, BOB);
            assertThat(enforced.staged()).isFalse();
            assertThat(enforced.revision()).isEqualTo(SEED_REVISION + 2);
        }

        @Test
        void replaceRuleCanMoveIt() {
            seed();
            manager.createRule("app", rule("r2").sequence(20).build(), BOB);
            manager.replaceRule("app", "r2", rule("r2").sequence(5).build(), null, BOB);
            assertThat(manager.find(Kind.POLICY, "app").orElseThrow().rules()).extracting(Rule::id)
                    .containsExactly("r2", "r1");
        }

        @Test
        void replacePolicyKeepsUnchangedRulesRevisions() {
            seed();
            manager.createRule("app", rule("r2").sequence(20).build(), BOB);
            Policy app = manager.find(Kind.POLICY, "app").orElseThrow();
            List<Rule> rules = new ArrayList<>(app.rules());
            rules.set(1, rule("r2").sequence(20).action(Action.REJECT).build());
            rules.add(rule(null).build());
            Policy replaced = manager.replace(Kind.POLICY, "app", app.withRules(rules), null, BOB);
            assertThat(replaced.rules()).extracting(Rule::id).containsExactly("r1", "r2", "gen-1");
            assertThat(replaced.rules()).extracting(Rule::sequence).containsExactly(10, 20, 30);
            assertThat(replaced.rules()).extracting(Rule::revision)
                    .containsExactly((long) SEED_REVISION, SEED_REVISION + 2L, SEED_REVISION + 2L);
        }

        @Test
        void deleteRule() throws Exception {
            seed();
            manager.createRule("app", rule("r2").build(), BOB);
            Rule r1 = manager.findRule("app", "r1").orElseThrow();
            manager.deleteRule("app", "r1", null, BOB);
            Policy app = manager.find(Kind.POLICY, "app").orElseThrow();
            assertThat(app.rules()).extracting(Rule::id).containsExactly("r2");
            assertThat(app.revision()).isEqualTo(SEED_REVISION + 2);
            assertThat(app.rules().get(0).revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(manager.findRule("app", "r1")).isEmpty();
            AuditRecord a = store.auditLog().get(0);
            assertThat(a.kind()).isEqualTo("rule");
            assertThat(a.objectId()).isEqualTo("r1");
            assertThat(a.operation()).isEqualTo(Operation.DELETE);
            assertThat(a.after()).isNull();
            assertThat(json.readValue(a.before(), Rule.class)).isEqualTo(r1);
            // the id is free again
            manager.create(Kind.POLICY, policy("p2", Category.EMERGENCY, 0, rule("r1").build()), BOB);
        }

        @Test
        void defaultRule() {
            assertThat(manager.defaultRule()).isEqualTo(DefaultRule.INITIAL);
            DefaultRule allow = manager.setDefaultRule(new DefaultRule(Action.ALLOW, true, 77), null, BOB);
            assertThat(allow).isEqualTo(new DefaultRule(Action.ALLOW, true, 1));
            assertThat(manager.defaultRule()).isEqualTo(allow);
            assertThat(store.document("setting", "default-rule")).map(Document::revision).contains(1L);
            AuditRecord a = store.auditLog().get(0);
            assertThat(a.kind()).isEqualTo("setting");
            assertThat(a.objectId()).isEqualTo("default-rule");
        }
    }

    // ---- replacing with identical content

    @Nested
    class NoOp {

        private void assertNoOp(ThrowingCallable change) {
            ModelSnapshot before = manager.snapshot();
            long audit = auditTotal();
            int commits = store.commits().size();
            assertThat(catchThrowable(change)).isNull();
            assertThat(manager.snapshot()).isSameAs(before);
            assertThat(auditTotal()).isEqualTo(audit);
            assertThat(store.commits()).hasSize(commits);
        }

        @Test
        void identicalReplacementsChangeNothing() {
            seed();
            manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0), null, ALICE);
            ModelSnapshot s = manager.snapshot();
            for (Kind<?> kind : Kind.ALL) {
                for (Entity e : s.all(kind)) {
                    assertNoOp(() -> assertThat(replaceRaw(kind, e)).isEqualTo(e));
                }
            }
            // as a client would send them: no id, no revision, no server-assigned ids
            assertNoOp(() -> manager.replace(Kind.HOST, "h1", new Host(null, "host h1", null, null, 0), 1L, BOB));
            assertNoOp(() -> manager.replace(Kind.VM, "web1", vm(null, "web web1", "h1", "Ubuntu",
                    List.of("app:web"), vnic("00:50:56:00:00:01", "web", "10.0.1.1")), 3L, BOB));
            assertNoOp(() -> manager.replace(Kind.POLICY, "app", new Policy(null, "policy app", null,
                    Category.APPLICATION, null, List.of(rule("r1").sequence(10).sources("web").destinations("db")
                    .services("https").build()), 0), null, BOB));
            assertNoOp(() -> assertThat(manager.replaceRule("app", "r1", rule(null).sources("web")
                    .destinations("db").services("https").build(), (long) SEED_REVISION, BOB).revision())
                    .isEqualTo(SEED_REVISION));
            assertNoOp(() -> assertThat(manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0),
                    SEED_REVISION + 1L, BOB).revision()).isEqualTo(SEED_REVISION + 1));
        }

        @SuppressWarnings("unchecked")
        private <T extends Entity> T replaceRaw(Kind<T> kind, Entity e) {
            return manager.replace(kind, e.id(), (T) e, e.revision(), BOB);
        }

        @Test
        void aRealChangeStillCommits() {
            seed();
            manager.replace(Kind.HOST, "h1", new Host("h1", "host h1", IpPrefix.parse("192.0.2.1"), null, 0), null,
                    BOB);
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 1);
        }
    }

    // ---- the store

    @Nested
    class Store {

        @Test
        void aFailedCommitLeavesTheSnapshotUnchanged() {
            seed();
            store.failNextCommit();
            StoreException e = refused(StoreException.class, () -> manager.create(Kind.HOST, host("h9"), BOB));
            assertThat(e).isNotInstanceOf(StoreConflictException.class);
            assertThat(manager.find(Kind.HOST, "h9")).isEmpty();

            store.failNextCommit();
            refused(StoreException.class, () -> manager.createRule("app", rule("r2").build(), BOB));
            store.failNextCommit();
            refused(StoreException.class, () -> manager.delete(Kind.POLICY, "app", null, BOB));
            store.failNextCommit();
            refused(StoreException.class, () -> manager.setDefaultRule(new DefaultRule(Action.ALLOW, false, 0),
                    null, BOB));

            // the next change takes the revision the failed one would have taken
            Host h9 = manager.create(Kind.HOST, host("h9"), BOB);
            assertThat(h9.revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(store.revision()).isEqualTo(SEED_REVISION + 1);
        }

        @Test
        void aCommitInDoubtIsReadBackFromTheStore() {
            seed();
            // the store applied the change but the manager was told it failed
            store.failNextCommitAfterApplying();
            assertThatThrownBy(() -> manager.create(Kind.HOST, host("h9"), BOB)).isInstanceOf(StoreException.class);
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(manager.find(Kind.HOST, "h9")).map(Host::revision).contains(SEED_REVISION + 1L);
            assertThat(manager.create(Kind.HOST, host("h10"), BOB).revision()).isEqualTo(SEED_REVISION + 2);
        }

        @Test
        void aRestartedManagerSeesTheSameModel() {
            seed();
            manager.create(Kind.GROUP, group("mixed").criteria(any(tagEquals("app:web"), all(
                            condition(Criterion.Attribute.OS, Criterion.Operator.STARTS_WITH, "Ub"),
                            condition(Criterion.Attribute.SEGMENT, Criterion.Operator.NOT_EQUALS, "dmz"))))
                    .addresses("10.9.0.0/16", "2001:db8::/64").excludedAddresses("10.9.1.0/24")
                    .groups("web").excludedGroups("db").excludedVms("db1").description("d").build(), ALICE);
            manager.create(Kind.SERVICE, service("mix", tcp("80", "8000-8080"), icmp(8, 0),
                    new ServiceEntry(Protocol.ICMPV6, List.of(), List.of(), 128, null),
                    new ServiceEntry(Protocol.UDP, List.of(), List.of(PortRange.parse("1024-65535")), null, null)),
                    ALICE);
            manager.createRule("app", rule("r2").name("n").sources("db").sourcesNegated(true).destinations("mixed")
                    .services("mix", "https").appliedTo("web").direction(Direction.OUT).action(Action.REJECT)
                    .logged(true).disabled(true).tag("t").build(), ALICE);
            manager.createRule("app", rule("r3").sources("web").destinations("db").action(Action.DROP).staged(true)
                    .build(), ALICE);
            manager.replace(Kind.HOST, "h2", new Host("h2", "esx", IpPrefix.parse("2001:db8::2"), "x", 0), null,
                    ALICE);
            manager.setDefaultRule(new DefaultRule(Action.ALLOW, true, 0), null, ALICE);
            manager.create(Kind.SERVICE_PROFILE, InsertionFixtures.profile("ids", "acme/ids",
                    java.util.Map.of("rules", List.of("strict", "web"), "alerts", true)), ALICE);
            manager.create(Kind.SERVICE_CHAIN, InsertionFixtures.chain("inspect", "ids"), ALICE);
            manager.create(Kind.REDIRECTION_POLICY, InsertionFixtures.redirectionPolicy("steer", 0,
                    InsertionFixtures.redirect("to-ids", "inspect").sources("web").services("mix").build()), ALICE);

            ModelSnapshot before = manager.snapshot();
            ModelManager restarted = newManager();
            ModelSnapshot after = restarted.snapshot();
            assertThat(after.revision()).isEqualTo(before.revision());
            assertThat(after.defaultRule()).isEqualTo(before.defaultRule());
            for (Kind<?> kind : Kind.ALL) {
                assertThat(after.all(kind)).as(kind.name()).isNotEmpty();
            }
            assertSameModel(after, before);
            assertThat(restarted.members("mixed")).isEqualTo(manager.members("mixed"));
            // and it carries on from there
            assertThat(restarted.create(Kind.HOST, host("h3"), ALICE).revision()).isEqualTo(before.revision() + 1);
        }

        @Test
        void anotherWriterMakesTheCommitConflictAndTheManagerReloads() {
            seed();
            ModelManager other = newManager();
            other.create(Kind.HOST, host("theirs"), BOB);

            ModelSnapshot stale = manager.snapshot();
            Throwable t = catchThrowable(() -> manager.create(Kind.HOST, host("mine"), ALICE));
            assertThat(t).isInstanceOf(StoreConflictException.class);
            // nothing of ours was stored, and the manager now sees the other writer's change
            assertThat(store.revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(store.document("host", "mine")).isEmpty();
            assertThat(manager.snapshot()).isNotSameAs(stale);
            assertThat(manager.snapshot().revision()).isEqualTo(SEED_REVISION + 1);
            assertThat(manager.find(Kind.HOST, "theirs")).isPresent();
            assertThat(manager.find(Kind.HOST, "mine")).isEmpty();

            // retrying now works
            assertThat(manager.create(Kind.HOST, host("mine"), ALICE).revision()).isEqualTo(SEED_REVISION + 2);
            assertThat(store.revision()).isEqualTo(SEED_REVISION + 2);
        }
    }

    // ---- audit

    @Test
    void auditIsNewestFirstWithFiltersAndTotals() {
        seed();
        manager.replace(Kind.HOST, "h1", new Host("h1", "renamed", null, null, 0), null, BOB);
        manager.createRule("app", rule("r2").build(), BOB);

        AuditPage all = manager.audit(new AuditQuery(0, 100, null, null, null));
        assertThat(all.total()).isEqualTo(SEED_REVISION + 2);
        assertThat(all.records()).extracting(AuditRecord::revision)
                .containsExactly(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);

        AuditPage page = manager.audit(new AuditQuery(2, 3, null, null, null));
        assertThat(page.total()).isEqualTo(10);
        assertThat(page.records()).extracting(AuditRecord::revision).containsExactly(8L, 7L, 6L);
        assertThat(manager.audit(new AuditQuery(9, 5, null, null, null)).records()).hasSize(1);
        assertThat(manager.audit(new AuditQuery(50, 5, null, null, null)).records()).isEmpty();
        assertThat(manager.audit(new AuditQuery(50, 5, null, null, null)).total()).isEqualTo(10);
        assertThat(manager.audit(new AuditQuery(0, 0, null, null, null)).records()).isEmpty();

        AuditPage hosts = manager.audit(new AuditQuery(0, 100, "host", null, null));
        assertThat(hosts.total()).isEqualTo(3);
        assertThat(hosts.records()).extracting(AuditRecord::objectId).containsExactly("h1", "h2", "h1");
        assertThat(manager.audit(new AuditQuery(0, 100, "host", "h1", null)).records())
                .extracting(AuditRecord::operation).containsExactly(Operation.UPDATE, Operation.CREATE);
        AuditPage bob = manager.audit(new AuditQuery(0, 1, null, null, BOB));
        assertThat(bob.total()).isEqualTo(2);
        assertThat(bob.records()).extracting(AuditRecord::kind).containsExactly("rule");
        assertThat(manager.audit(new AuditQuery(0, 100, "rule", "r2", BOB)).total()).isEqualTo(1);
        assertThat(manager.audit(new AuditQuery(0, 100, "rule", "r2", ALICE)).total()).isZero();
        assertThat(all.records()).extracting(AuditRecord::time).containsOnly(Instant.parse("2024-05-01T12:00:00.123Z"));
    }

    @Test
    void snapshotsAreImmutableAndIndependent() {
        seed();
        ModelSnapshot before = manager.snapshot();
        manager.create(Kind.HOST, host("h3"), ALICE);
        assertThat(before.find(Kind.HOST, "h3")).isEmpty();
        assertThat(before.revision()).isEqualTo(SEED_REVISION);
        assertThat(manager.snapshot().find(Kind.HOST, "h3")).isPresent();
        assertThatThrownBy(() -> before.all(Kind.HOST).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new ArrayList<>(manager.snapshot().hosts())).extracting(Host::id).containsExactly("h1", "h2", "h3");
    }
}
