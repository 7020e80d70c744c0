package io.ringfence.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelChangeEvent.ChangedObject;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.Document;
import io.ringfence.store.DocumentKey;
import io.ringfence.store.ModelChange;
import io.ringfence.store.ModelStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded synthetic data center, built directly as a {@link ModelSnapshot} (validating 20,000
 * VMs one by one through the model manager would take minutes), and generators of the single
 * changes the compiler benchmarks apply to it.
 *
 * <p>The model ({@link SyntheticModelGenerator} has the details) looks like a real data center:
 * apps of web/app/db tiers in prod, dev and test, groups that are mostly one tag or two tags
 * ANDed, some nested, CIDR-based or with exclusions, and rules that are mostly group-to-group
 * between tiers with a service. Every object carries revision 1, as if imported in one commit.
 * The same size and seed always give the same model.
 */
public final class SyntheticDataCenter {

    /** The seed the benchmarks use. */
    public static final long SEED = 42;

    /** The revision of the generated model and of every object in it. */
    public static final long REVISION = 1;

    private final Size size;
    private final ModelSnapshot snapshot;
    private final List<String> vmIds;
    private final List<String> hostIds;
    private final List<String> tierGroupIds;
    private final List<String> appServiceIds;
    private final List<RuleRef> editableRules;
    private final int[] componentsOfApp;
    private final String nestedGroupId;

    SyntheticDataCenter(Size size, ModelSnapshot snapshot, List<String> vmIds, List<String> hostIds,
                        List<String> tierGroupIds, List<String> appServiceIds, List<RuleRef> editableRules,
                        int[] componentsOfApp, String nestedGroupId) {
        this.size = size;
        this.snapshot = snapshot;
        this.vmIds = List.copyOf(vmIds);
        this.hostIds = List.copyOf(hostIds);
        this.tierGroupIds = List.copyOf(tierGroupIds);
        this.appServiceIds = List.copyOf(appServiceIds);
        this.editableRules = List.copyOf(editableRules);
        this.componentsOfApp = componentsOfApp.clone();
        this.nestedGroupId = nestedGroupId;
    }

    /** Generates the data center of {@code size} from {@code seed}. */
    public static SyntheticDataCenter generate(Size size, long seed) {
        return new SyntheticModelGenerator(size, seed).generate();
    }

    public Size size() {
        return size;
    }

    /** The generated model, at revision {@link #REVISION}. */
    public ModelSnapshot snapshot() {
        return snapshot;
    }

    /** What the generated model holds. */
    public Figures figures() {
        long rules = 0;
        long anySource = 0;
        long anyDestination = 0;
        long disabled = 0;
        for (Policy p : snapshot.policies()) {
            for (Rule r : p.rules()) {
                rules++;
                anySource += r.sources().isEmpty() ? 1 : 0;
                anyDestination += r.destinations().isEmpty() ? 1 : 0;
                disabled += r.disabled() ? 1 : 0;
            }
        }
        return new Figures(snapshot.hosts().size(), snapshot.vms().size(),
                snapshot.vms().stream().mapToInt(vm -> vm.vnics().size()).sum(), snapshot.groups().size(),
                snapshot.services().size(), snapshot.policies().size(), rules, anySource, anyDestination, disabled);
    }

    /**
     * The size of a generated model.
     *
     * @param hosts               hosts
     * @param vms                 VMs
     * @param vnics               vNICs
     * @param groups              groups
     * @param services            services
     * @param policies            policies
     * @param rules               rules
     * @param anySourceRules      rules whose source is ANY
     * @param anyDestinationRules rules whose destination is ANY
     * @param disabledRules       disabled rules
     */
    public record Figures(int hosts, int vms, int vnics, int groups, int services, int policies, long rules,
                          long anySourceRules, long anyDestinationRules, long disabledRules) {
    }

    /** A group nesting the three tier groups of the first app and a CIDR. */
    public String nestedGroupId() {
        return nestedGroupId;
    }

    /**
     * A model manager over {@code store} (new and empty) holding this data center, written to the
     * store as one change.
     */
    public ModelManager newManager(ModelStore store) {
        ObjectMapper json = ModelJson.mapper();
        List<Document> documents = new ArrayList<>();
        for (Kind<?> kind : Kind.ALL) {
            for (Entity e : snapshot.all(kind)) {
                try {
                    documents.add(new Document(new DocumentKey(kind.name(), e.id()), REVISION, json.writeValueAsString(e)));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException(kind + " '" + e.id() + "' cannot be written as JSON", ex);
                }
            }
        }
        store.commit(new ModelChange(0, REVISION, documents, List.of(), List.of()));
        return new ModelManager(store, Clock.systemUTC());
    }

    // ---- single changes

    /** The single changes the compiler benchmarks measure. */
    public enum ChangeType {
        /** One VM re-tagged to another app (its app and component tags change). */
        RETAG_VM,
        /** One rule edited: its destination group or its service changes. */
        EDIT_RULE,
        /** One VM moved to another host. */
        MOVE_VM
    }

    /**
     * One committed change, as the model manager would announce it.
     *
     * @param type        what kind of change
     * @param description what changed, for messages
     * @param event       the change: model before, model after (revision + 1) and the changed object
     */
    public record Change(ChangeType type, String description, ModelChangeEvent event) {

        public ModelSnapshot before() {
            return event.before();
        }

        public ModelSnapshot after() {
            return event.after();
        }
    }

    /** A random change of {@code type} to {@code base}. */
    public Change change(ChangeType type, ModelSnapshot base, Random random) {
        return switch (type) {
            case RETAG_VM -> retagVm(base, random);
            case EDIT_RULE -> editRule(base, random);
            case MOVE_VM -> moveVm(base, random);
        };
    }

    /** Re-tags a random VM to another random app, keeping its tier, environment and other tags. */
    public Change retagVm(ModelSnapshot base, Random random) {
        Vm vm = base.find(Kind.VM, vmIds.get(random.nextInt(vmIds.size()))).orElseThrow();
        int oldApp = appOf(vm);
        int newApp = otherThan(oldApp, componentsOfApp.length, random);
        List<String> tags = new ArrayList<>();
        for (String t : vm.tags()) {
            if (t.startsWith(SyntheticModelGenerator.APP_TAG)) {
                tags.add(SyntheticModelGenerator.APP_TAG + SyntheticModelGenerator.appName(newApp));
            } else if (!t.startsWith(SyntheticModelGenerator.COMPONENT_TAG)) {
                tags.add(t);
            }
        }
        if (componentsOfApp[newApp] > 0) {
            tags.add(SyntheticModelGenerator.COMPONENT_TAG
                    + SyntheticModelGenerator.componentName(newApp, random.nextInt(componentsOfApp[newApp])));
        }
        long rev = base.revision() + 1;
        Vm retagged = new Vm(vm.id(), vm.name(), vm.hostId(), vm.os(), tags, vm.vnics(), rev);
        return commit(ChangeType.RETAG_VM, "VM " + vm.id() + " re-tagged from " + SyntheticModelGenerator.appName(oldApp)
                + " to " + SyntheticModelGenerator.appName(newApp), base, retagged, Kind.VM);
    }

    /** Moves a random VM to another random host. */
    public Change moveVm(ModelSnapshot base, Random random) {
        Vm vm = base.find(Kind.VM, vmIds.get(random.nextInt(vmIds.size()))).orElseThrow();
        String host = hostIds.get(otherThan(hostIds.indexOf(vm.hostId()), hostIds.size(), random));
        long rev = base.revision() + 1;
        Vm moved = new Vm(vm.id(), vm.name(), host, vm.os(), vm.tags(), vm.vnics(), rev);
        return commit(ChangeType.MOVE_VM, "VM " + vm.id() + " moved from " + vm.hostId() + " to " + host, base, moved,
                Kind.VM);
    }

    /**
     * Edits a random application rule between two tier groups: half the time its destination
     * becomes another tier group, otherwise its service becomes another one.
     */
    public Change editRule(ModelSnapshot base, Random random) {
        RuleRef ref = editableRules.get(random.nextInt(editableRules.size()));
        Policy policy = base.find(Kind.POLICY, ref.policyId()).orElseThrow();
        long rev = base.revision() + 1;
        List<Rule> rules = new ArrayList<>(policy.rules());
        int index = indexOfRule(rules, ref.ruleId());
        Rule r = rules.get(index);
        List<String> destinations = r.destinations();
        List<String> services = r.services();
        String what;
        if (random.nextBoolean()) {
            String to = tierGroupIds.get(otherThan(tierGroupIds.indexOf(destinations.get(0)), tierGroupIds.size(), random));
            what = "destination " + destinations.get(0) + " -> " + to;
            destinations = List.of(to);
        } else {
            int current = services.isEmpty() ? -1 : appServiceIds.indexOf(services.get(0));
            String to = appServiceIds.get(otherThan(current, appServiceIds.size(), random));
            what = "services " + services + " -> [" + to + "]";
            services = List.of(to);
        }
        rules.set(index, new Rule(r.id(), r.name(), r.sequence(), r.sources(), r.sourcesNegated(), destinations,
                r.destinationsNegated(), services, r.appliedTo(), r.direction(), r.action(), r.logged(), r.disabled(),
                r.staged(), r.tag(), rev));
        Policy edited = new Policy(policy.id(), policy.name(), policy.description(), policy.category(),
                policy.sequence(), rules, rev);
        return commit(ChangeType.EDIT_RULE, "rule " + r.id() + " of " + policy.id() + ": " + what, base, edited,
                Kind.POLICY);
    }

    /**
     * The change that undoes {@code applied} on {@code base} (the model {@code applied} led to, or
     * a later one): its objects get back their content from before {@code applied}, under the next
     * revision (an edited rule too).
     */
    public static Change revert(ModelSnapshot base, Change applied) {
        long rev = base.revision() + 1;
        ModelSnapshot.Builder b = base.toBuilder().revision(rev);
        for (ChangedObject c : applied.event().changed()) {
            Entity old = applied.before().find(c.kind(), c.id()).orElseThrow();
            Entity now = base.find(c.kind(), c.id()).orElseThrow();
            if (old instanceof Policy p) {
                b.put(revertedPolicy(p, (Policy) now, rev));
            } else {
                b.put(old.withIdentity(old.id(), rev));
            }
        }
        return new Change(applied.type(), "undo: " + applied.description(),
                new ModelChangeEvent(base, b.build(), applied.event().changed(), false));
    }

    private static Policy revertedPolicy(Policy old, Policy now, long rev) {
        List<Rule> rules = new ArrayList<>();
        for (Rule r : old.rules()) {
            int i = indexOfRule(now.rules(), r.id());
            boolean same = i >= 0 && now.rules().get(i).withIdentity(r.id(), r.sequence(), 0)
                    .equals(r.withIdentity(r.id(), r.sequence(), 0));
            rules.add(same ? now.rules().get(i) : r.withIdentity(r.id(), r.sequence(), rev));
        }
        return new Policy(old.id(), old.name(), old.description(), old.category(), old.sequence(), rules, rev);
    }

    private static Change commit(ChangeType type, String description, ModelSnapshot base, Entity changed, Kind<?> kind) {
        ModelSnapshot after = base.toBuilder().put(changed).revision(changed.revision()).build();
        return new Change(type, description,
                new ModelChangeEvent(base, after, List.of(new ChangedObject(kind, changed.id())), false));
    }

    private static int indexOfRule(List<Rule> rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(ruleId)) {
                return i;
            }
        }
        return -1;
    }

    /** A random number in [0, bound) other than {@code excluded} (which may be -1); bound must be at least 2. */
    private static int otherThan(int excluded, int bound, Random random) {
        if (excluded < 0) {
            return random.nextInt(bound);
        }
        int n = random.nextInt(bound - 1);
        return n >= excluded ? n + 1 : n;
    }

    private static int appOf(Vm vm) {
        for (String t : vm.tags()) {
            if (t.startsWith(SyntheticModelGenerator.APP_TAG)) {
                return SyntheticModelGenerator.appIndex(t.substring(SyntheticModelGenerator.APP_TAG.length()));
            }
        }
        throw new IllegalStateException("VM " + vm.id() + " has no app tag");
    }

    /** Where a rule is: its policy and id. */
    record RuleRef(String policyId, String ruleId) {
    }

    /**
     * How big a data center to generate.
     *
     * @param hosts    hypervisors
     * @param vms      VMs (two vNICs each)
     * @param apps     applications (three tiers each: web, app, db)
     * @param groups   groups, in all
     * @param policies security policies, over the four categories
     * @param rules    rules, over all policies
     */
    public record Size(int hosts, int vms, int apps, int groups, int policies, int rules) {

        /** The data center of the performance targets. */
        public static final Size FULL = new Size(1_000, 20_000, 500, 5_000, 200, 20_000);

        public Size {
            if (hosts < 2 || apps < 2 || vms < 3 * apps || policies < 4 || rules < 2 * policies) {
                throw new IllegalArgumentException("too small a data center: " + hosts + " hosts, " + vms + " VMs, "
                        + apps + " apps, " + policies + " policies, " + rules + " rules (need 2 hosts, 2 apps, "
                        + "3 VMs per app, 4 policies, 2 rules per policy)");
            }
        }

        /** {@link #FULL} scaled by {@code factor} (at least 0.02), every count rounded. */
        public static Size scaled(double factor) {
            if (factor < 0.02) {
                throw new IllegalArgumentException("scale " + factor + " is below the smallest, 0.02");
            }
            return new Size(scaledCount(FULL.hosts, factor), scaledCount(FULL.vms, factor),
                    scaledCount(FULL.apps, factor), scaledCount(FULL.groups, factor),
                    scaledCount(FULL.policies, factor), scaledCount(FULL.rules, factor));
        }

        private static int scaledCount(int full, double factor) {
            return (int) Math.round(full * factor);
        }

        /** vNICs: two per VM. */
        public int vnics() {
            return 2 * vms;
        }
    }
}
