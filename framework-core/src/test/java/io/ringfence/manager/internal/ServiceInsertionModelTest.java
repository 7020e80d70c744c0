package io.ringfence.manager.internal;

import static io.ringfence.model.InsertionFixtures.chain;
import static io.ringfence.model.InsertionFixtures.doNotRedirect;
import static io.ringfence.model.InsertionFixtures.profile;
import static io.ringfence.model.InsertionFixtures.redirect;
import static io.ringfence.model.InsertionFixtures.redirectionPolicy;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.manager.InUseException;
import io.ringfence.manager.ListQuery;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.Reference;
import io.ringfence.manager.RevisionMismatchException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Direction;
import io.ringfence.model.Entity;
import io.ringfence.model.FailurePolicy;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionAction;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.AuditRecord;
import io.ringfence.store.AuditRecord.Operation;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Service profiles, service chains and redirection policies through the model manager. */
class ServiceInsertionModelTest {

    private static final String ADMIN = "alice";

    private final ObjectMapper json = ModelJson.mapper();
    private final InMemoryModelStore store = new InMemoryModelStore();
    private final AtomicInteger generated = new AtomicInteger();
    private ModelManager manager = newManager();

    private ModelManager newManager() {
        return new ModelManager(store, Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC),
                () -> "gen-" + generated.incrementAndGet());
    }

    /**
     * Host h1, VMs web1 and db1, groups web (by tag) and db (static), service https; profiles ids
     * and av of acme's definitions; chain inspect (ids, av); redirection policy steer (sequence 10)
     * whose rule r1 redirects web to db over https into inspect.
     */
    @BeforeEach
    void seed() {
        manager.create(Kind.HOST, host("h1"), ADMIN);
        manager.create(Kind.VM, vm("web1", "web 1", "h1", null, List.of("app:web"),
                vnic("00:50:56:00:00:01", "web", "10.0.1.1")), ADMIN);
        manager.create(Kind.VM, vm("db1", "db 1", "h1", null, List.of("app:db"),
                vnic("00:50:56:00:00:02", "db", "10.0.2.1")), ADMIN);
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), ADMIN);
        manager.create(Kind.GROUP, group("db").vms("db1").build(), ADMIN);
        manager.create(Kind.SERVICE, service("https", tcp("443")), ADMIN);
        manager.create(Kind.SERVICE_PROFILE, profile("ids", "acme/ids", values("signatures", "strict")), ADMIN);
        manager.create(Kind.SERVICE_PROFILE, profile("av", "acme/av", Map.of()), ADMIN);
        manager.create(Kind.SERVICE_CHAIN, chain("inspect", "ids", "av"), ADMIN);
        manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("steer", 10,
                redirect("r1", "inspect").sources("web").destinations("db").services("https").build()), ADMIN);
    }

    private static final long SEEDED = 10;

    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Runs a change that must be refused with {@code type}; the model, the store and the audit log stay as they were. */
    private <E extends Throwable> E refused(Class<E> type, ThrowingCallable change) {
        ModelSnapshot before = manager.snapshot();
        long storeRevision = store.revision();
        int audit = store.auditLog().size();
        Throwable t = catchThrowable(change);
        assertThat(t).isInstanceOf(type);
        assertThat(manager.snapshot()).as("snapshot after a refused change").isSameAs(before);
        assertThat(store.revision()).isEqualTo(storeRevision);
        assertThat(store.auditLog()).hasSize(audit);
        return type.cast(t);
    }

    /** A change refused with exactly the given violation fields. */
    private ValidationException invalid(ThrowingCallable change, String... fields) {
        ValidationException e = refused(ValidationException.class, change);
        assertThat(e.violations()).extracting(Violation::field).containsExactly(fields);
        return e;
    }

    @Test
    void seededObjectsCarryTheirRevisionsAndAreAuditedByKind() {
        assertThat(manager.snapshot().revision()).isEqualTo(SEEDED);
        ServiceChain inspect = manager.find(Kind.SERVICE_CHAIN, "inspect").orElseThrow();
        assertThat(inspect.revision()).isEqualTo(SEEDED - 1);
        assertThat(inspect.deadlineMicros()).as("default deadline").isEqualTo(ServiceChain.DEFAULT_DEADLINE_MICROS);
        RedirectionPolicy steer = manager.find(Kind.REDIRECTION_POLICY, "steer").orElseThrow();
        assertThat(steer.rules()).singleElement().satisfies(r -> {
            assertThat(r.sequence()).isZero();
            assertThat(r.revision()).isEqualTo(SEEDED);
            assertThat(r.direction()).isEqualTo(Direction.IN_OUT);
        });
        assertThat(store.auditLog()).extracting(AuditRecord::kind).startsWith("redirection-policy", "service-chain",
                "service-profile", "service-profile");
        assertThat(store.document("service-profile", "ids")).isPresent();
    }

    @Test
    void replyPathIsTheForwardPathReversedUnlessGiven() {
        assertThat(manager.find(Kind.SERVICE_CHAIN, "inspect").orElseThrow().replyPath()).containsExactly("av", "ids");
        ServiceChain oneWay = manager.create(Kind.SERVICE_CHAIN, new ServiceChain("one-way", "one way", null,
                List.of("ids", "av"), List.of("av"), FailurePolicy.ALLOW, 250L, 0), ADMIN);
        assertThat(oneWay.replyPath()).containsExactly("av");
        assertThat(oneWay.deadlineMicros()).isEqualTo(250);
    }

    @Test
    void jsonCarriesTheDefaultsButNotTheDerivedReplyPath() throws Exception {
        JsonNode chainJson = json.readTree(json.writeValueAsString(manager.find(Kind.SERVICE_CHAIN, "inspect").orElseThrow()));
        assertThat(chainJson.get("deadlineMicros").asLong()).isEqualTo(1000);
        assertThat(chainJson.has("replyPath")).isFalse();
        ServiceProfile p = json.readValue("""
                {"name":"p","definition":"acme/ids","values":{"ports":[80,443],"mode":{"level":"high"},"on":true}}""",
                ServiceProfile.class);
        assertThat(p.values().get("ports")).isEqualTo(List.of(80, 443));
        assertThat(catchThrowable(() -> p.values().put("x", 1))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(catchThrowable(() -> json.readValue("{\"name\":\"c\",\"profiles\":[\"ids\"],\"colour\":1}",
                ServiceChain.class))).hasMessageContaining("colour");
    }

    @Nested
    class Profiles {

        @Test
        void definitionIdsAreVendorSlashName() {
            for (String good : List.of("acme/ids", "a/b", "acme-2/ids-v2", "0/9")) {
                manager.create(Kind.SERVICE_PROFILE, profile(null, good, Map.of()), ADMIN);
            }
            for (String bad : List.of("Acme/ids", "acme", "acme/ids/x", "acme/", "/ids", "-acme/ids", "acme/ids-",
                    "acme ids", "acme/IDS")) {
                ValidationException e = invalid(() -> manager.create(Kind.SERVICE_PROFILE, profile(null, bad, Map.of()),
                        ADMIN), "/definition");
                assertThat(e.getMessage()).contains(bad).contains("vendor/name");
            }
            invalid(() -> manager.create(Kind.SERVICE_PROFILE, profile(null, null, Map.of()), ADMIN), "/definition");
        }

        @Test
        void valuesAreJsonUnderParameterNames() {
            Map<String, Object> bad = values("threshold", 5, "9lives", 1, "a/b", "x", "empty", null,
                    "list", new ArrayList<>(java.util.Arrays.asList("ok", null)), "object", new Object());
            invalid(() -> manager.create(Kind.SERVICE_PROFILE, profile(null, "acme/ids", bad), ADMIN),
                    "/values/9lives", "/values/a~1b", "/values/empty", "/values/list/1", "/values/object");

            Object deep = "bottom";
            for (int i = 0; i < ServiceInsertionValidator.MAX_VALUE_DEPTH; i++) {
                deep = List.of(deep);
            }
            Object tooDeep = deep;
            invalid(() -> manager.create(Kind.SERVICE_PROFILE, profile(null, "acme/ids", values("deep", tooDeep)), ADMIN),
                    "/values/deep/0/0/0/0/0/0/0/0");
            ServiceProfile ok = manager.create(Kind.SERVICE_PROFILE, profile(null, "acme/ids",
                    values("deep", ((List<?>) deep).get(0), "ratio", 0.5, "on", false)), ADMIN);
            assertThat(ok.values()).containsKeys("deep", "ratio", "on");
        }

        @Test
        void aProfileInAChainCannotGoAndTheChainIsNamed() {
            InUseException e = refused(InUseException.class, () -> manager.delete(Kind.SERVICE_PROFILE, "av", null, ADMIN));
            assertThat(e.users()).containsExactly(new Reference("service-chain", "inspect", "chain inspect", null));
            assertThat(e.getMessage()).contains("service-chain 'inspect'");
        }

        @Test
        void aProfileOnlyOnTheReplyPathIsInUseToo() {
            manager.create(Kind.SERVICE_PROFILE, profile("spare", "acme/av", Map.of()), ADMIN);
            manager.replace(Kind.SERVICE_CHAIN, "inspect", new ServiceChain(null, "chain inspect", null,
                    List.of("ids", "spare"), List.of("spare"), FailurePolicy.BLOCK, null, 0), null, ADMIN);
            refused(InUseException.class, () -> manager.delete(Kind.SERVICE_PROFILE, "spare", null, ADMIN));
            manager.delete(Kind.SERVICE_PROFILE, "av", null, ADMIN);
            assertThat(manager.find(Kind.SERVICE_PROFILE, "av")).isEmpty();
        }

        @Test
        void filterByDefinition() {
            assertThat(manager.list(Kind.SERVICE_PROFILE, new ListQuery(0, 10, Map.of("definition", "acme/av"))).items())
                    .extracting(Entity::id).containsExactly("av");
        }
    }

    @Nested
    class Chains {

        @Test
        void aChainNeedsExistingProfilesEachOnce() {
            invalid(() -> manager.create(Kind.SERVICE_CHAIN, chain("c"), ADMIN), "/profiles");
            ValidationException missing = invalid(() -> manager.create(Kind.SERVICE_CHAIN, chain("c", "ids", "nope"), ADMIN),
                    "/profiles/1");
            assertThat(missing.getMessage()).contains("service-profile 'nope' does not exist");
            invalid(() -> manager.create(Kind.SERVICE_CHAIN, chain("c", "ids", "av", "ids"), ADMIN), "/profiles/2");
            String[] seventeen = new String[ServiceInsertionValidator.MAX_CHAIN_LENGTH + 1];
            java.util.Arrays.fill(seventeen, "ids");
            invalid(() -> manager.create(Kind.SERVICE_CHAIN, chain("c", seventeen), ADMIN), "/profiles");
        }

        @Test
        void theReplyPathHoldsOnlyProfilesOfTheChainEachOnce() {
            ValidationException e = invalid(() -> manager.create(Kind.SERVICE_CHAIN, new ServiceChain("c", "c", null,
                    List.of("ids"), List.of("ids", "av", "ids"), FailurePolicy.ALLOW, null, 0), ADMIN),
                    "/reverseProfiles/1", "/reverseProfiles/2");
            assertThat(e.violations().get(0).message()).contains("forward path");
        }

        @Test
        void failurePolicyIsRequiredAndTheDeadlineBounded() {
            invalid(() -> manager.create(Kind.SERVICE_CHAIN, new ServiceChain("c", "c", null, List.of("ids"), null,
                    null, null, 0), ADMIN), "/failurePolicy");
            for (long bad : List.of(0L, 99L, 1_000_001L, -1L)) {
                ValidationException e = invalid(() -> manager.create(Kind.SERVICE_CHAIN, new ServiceChain("c", "c", null,
                        List.of("ids"), null, FailurePolicy.BLOCK, bad, 0), ADMIN), "/deadlineMicros");
                assertThat(e.getMessage()).contains("100-1000000");
            }
            for (long good : List.of(100L, 1_000_000L)) {
                assertThat(manager.create(Kind.SERVICE_CHAIN, new ServiceChain(null, "c", null, List.of("ids"), null,
                        FailurePolicy.BLOCK, good, 0), ADMIN).deadlineMicros()).isEqualTo(good);
            }
        }

        @Test
        void aChainARuleRedirectsToCannotGo() {
            InUseException e = refused(InUseException.class, () -> manager.delete(Kind.SERVICE_CHAIN, "inspect", null, ADMIN));
            assertThat(e.users()).containsExactly(new Reference("redirection-rule", "r1", null, "steer"));
        }

        @Test
        void identicalReplacementChangesNothing() {
            ServiceChain before = manager.find(Kind.SERVICE_CHAIN, "inspect").orElseThrow();
            int commits = store.commits().size();
            ServiceChain same = manager.replace(Kind.SERVICE_CHAIN, "inspect", new ServiceChain(null, "chain inspect",
                    null, List.of("ids", "av"), List.of(), FailurePolicy.BLOCK, 1000L, 0), before.revision(), ADMIN);
            assertThat(same).isSameAs(before);
            assertThat(store.commits()).hasSize(commits);
        }

        @Test
        void filterByProfile() {
            manager.create(Kind.SERVICE_CHAIN, chain("ids-only", "ids"), ADMIN);
            assertThat(manager.list(Kind.SERVICE_CHAIN, new ListQuery(0, 10, Map.of("profile", "av"))).items())
                    .extracting(Entity::id).containsExactly("inspect");
            assertThat(manager.list(Kind.SERVICE_CHAIN, new ListQuery(0, 10, Map.of("profile", "ids"))).total())
                    .isEqualTo(2);
        }
    }

    @Nested
    class RedirectionPolicies {

        @Test
        void redirectNeedsAnExistingChainAndDoNotRedirectNone() {
            RedirectionRule noChain = new RedirectionRule("x", null, null, null, false, null, false, null, null, null,
                    RedirectionAction.REDIRECT, null, false, 0);
            invalid(() -> manager.createRedirectionRule("steer", noChain, ADMIN), "/chain");
            invalid(() -> manager.createRedirectionRule("steer", redirect("x", "nope").build(), ADMIN), "/chain");
            RedirectionRule both = new RedirectionRule("x", null, null, null, false, null, false, null, null, null,
                    RedirectionAction.DO_NOT_REDIRECT, "inspect", false, 0);
            invalid(() -> manager.createRedirectionRule("steer", both, ADMIN), "/chain");
            RedirectionRule noAction = new RedirectionRule("x", null, null, null, false, null, false, null, null, null,
                    null, null, false, 0);
            invalid(() -> manager.createRedirectionRule("steer", noAction, ADMIN), "/action");
        }

        @Test
        void rulesReferToExistingGroupsAndServices() {
            ValidationException e = invalid(() -> manager.createRedirectionRule("steer", redirect("x", "inspect")
                            .sources("nope").destinations("db", "db").services("ftp").appliedTo("web", "gone").build(), ADMIN),
                    "/sources/0", "/destinations/1", "/services/0", "/appliedTo/1");
            assertThat(e.violations().get(0).message()).isEqualTo("group 'nope' does not exist");
            invalid(() -> manager.createRedirectionRule("steer", doNotRedirect("x").destinationsNegated(true).build(),
                    ADMIN), "/destinationsNegated");
            // the same through a whole policy: pointers into the policy
            invalid(() -> manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("p", null,
                    redirect("y", "inspect").sources("nope").build()), ADMIN), "/rules/0/sources/0");
        }

        @Test
        void sequencesAreUnique() {
            ValidationException e = invalid(() -> manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("p", 10), ADMIN),
                    "/sequence");
            assertThat(e.getMessage()).contains("'steer'");
            invalid(() -> manager.createRedirectionRule("steer", doNotRedirect("x").sequence(0).build(), ADMIN),
                    "/sequence");
            invalid(() -> manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("p", 20,
                    doNotRedirect("a").sequence(5).build(), doNotRedirect("b").sequence(5).build()), ADMIN),
                    "/rules/1/sequence");
            invalid(() -> manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("p", -1), ADMIN), "/sequence");
        }

        @Test
        void ruleIdsAreUniqueAcrossRedirectionPoliciesButNotAcrossKinds() {
            invalid(() -> manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("p", 20, doNotRedirect("r1").build()),
                    ADMIN), "/rules/0/id");
            manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("p", 20), ADMIN);
            invalid(() -> manager.createRedirectionRule("p", doNotRedirect("r1").build(), ADMIN), "/id");
            // a firewall policy may well have a rule r1 too: rules of the two tables are apart
            manager.create(Kind.POLICY, new io.ringfence.model.Policy("fw", "fw", null,
                    io.ringfence.model.Category.APPLICATION, null, List.of(io.ringfence.model.ModelFixtures.rule("r1")
                    .build()), 0), ADMIN);
        }

        @Test
        void policiesWithoutSequenceGoLastAndKeepTheirsOnReplace() {
            RedirectionPolicy p = manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy(null, null,
                    doNotRedirect(null).build(), doNotRedirect(null).build()), ADMIN);
            assertThat(p.id()).isEqualTo("gen-1");
            assertThat(p.sequence()).isEqualTo(20);
            assertThat(p.rules()).extracting(RedirectionRule::id).containsExactly("gen-2", "gen-3");
            assertThat(p.rules()).extracting(RedirectionRule::sequence).containsExactly(0, 10);
            RedirectionPolicy disabled = manager.replace(Kind.REDIRECTION_POLICY, p.id(), new RedirectionPolicy(null,
                    "off", null, null, true, p.rules(), 0), p.revision(), ADMIN);
            assertThat(disabled.sequence()).isEqualTo(20);
            assertThat(disabled.disabled()).isTrue();
            assertThat(disabled.rules()).extracting(RedirectionRule::revision).containsOnly(p.revision());
        }

        @Test
        void nestedRulesAreCreatedReplacedAndDeletedWithTheirOwnRevisions() throws Exception {
            RedirectionRule r2 = manager.createRedirectionRule("steer", doNotRedirect(null).sources("db").build(), ADMIN);
            assertThat(r2.id()).isEqualTo("gen-1");
            assertThat(r2.sequence()).isEqualTo(10);
            assertThat(r2.revision()).isEqualTo(SEEDED + 1);
            AuditRecord created = store.auditLog().get(0);
            assertThat(created.kind()).isEqualTo("redirection-rule");
            assertThat(created.operation()).isEqualTo(Operation.CREATE);
            assertThat(json.readValue(created.after(), RedirectionRule.class)).isEqualTo(r2);
            assertThat(store.document("redirection-policy", "steer")).map(d -> d.revision()).contains(SEEDED + 1);

            refused(RevisionMismatchException.class, () -> manager.replaceRedirectionRule("steer", "gen-1",
                    doNotRedirect(null).build(), SEEDED, ADMIN));
            RedirectionRule redirected = manager.replaceRedirectionRule("steer", "gen-1",
                    redirect(null, "inspect").direction(Direction.OUT).build(), r2.revision(), ADMIN);
            assertThat(redirected.sequence()).as("kept when absent").isEqualTo(10);
            assertThat(redirected.revision()).isEqualTo(SEEDED + 2);
            invalid(() -> manager.replaceRedirectionRule("steer", "gen-1", redirect("other", "inspect").build(), null,
                    ADMIN), "/id");
            invalid(() -> manager.replaceRedirectionRule("steer", "gen-1", redirect(null, "inspect").sequence(0).build(),
                    null, ADMIN), "/sequence");
            manager.createRedirectionRule("steer", doNotRedirect("mid").sequence(5).build(), ADMIN);
            assertThat(manager.find(Kind.REDIRECTION_POLICY, "steer").orElseThrow().rules())
                    .extracting(RedirectionRule::id).containsExactly("r1", "mid", "gen-1");
            assertThat(manager.findRedirectionRule("steer", "r1")).map(RedirectionRule::revision).contains(SEEDED);

            int commits = store.commits().size();
            assertThat(manager.replaceRedirectionRule("steer", "gen-1", redirect(null, "inspect")
                    .direction(Direction.OUT).build(), redirected.revision(), ADMIN)).isSameAs(redirected);
            assertThat(store.commits()).hasSize(commits);

            refused(NotFoundException.class, () -> manager.deleteRedirectionRule("steer", "nope", null, ADMIN));
            refused(NotFoundException.class, () -> manager.deleteRedirectionRule("nope", "gen-1", null, ADMIN));
            manager.deleteRedirectionRule("steer", "gen-1", redirected.revision(), ADMIN);
            assertThat(manager.findRedirectionRule("steer", "gen-1")).isEmpty();
            assertThat(store.auditLog().get(0).operation()).isEqualTo(Operation.DELETE);
            assertThat(store.auditLog().get(0).objectId()).isEqualTo("gen-1");
        }

        @Test
        void groupsAndServicesUsedByRedirectionRulesCannotGo() {
            InUseException group = refused(InUseException.class, () -> manager.delete(Kind.GROUP, "db", null, ADMIN));
            assertThat(group.users()).containsExactly(new Reference("redirection-rule", "r1", null, "steer"));
            manager.createRedirectionRule("steer", doNotRedirect("applied").appliedTo("web").build(), ADMIN);
            InUseException web = refused(InUseException.class, () -> manager.delete(Kind.GROUP, "web", null, ADMIN));
            assertThat(web.users()).extracting(Reference::id).containsExactly("r1", "applied");
            InUseException service = refused(InUseException.class, () -> manager.delete(Kind.SERVICE, "https", null, ADMIN));
            assertThat(service.users()).extracting(Reference::kind).containsExactly("redirection-rule");
            // once the policy is gone, everything is free
            manager.delete(Kind.REDIRECTION_POLICY, "steer", null, ADMIN);
            manager.delete(Kind.SERVICE_CHAIN, "inspect", null, ADMIN);
            manager.delete(Kind.SERVICE_PROFILE, "ids", null, ADMIN);
            manager.delete(Kind.GROUP, "db", null, ADMIN);
            manager.delete(Kind.SERVICE, "https", null, ADMIN);
        }

        @Test
        void filterByChain() {
            manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("none", 20, doNotRedirect("n").build()), ADMIN);
            assertThat(manager.list(Kind.REDIRECTION_POLICY, new ListQuery(0, 10, Map.of("chain", "inspect"))).items())
                    .extracting(Entity::id).containsExactly("steer");
        }
    }

    @Test
    void aRestartedManagerReadsTheSameObjects() {
        ModelSnapshot before = manager.snapshot();
        ModelSnapshot after = newManager().snapshot();
        for (Kind<?> kind : List.of(Kind.SERVICE_PROFILE, Kind.SERVICE_CHAIN, Kind.REDIRECTION_POLICY)) {
            List<Entity> want = List.copyOf(before.all(kind));
            assertThat(List.<Entity>copyOf(after.all(kind))).as(kind.name()).isNotEmpty().isEqualTo(want);
        }
    }
}
