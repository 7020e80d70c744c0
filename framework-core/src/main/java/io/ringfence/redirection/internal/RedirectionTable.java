package io.ringfence.redirection.internal;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionAction;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import io.ringfence.redirection.ChainSelection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The redirection policies of one model revision, compiled for lookup (semantics: see
 * {@code io.ringfence.redirection}). Immutable: a new revision builds a new table.
 *
 * <p>Per vNIC and direction, the redirection rules that land there are kept in evaluation order
 * and handed to the firewall's classifier ({@link RuleTable}), which already matches remote
 * addresses (with negation), protocols, ports and ICMP types and codes exactly as for firewall
 * rules. The classifier takes firewall entries ({@link CompiledRule}); each redirection rule is
 * carried by one per direction, of which the classifier reads the remote address group, its
 * negation and the services only: category, action, logging and tag are placeholders. What an entry
 * selects is kept beside it.
 *
 * <p>Cost of a build, which is whole (not incremental) in this version: with R enabled rules, V
 * vNICs and G groups named by them, one membership query per group to the compiler, an index of
 * vNIC addresses (V log V), then for each rule the vNICs it lands on (the smaller of its applied-to
 * and local side, or all V for a rule applied everywhere with a local side of ANY): O(R × V) in the
 * worst case. vNICs whose entry lists are equal share one classifier, and a classifier whose entries
 * and remote address sets are those of one in the previous table is taken over rather than built
 * again, so that after a change only the classifiers it touches are built. It runs off the packet
 * path (see {@link RedirectionManager}).
 *
 * <p>Measured with {@code RedirectionTableBenchmark} (a quarter of the synthetic data center:
 * 5,000 VMs, 10,000 vNICs, 1,250 groups; a shared, loaded 2-core machine, so ±50%): with 100
 * redirection rules, a first build takes ~110 ms, a rebuild after a VM re-tag ~75 ms, a lookup
 * ~0.2 µs; with 1,000 rules (~160 entries per vNIC and direction, ~1,500 distinct classifiers),
 * ~7.7 s, ~7.2 s and ~0.8 µs. Classifier builds dominate, and with that many rules nearly every
 * classifier names a group a re-tag moves, so little is taken over: beyond a few hundred rules
 * the table wants to be maintained per vNIC, as the compiler maintains rule tables.
 */
public final class RedirectionTable {

    static final RedirectionTable EMPTY = new RedirectionTable(ModelSnapshot.EMPTY, Map.of(), Map.of());

    /** Evaluation order of redirection policies: by sequence, then id. */
    private static final Comparator<RedirectionPolicy> POLICY_ORDER = Comparator
            .comparing((RedirectionPolicy p) -> p.sequence() == null ? Integer.MAX_VALUE : p.sequence())
            .thenComparing(RedirectionPolicy::id);

    private final ModelSnapshot model;
    private final Map<String, VnicSteering> vnics;
    /** Every classifier of the table by what it was built from, for the next build to reuse. */
    private final Map<SteeringKey, Steering> steerings;

    private RedirectionTable(ModelSnapshot model, Map<String, VnicSteering> vnics,
                             Map<SteeringKey, Steering> steerings) {
        this.model = model;
        this.vnics = vnics;
        this.steerings = steerings;
    }

    /** The membership the compiler answered with is not that of the model being built. */
    public static final class StaleMembership extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleMembership(String message) {
            super(message, null, false, false);
        }
    }

    /** One vNIC's steering per direction; null where no rule lands. */
    private record VnicSteering(Steering in, Steering out) {
    }

    /**
     * A classifier over carrier entries, what each entry selects (null for DO_NOT_REDIRECT), and
     * the address sets of the remote sides it was built with.
     */
    private record Steering(RuleTable table, ChainSelection[] selections, Map<String, AddressSet> remotes) {
    }

    /** What a classifier is built from, besides the address sets. */
    private record SteeringKey(Direction direction, List<Entry> entries) {
    }

    /** One redirection rule in one direction. */
    private record Entry(CompiledRule carrier, ChainSelection selection) {
    }

    /** The model this table was built from. */
    ModelSnapshot model() {
        return model;
    }

    /** The revision of the model this table was built from. */
    public long revision() {
        return model.revision();
    }

    /** As {@link io.ringfence.redirection.RedirectionService#select}, for this table's revision. */
    public Optional<ChainSelection> select(String vnicId, Direction direction, Packet packet) {
        if (direction != Direction.IN && direction != Direction.OUT) {
            throw new IllegalArgumentException("a flow crosses a vNIC IN or OUT, not " + direction);
        }
        VnicSteering v = vnics.get(vnicId);
        Steering s = v == null ? null : direction == Direction.IN ? v.in() : v.out();
        if (s == null) {
            return Optional.empty();
        }
        int i = s.table().classify(packet);
        return i < 0 ? Optional.empty() : Optional.ofNullable(s.selections()[i]);
    }

    /**
     * Builds the table of {@code model}, with group membership from {@code compiler}.
     *
     * @throws StaleMembership when the compiler's membership is of another revision than {@code model}
     */
    public static RedirectionTable build(ModelSnapshot model, PolicyCompilerService compiler) {
        return build(model, compiler, EMPTY);
    }

    /**
     * As {@link #build(ModelSnapshot, PolicyCompilerService)}, taking from {@code previous} the
     * classifiers whose entries and remote address sets are unchanged.
     */
    public static RedirectionTable build(ModelSnapshot model, PolicyCompilerService compiler,
                                         RedirectionTable previous) {
        return new Builder(model, compiler, previous).build();
    }

    private static final class Builder {
        private final ModelSnapshot model;
        private final PolicyCompilerService compiler;
        private final RedirectionTable previous;
        private final Map<SteeringKey, Steering> steerings = new HashMap<>();
        private final Map<String, Members> members = new HashMap<>();
        private final Map<String, Set<String>> vnicsOfGroup = new HashMap<>();
        private final Map<String, AddressSet> addressGroups = new HashMap<>();
        private final List<String> allVnics = new ArrayList<>();
        private final Map<String, List<String>> vnicsOfVm = new HashMap<>();
        private final TreeMap<IpPrefix, List<String>> vnicsByAddress = new TreeMap<>();
        private final List<Entry> entries = new ArrayList<>();
        /** vNIC -> indexes into entries, per direction, in evaluation order. */
        private final Map<String, List<Integer>> in = new HashMap<>();
        private final Map<String, List<Integer>> out = new HashMap<>();

        Builder(ModelSnapshot model, PolicyCompilerService compiler, RedirectionTable previous) {
            this.model = model;
            this.compiler = compiler;
            this.previous = previous;
        }

        RedirectionTable build() {
            List<RedirectionPolicy> policies = new ArrayList<>(model.redirectionPolicies());
            policies.removeIf(RedirectionPolicy::disabled);
            policies.sort(POLICY_ORDER);
            if (policies.stream().allMatch(p -> p.rules().stream().allMatch(RedirectionRule::disabled))) {
                return new RedirectionTable(model, Map.of(), Map.of());
            }
            indexVnics();
            for (RedirectionPolicy p : policies) {
                for (RedirectionRule r : p.rules()) {
                    if (!r.disabled()) {
                        if (r.direction() != Direction.IN) {
                            land(p, r, Direction.OUT, out);
                        }
                        if (r.direction() != Direction.OUT) {
                            land(p, r, Direction.IN, in);
                        }
                    }
                }
            }
            Map<List<Integer>, Steering> shared = new HashMap<>();
            Map<String, VnicSteering> vnics = new HashMap<>();
            for (String v : allVnics) {
                Steering i = steering(Direction.IN, in.get(v), shared);
                Steering o = steering(Direction.OUT, out.get(v), shared);
                if (i != null || o != null) {
                    vnics.put(v, new VnicSteering(i, o));
                }
            }
            return new RedirectionTable(model, Map.copyOf(vnics), Map.copyOf(steerings));
        }

        private void indexVnics() {
            for (Vm vm : model.vms()) {
                List<String> ids = new ArrayList<>();
                for (Vnic n : vm.vnics()) {
                    ids.add(n.id());
                    allVnics.add(n.id());
                    for (IpPrefix a : n.addresses()) {
                        vnicsByAddress.computeIfAbsent(a, k -> new ArrayList<>(1)).add(n.id());
                    }
                }
                vnicsOfVm.put(vm.id(), ids);
            }
        }

        /** Adds the rule's entry for {@code direction} to every vNIC it lands on there. */
        private void land(RedirectionPolicy p, RedirectionRule r, Direction direction, Map<String, List<Integer>> lists) {
            List<String> local = direction == Direction.OUT ? r.sources() : r.destinations();
            boolean localNegated = direction == Direction.OUT ? r.sourcesNegated() : r.destinationsNegated();
            List<String> remote = direction == Direction.OUT ? r.destinations() : r.sources();
            boolean remoteNegated = direction == Direction.OUT ? r.destinationsNegated() : r.sourcesNegated();
            Set<String> appliedTo = r.appliedTo().isEmpty() ? null : vnicsOf(r.appliedTo());
            Set<String> localSide = local.isEmpty() ? null : vnicsOf(local);
            // walk the smallest set the vNICs must be in, test the other
            Collection<String> candidates = appliedTo != null ? appliedTo : allVnics;
            if (localSide != null && !localNegated && localSide.size() < candidates.size()) {
                candidates = localSide;
            }
            int index = -1;
            for (String v : candidates) {
                if (appliedTo != null && candidates != appliedTo && !appliedTo.contains(v)) {
                    continue;
                }
                if (localSide != null && candidates != localSide && localSide.contains(v) == localNegated) {
                    continue;
                }
                if (index < 0) {
                    index = entries.size();
                    entries.add(entry(p, r, direction, remote, remoteNegated));
                }
                lists.computeIfAbsent(v, k -> new ArrayList<>()).add(index);
            }
        }

        private Entry entry(RedirectionPolicy p, RedirectionRule r, Direction direction, List<String> remote,
                            boolean remoteNegated) {
            String remoteId = null;
            if (!remote.isEmpty()) {
                List<String> sorted = remote.stream().sorted().toList();
                remoteId = AddressGroup.idOf(sorted);
                if (!addressGroups.containsKey(remoteId)) {
                    AddressSet union = AddressSet.EMPTY;
                    for (String g : sorted) {
                        union = union.union(AddressSet.of(members(g).addresses()));
                    }
                    addressGroups.put(remoteId, union);
                }
            }
            List<ServiceEntry> services = new ArrayList<>();
            for (String s : r.services()) {
                model.find(Kind.SERVICE, s).map(Service::entries).ifPresent(services::addAll);
            }
            CompiledRule carrier = new CompiledRule(r.id(), p.id(), Category.APPLICATION, p.sequence(), r.sequence(),
                    direction, Action.ALLOW, false, null, remoteId, remoteNegated && remoteId != null, services);
            ChainSelection selection = r.action() == RedirectionAction.REDIRECT
                    ? new ChainSelection(r.chain(), p.id(), r.id()) : null;
            return new Entry(carrier, selection);
        }

        private Steering steering(Direction direction, List<Integer> indexes, Map<List<Integer>, Steering> shared) {
            if (indexes == null) {
                return null;
            }
            // the same list in the other direction is another table: the key carries the direction
            List<Integer> key = new ArrayList<>(indexes.size() + 1);
            key.add(direction.ordinal());
            key.addAll(indexes);
            return shared.computeIfAbsent(key, k -> {
                List<Entry> list = new ArrayList<>(indexes.size());
                indexes.forEach(i -> list.add(entries.get(i)));
                SteeringKey what = new SteeringKey(direction, List.copyOf(list));
                Map<String, AddressSet> remotes = new HashMap<>();
                for (Entry e : list) {
                    if (e.carrier().remote() != null) {
                        remotes.put(e.carrier().remote(), addressGroups.get(e.carrier().remote()));
                    }
                }
                Steering old = previous.steerings.get(what);
                Steering steering = old != null && old.remotes().equals(remotes) ? old : steering(what, remotes);
                steerings.put(what, steering);
                return steering;
            });
        }

        private static Steering steering(SteeringKey what, Map<String, AddressSet> remotes) {
            List<CompiledRule> carriers = new ArrayList<>(what.entries().size());
            ChainSelection[] selections = new ChainSelection[what.entries().size()];
            for (int i = 0; i < what.entries().size(); i++) {
                carriers.add(what.entries().get(i).carrier());
                selections[i] = what.entries().get(i).selection();
            }
            return new Steering(RuleTable.build(what.direction(), carriers, remotes::get), selections,
                    Map.copyOf(remotes));
        }

        /** The vNICs belonging to any of {@code groups}. */
        private Set<String> vnicsOf(List<String> groups) {
            if (groups.size() == 1) {
                return vnicsOf(groups.get(0));
            }
            Set<String> union = new HashSet<>();
            groups.forEach(g -> union.addAll(vnicsOf(g)));
            return union;
        }

        /** A vNIC belongs to a group when its VM is a member or one of its addresses is in the group's address set. */
        private Set<String> vnicsOf(String group) {
            Set<String> known = vnicsOfGroup.get(group);
            if (known != null) {
                return known;
            }
            Members m = members(group);
            Set<String> vnics = new HashSet<>();
            for (Members.MemberVm vm : m.vms()) {
                vnics.addAll(vnicsOfVm.getOrDefault(vm.id(), List.of()));
            }
            for (IpPrefix p : m.addresses()) {
                long[] last = p.last();
                vnicsByAddress.subMap(IpPrefix.host(p.family(), p.high(), p.low()), true,
                        IpPrefix.host(p.family(), last[0], last[1]), true).values().forEach(vnics::addAll);
            }
            vnicsOfGroup.put(group, vnics);
            return vnics;
        }

        private Members members(String group) {
            Members known = members.get(group);
            if (known != null) {
                return known;
            }
            Members m;
            try {
                m = compiler.members(group);
            } catch (NotFoundException e) {
                throw new StaleMembership("the compiler does not know group '" + group + "' of revision "
                        + model.revision());
            }
            if (m.revision() != model.revision()) {
                throw new StaleMembership("the compiler's membership is of revision " + m.revision() + ", not "
                        + model.revision());
            }
            members.put(group, m);
            return m;
        }
    }
}
