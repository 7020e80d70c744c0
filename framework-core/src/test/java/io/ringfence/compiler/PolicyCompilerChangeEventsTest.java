package io.ringfence.compiler;

import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.prefixes;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.service;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.InMemoryModelStore;
import io.ringfence.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change events other than one object per commit: the manager's reload after a store failure
 * (every object listed as changed, services before policies), and changes the compiler missed.
 */
class PolicyCompilerChangeEventsTest {

    private final InMemoryModelStore store = new InMemoryModelStore();
    private final ModelManager manager = new ModelManager(store,
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
    private final List<Throwable> listenerFailures = new ArrayList<>();
    private final List<HostDelta> deltas = new ArrayList<>();
    private PolicyCompiler compiler;

    /** h1: web1 (app:web), db1 (app:db); p1: r1 and r2, both web -> db on service https. */
    @BeforeEach
    void model() {
        manager.create(Kind.HOST, host("h1"), "t");
        vm("web1", "app:web", 1, "10.0.1.1");
        vm("db1", "app:db", 2, "10.0.2.1");
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("g-db").criteria(tagEquals("app:db")).build(), "t");
        manager.create(Kind.SERVICE, service("https", tcp("443")), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("r1").sequence(10).sources("g-web").destinations("g-db").services("https").build(),
                rule("r2").sequence(20).sources("g-web").destinations("g-db").services("https")
                        .direction(Direction.OUT).build()), "t");
    }

    private void startCompiler() {
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(event -> {
            try {
                compiler.modelChanged(event);
            } catch (RuntimeException e) {
                listenerFailures.add(e);
                throw e;
            }
        });
        compiler.attach("h1", deltas::add);
    }

    /**
     * The store applies the delete of r1, then fails: the manager reloads and lists every object as
     * changed, the service https before the policy p1 that no longer holds r1.
     */
    @Test
    void aReloadAfterTheStoreFailedIsCompiledLikeAnyChange() {
        startCompiler();
        store.failNextCommitAfterApplying();
        assertThatThrownBy(() -> manager.deleteRule("p1", "r1", null, "t")).isInstanceOf(StoreException.class);

        assertThat(manager.findRule("p1", "r1")).isEmpty();
        assertThat(listenerFailures).as("the compiler failed on the reload").isEmpty();
        assertMatchesOracle();
        assertThat(compiler.ruleSet("web1-0").orElseThrow().out()).extracting(CompiledRule::ruleId)
                .containsExactly("r2");
    }

    /** The store refuses a change: the manager reloads the same model; nothing changes, nothing is sent. */
    @Test
    void aReloadOfTheSameModelChangesNothing() {
        startCompiler();
        long generation = compiler.generation();
        VnicRuleSet web = compiler.ruleSet("web1-0").orElseThrow();
        store.failNextCommit();
        assertThatThrownBy(() -> manager.deleteRule("p1", "r1", null, "t")).isInstanceOf(StoreException.class);

        assertThat(listenerFailures).isEmpty();
        assertMatchesOracle();
        assertThat(compiler.generation()).isEqualTo(generation);
        assertThat(compiler.ruleSet("web1-0").orElseThrow()).isEqualTo(web);
        assertThat(deltas).as("only the full state of the attach").hasSize(1);
    }

    /** A compiler that missed a change (it listens from a later revision) still ends up right. */
    @Test
    void aMissedChangeIsCaughtUpWith() {
        compiler = new PolicyCompiler(manager.snapshot());
        manager.deleteRule("p1", "r2", null, "t");
        manager.addListener(compiler);
        vm("db2", "app:db", 3, "10.0.2.2");

        assertMatchesOracle();
        assertThat(compiler.ruleSet("web1-0").orElseThrow().out()).extracting(CompiledRule::ruleId)
                .containsExactly("r1");
    }

    /**
     * A host with two consumers (its agent and an enforcement target, say): both hear every delta;
     * detaching one leaves the other subscribed, and attaching one again sends it the full state.
     */
    @Test
    void aHostsConsumersEachHearEveryDeltaUntilDetached() {
        startCompiler();
        List<HostDelta> second = new ArrayList<>();
        HostRuleSetConsumer target = second::add;
        compiler.attach("h1", target);
        assertThat(second).singleElement().satisfies(d -> assertThat(d.full()).isTrue());

        vm("db2", "app:db", 3, "10.0.2.2");
        assertThat(deltas).hasSize(2);
        assertThat(second).hasSize(2).last().isEqualTo(deltas.get(1));

        compiler.attach("h1", target);
        vm("db3", "app:db", 4, "10.0.2.3");
        assertThat(second).as("a full state again, then the delta; no delta twice").hasSize(4)
                .extracting(HostDelta::full).containsExactly(true, false, true, false);

        compiler.detach("h1", target);
        manager.deleteRule("p1", "r2", null, "t");
        assertThat(second).hasSize(4);
        assertThat(deltas).hasSize(4).last().satisfies(d -> assertThat(d.full()).isFalse());
    }

    private void assertMatchesOracle() {
        ModelSnapshot model = manager.snapshot();
        CompilerAssertions.assertMatchesOracle(compiler, model, ReferenceCompiler.compile(model), "revision "
                + model.revision());
    }

    private void vm(String id, String tag, int mac, String address) {
        manager.create(Kind.VM, new Vm(id, id, "h1", null, List.of(tag),
                List.of(new Vnic(id + "-0", new MacAddress(0x005056000000L + mac), prefixes(address), "seg")), 0), "t");
    }
}
