package io.ringfence.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelException;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.Memberships;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.store.InMemoryModelStore;
import io.ringfence.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random data centers changed step by step through the manager, with a {@link PolicyCompiler}
 * listening. After every step: (a) every vNIC's table equals the {@link ReferenceCompiler}'s and no
 * table is left for a vNIC or VM that is gone; (b) every address group the tables refer to holds
 * exactly the oracle's addresses; (c) {@code members} agrees with the manager's full evaluation;
 * (d) generations never go back, a changed table or address group gets a newer one, an unchanged one
 * keeps its own; (e) a replica of each host built only from the {@link HostDelta}s it received equals
 * what the compiler holds for the host, and no delta is empty, redundant or for another host;
 * (f) a fresh compile of the same model agrees (every fourth step, and at the end). Besides model
 * changes, steps re-attach a host's consumer and make the store fail (the manager then reloads and
 * reports every object changed).
 *
 * <p>Seeds 1..{@value #SEEDS} by default, one dynamic test each, {@value #STEPS} steps after the
 * initial population (a quarter of the seeds also compile the population step by step). Every
 * failure message names its seed and the last steps. {@code -Dringfence.test.seed=N} replays seed N
 * alone; {@code -Dringfence.test.seeds=K} and {@code -Dringfence.test.firstSeed=F} run K seeds from
 * F; {@code -Dringfence.test.steps=S} changes the number of steps per seed.
 */
class IncrementalCompilerPropertyTest {

    private static final int SEEDS = 200;
    private static final int STEPS = 40;
    private static final int LOG = 12;
    private static final int FRESH_COMPILE_EVERY = 4;

    @TestFactory
    Stream<DynamicTest> incrementalCompilationMatchesTheOracleAfterEveryStep() {
        String replay = System.getProperty("ringfence.test.seed");
        int steps = Integer.getInteger("ringfence.test.steps", STEPS);
        LongStream seeds = replay != null
                ? LongStream.of(Long.parseLong(replay))
                : LongStream.range(0, Integer.getInteger("ringfence.test.seeds", SEEDS))
                        .map(i -> i + Long.getLong("ringfence.test.firstSeed", 1));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> new Scenario(seed, steps).run()));
    }

    /** One seed: a data center, a compiler, a replica per host, and the checks after every step. */
    private static final class Scenario {
        private final long seed;
        private final int steps;
        private final Random rnd;
        private final InMemoryModelStore store = new InMemoryModelStore();
        private final ModelManager manager = new ModelManager(store,
                Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC));
        private final RandomDataCenter dc;
        private final Deque<String> log = new ArrayDeque<>();
        private final List<Throwable> listenerFailures = new ArrayList<>();
        private final Map<String, Replica> replicas = new TreeMap<>();
        private final List<Replica> retired = new ArrayList<>();
        private final Set<String> vnicsEverSeen = new TreeSet<>();
        private final Set<String> vmsEverSeen = new TreeSet<>();
        private PolicyCompiler compiler;
        private Map<String, VnicRuleSet> previousRuleSets = new HashMap<>();
        private Map<String, AddressGroup> previousAddressGroups = new HashMap<>();
        private long previousGeneration = Long.MIN_VALUE;
        private int step;
        private String what = "initial compile";

        Scenario(long seed, int steps) {
            this.seed = seed;
            this.steps = steps;
            this.rnd = new Random(seed);
            this.dc = new RandomDataCenter(rnd, manager, manager::snapshot);
        }

        void run() {
            // a quarter of the seeds build the whole data center under the compiler's eyes
            boolean compileFirst = rnd.nextInt(4) == 0;
            if (compileFirst) {
                startCompiler();
            }
            for (RandomDataCenter.Change c : dc.population()) {
                if (compileFirst) {
                    step(c);
                } else {
                    try {
                        c.apply();
                    } catch (ModelException refused) {
                        // a random population may ask for what the manager refuses; go on without it
                    }
                }
            }
            if (!compileFirst) {
                startCompiler();
            }
            for (int i = 0; i < steps; i++) {
                int kind = rnd.nextInt(100);
                if (kind < 2) {
                    reattachOneHost();
                } else if (kind < 4) {
                    step(this::storeFailsBeforeApplying);
                } else if (kind < 6) {
                    step(this::storeFailsAfterApplying);
                } else {
                    step(dc::randomChange);
                }
            }
            what = "fresh compile of the final model";
            ModelSnapshot model = manager.snapshot();
            assertFreshCompileAgrees(model, ReferenceCompiler.compile(model), context());
        }

        private void startCompiler() {
            compiler = new PolicyCompiler(manager.snapshot());
            manager.addListener(event -> {
                try {
                    compiler.modelChanged(event);
                } catch (RuntimeException | Error e) {
                    listenerFailures.add(e);
                    throw e;
                }
            });
            attachNewHosts();
            check();
        }

        private void step(RandomDataCenter.Change change) {
            step++;
            long revision = manager.snapshot().revision();
            long generation = compiler == null ? 0 : compiler.generation();
            int deltas = replicas.values().stream().mapToInt(r -> r.received).sum();
            try {
                what = change.apply();
            } catch (ModelException refused) {
                remember("(refused: " + refused.getMessage() + ")");
                assertThat(manager.snapshot().revision()).isEqualTo(revision);
                if (compiler != null) {
                    assertThat(compiler.generation()).as("%s: a refused change moved the generation", context())
                            .isEqualTo(generation);
                    assertThat(replicas.values().stream().mapToInt(r -> r.received).sum())
                            .as("%s: a refused change sent deltas", context()).isEqualTo(deltas);
                }
                return;
            }
            remember(what);
            if (compiler != null) {
                detachDeletedHosts();
                attachNewHosts();
                check();
            }
        }

        /**
         * The store refuses a change: nothing is applied, but the manager reloads the model and tells
         * its listeners that everything may have changed.
         */
        private String storeFailsBeforeApplying() {
            store.failNextCommit();
            return "store failed, nothing applied (reload) " + untilTheStoreFails();
        }

        /** The store applies a change and then fails: the manager reloads the model, change included. */
        private String storeFailsAfterApplying() {
            store.failNextCommitAfterApplying();
            return "store failed after applying (reload) " + untilTheStoreFails();
        }

        /** Random changes until one reaches the store (refused ones and no-ops do not); a new host at last. */
        private String untilTheStoreFails() {
            List<String> tried = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    try {
                        tried.add(dc.randomChange() + " (no commit)");
                    } catch (ModelException refused) {
                        tried.add("(refused: " + refused.getMessage() + ")");
                    }
                }
                dc.createHost();
            } catch (StoreException expected) {
                return "on the change after " + tried;
            }
            throw new AssertionError("seed=" + seed + ": the store did not fail");
        }

        private void remember(String description) {
            log.addLast("step " + step + ": " + description);
            while (log.size() > LOG) {
                log.removeFirst();
            }
        }

        private String context() {
            return "seed=" + seed + " (replay: -Dringfence.test.seed=" + seed + ") step=" + step + " [" + what
                    + "]\n  recent steps:\n    " + String.join("\n    ", log) + "\n ";
        }

        private void attachNewHosts() {
            for (Host h : manager.snapshot().hosts()) {
                if (!replicas.containsKey(h.id())) {
                    Replica r = new Replica(h.id());
                    replicas.put(h.id(), r);
                    compiler.attach(h.id(), r);
                    assertThat(r.received).as("%s: attach(%s) sent no full state", context(), h.id()).isEqualTo(1);
                }
            }
        }

        private void detachDeletedHosts() {
            ModelSnapshot m = manager.snapshot();
            for (String hostId : new ArrayList<>(replicas.keySet())) {
                if (m.find(io.ringfence.model.Kind.HOST, hostId).isEmpty()) {
                    Replica r = replicas.remove(hostId);
                    r.detached = true;
                    retired.add(r);
                    compiler.detach(hostId, r);
                    assertThat(r.ruleSets).as("%s: deleted host %s still holds vNICs", context(), hostId).isEmpty();
                }
            }
        }

        /** A new consumer for a host takes over from the old one, detached first, which hears nothing more. */
        private void reattachOneHost() {
            step++;
            if (replicas.isEmpty()) {
                return;
            }
            List<String> hosts = new ArrayList<>(replicas.keySet());
            String hostId = hosts.get(rnd.nextInt(hosts.size()));
            what = "re-attach host " + hostId;
            remember(what);
            Replica old = replicas.get(hostId);
            Replica fresh = new Replica(hostId);
            old.detached = true;
            retired.add(old);
            compiler.detach(hostId, old);
            compiler.attach(hostId, fresh);
            replicas.put(hostId, fresh);
            assertThat(fresh.received).as("%s: attach sent no full state", context()).isEqualTo(1);
            check();
        }

        private void check() {
            String ctx = context();
            assertThat(listenerFailures).as("%s: the compiler failed on a change", ctx).isEmpty();
            ModelSnapshot model = manager.snapshot();
            ReferenceCompiler.Result oracle = ReferenceCompiler.compile(model);

            // (a), (b): tables and address groups
            CompilerAssertions.assertMatchesOracle(compiler, model, oracle, ctx);
            for (Vm vm : model.vms()) {
                vmsEverSeen.add(vm.id());
                vm.vnics().stream().map(Vnic::id).forEach(vnicsEverSeen::add);
            }
            for (String gone : vnicsEverSeen) {
                if (!oracle.ruleSets().containsKey(gone)) {
                    assertThat(compiler.ruleSet(gone)).as("%s: rule set of vNIC %s, which is gone", ctx, gone).isEmpty();
                }
            }
            for (String gone : vmsEverSeen) {
                if (!oracle.vnicsByVm().containsKey(gone)) {
                    assertThat(compiler.ruleSetsOfVm(gone)).as("%s: rule sets of VM %s, which is gone", ctx, gone)
                            .isEmpty();
                }
            }

            // (c) memberships
            Memberships memberships = new Memberships(model);
            for (Group g : model.groups()) {
                Members want = memberships.members(g.id());
                Members got = compiler.members(g.id());
                assertThat(got.groupId()).as("%s: members(%s).groupId", ctx, g.id()).isEqualTo(g.id());
                assertThat(got.revision()).as("%s: members(%s).revision", ctx, g.id()).isEqualTo(want.revision());
                assertThat(got.vms()).as("%s: member VMs of %s", ctx, g.id()).isEqualTo(want.vms());
                assertThat(got.addresses()).as("%s: member addresses of %s", ctx, g.id()).isEqualTo(want.addresses());
            }

            // (d) generations
            long generation = compiler.generation();
            assertThat(generation).as("%s: generation went back", ctx).isGreaterThanOrEqualTo(previousGeneration);
            Map<String, VnicRuleSet> ruleSets = new HashMap<>();
            boolean changed = !previousRuleSets.keySet().equals(oracle.ruleSets().keySet());
            for (String v : oracle.ruleSets().keySet()) {
                VnicRuleSet now = compiler.ruleSet(v).orElseThrow();
                ruleSets.put(v, now);
                assertThat(now.generation()).as("%s: generation of vNIC %s is ahead of the compiler's", ctx, v)
                        .isLessThanOrEqualTo(generation);
                VnicRuleSet before = previousRuleSets.get(v);
                if (before != null && before.sameRulesAs(now)) {
                    assertThat(now.generation()).as("%s: unchanged table of %s changed generation", ctx, v)
                            .isEqualTo(before.generation());
                } else if (before != null) {
                    changed = true;
                    if (now.generation() <= before.generation()) {
                        fail(ctx + ": changed table of " + v + " kept generation " + before.generation()
                                + "\n  before:\n" + CompilerAssertions.describe(before)
                                + "\n  now:\n" + CompilerAssertions.describe(now));
                    }
                }
            }
            Map<String, AddressGroup> addressGroups = new HashMap<>();
            for (String id : oracle.addressGroups().keySet()) {
                AddressGroup now = compiler.addressGroup(id).orElseThrow();
                addressGroups.put(id, now);
                assertThat(now.generation()).as("%s: generation of address group %s is ahead of the compiler's", ctx, id)
                        .isLessThanOrEqualTo(generation);
                AddressGroup before = previousAddressGroups.get(id);
                if (before != null && before.addresses().equals(now.addresses())) {
                    assertThat(now.generation()).as("%s: unchanged address group %s changed generation", ctx, id)
                            .isEqualTo(before.generation());
                } else if (before != null) {
                    changed = true;
                    assertThat(now.generation()).as("%s: changed address group %s (%s -> %s) kept its generation", ctx,
                            id, before.addresses(), now.addresses()).isGreaterThan(before.generation());
                }
            }
            if (changed && previousGeneration != Long.MIN_VALUE) {
                assertThat(generation).as("%s: compiled state changed but the generation did not move", ctx)
                        .isGreaterThan(previousGeneration);
            }
            previousRuleSets = ruleSets;
            previousAddressGroups = addressGroups;
            previousGeneration = generation;

            // (e) host replicas
            for (Replica r : replicas.values()) {
                assertThat(r.violations).as("%s: deltas received by host %s", ctx, r.hostId).isEmpty();
                Map<String, VnicRuleSet> expected = oracle.ruleSetsOnHost(r.hostId);
                assertThat(r.ruleSets.keySet()).as("%s: vNICs held by host %s", ctx, r.hostId)
                        .isEqualTo(expected.keySet());
                for (String v : expected.keySet()) {
                    assertThat(r.ruleSets.get(v)).as("%s: rule set of %s held by host %s", ctx, v, r.hostId)
                            .isEqualTo(compiler.ruleSet(v).orElseThrow());
                }
                TreeSet<String> referred = ReferenceCompiler.Result.referredAddressGroups(expected.values());
                assertThat(new TreeSet<>(r.addressGroups.keySet())).as("%s: address groups held by host %s", ctx,
                        r.hostId).isEqualTo(referred);
                for (String id : referred) {
                    AddressGroup held = r.addressGroups.get(id);
                    AddressGroup current = compiler.addressGroup(id).orElseThrow();
                    assertThat(held.addresses()).as("%s: addresses of %s held by host %s", ctx, id, r.hostId)
                            .isEqualTo(current.addresses());
                    assertThat(held).as("%s: address group %s held by host %s", ctx, id, r.hostId).isEqualTo(current);
                }
            }
            // (f) a fresh compile of the same model agrees with the incremental one (every few steps: it
            // costs as much as all the other checks together)
            if (step % FRESH_COMPILE_EVERY == 0) {
                assertFreshCompileAgrees(model, oracle, ctx);
            }
            for (Replica r : retired) {
                assertThat(r.violations).as("%s: deltas received by a detached or replaced consumer of %s", ctx,
                        r.hostId).isEmpty();
            }
        }

        private void assertFreshCompileAgrees(ModelSnapshot model, ReferenceCompiler.Result oracle, String ctx) {
            PolicyCompiler fresh = new PolicyCompiler(model);
            for (String v : oracle.ruleSets().keySet()) {
                CompilerAssertions.assertSameTable(fresh.ruleSet(v).orElseThrow(), compiler.ruleSet(v).orElseThrow(),
                        ctx + " (fresh compile vs incremental)");
            }
            for (String id : oracle.addressGroups().keySet()) {
                assertThat(fresh.addressGroup(id).orElseThrow().addresses())
                        .as("%s: address group %s, fresh compile vs incremental", ctx, id)
                        .isEqualTo(compiler.addressGroup(id).orElseThrow().addresses());
            }
            assertThat(fresh.stats().addressGroups()).as("%s: stats().addressGroups(), fresh vs incremental", ctx)
                    .isEqualTo(compiler.stats().addressGroups());
        }

        /**
         * A host agent's copy of its state, built only from the deltas it receives. Protocol breaches
         * are collected (the compiler would swallow an exception thrown here) and checked after the step.
         */
        private final class Replica implements HostRuleSetConsumer {
            final String hostId;
            final Map<String, VnicRuleSet> ruleSets = new HashMap<>();
            final Map<String, AddressGroup> addressGroups = new HashMap<>();
            final List<String> violations = new ArrayList<>();
            int received;
            long lastGeneration = Long.MIN_VALUE;
            io.ringfence.model.Action defaultAction;
            boolean defaultLogged;
            boolean detached;

            Replica(String hostId) {
                this.hostId = hostId;
            }

            @Override
            public void accept(HostDelta d) {
                received++;
                if (detached) {
                    violation("a delta reached a consumer that was detached or replaced: " + d);
                    return;
                }
                if (!d.hostId().equals(hostId)) {
                    violation("a delta for host " + d.hostId() + " reached the consumer of " + hostId);
                }
                if (received == 1 && !d.full()) {
                    violation("the first delta after attach is not the full state");
                }
                if (received > 1 && d.full()) {
                    violation("a second full state without a new attach");
                }
                if (d.generation() <= lastGeneration) {
                    violation("generation " + d.generation() + " after " + lastGeneration);
                }
                lastGeneration = d.generation();
                // a change of the default rule alone is news for a host, with or without vNICs
                boolean defaultChanged = received > 1
                        && (d.defaultAction() != defaultAction || d.defaultLogged() != defaultLogged);
                defaultAction = d.defaultAction();
                defaultLogged = d.defaultLogged();
                Map<String, VnicRuleSet> ruleSetsBefore = new HashMap<>(ruleSets);
                Map<String, AddressGroup> addressGroupsBefore = new HashMap<>(addressGroups);
                if (d.full()) {
                    ruleSets.clear();
                    addressGroups.clear();
                } else if (d.isEmpty() && !defaultChanged) {
                    violation("an empty delta");
                }
                Set<String> removed = new HashSet<>(d.removedVnics());
                for (String v : d.removedVnics()) {
                    if (ruleSets.remove(v) == null) {
                        violation("removes vNIC " + v + ", which it does not hold");
                    }
                }
                for (VnicRuleSet rs : d.ruleSets()) {
                    if (!rs.hostId().equals(hostId)) {
                        violation("holds the rule set of " + rs.vnicId() + " on host " + rs.hostId());
                    }
                    if (removed.contains(rs.vnicId())) {
                        violation("both removes and sends vNIC " + rs.vnicId());
                    }
                    if (rs.generation() > d.generation()) {
                        violation("rule set of " + rs.vnicId() + " is newer than its delta");
                    }
                    VnicRuleSet before = ruleSets.put(rs.vnicId(), rs);
                    if (!d.full() && rs.equals(before)) {
                        violation("resends the unchanged rule set of " + rs.vnicId());
                    }
                }
                Set<String> removedGroups = new HashSet<>(d.removedAddressGroups());
                for (String id : d.removedAddressGroups()) {
                    if (addressGroups.remove(id) == null) {
                        violation("removes address group " + id + ", which it does not hold");
                    }
                }
                for (AddressGroup ag : d.addressGroups()) {
                    if (removedGroups.contains(ag.id())) {
                        violation("both removes and sends address group " + ag.id());
                    }
                    if (ag.generation() > d.generation()) {
                        violation("address group " + ag.id() + " is newer than its delta");
                    }
                    AddressGroup before = addressGroups.put(ag.id(), ag);
                    if (!d.full() && ag.equals(before)) {
                        violation("resends the unchanged address group " + ag.id());
                    }
                }
                if (!d.full() && !defaultChanged && ruleSets.equals(ruleSetsBefore)
                        && addressGroups.equals(addressGroupsBefore)) {
                    violation("a delta that changes nothing on the host: " + d);
                }
            }

            private void violation(String text) {
                violations.add(text);
            }
        }
    }
}
