package io.ringfence.compiler;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.Memberships;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The test oracle of the policy compiler: a deliberately simple, non-incremental compilation of one
 * snapshot, written straight from the semantics in {@code io.ringfence.compiler}'s package-info.
 * It shares no code with the implementation; group membership of VMs and groups' address sets come
 * from the manager's full evaluation ({@link Memberships}). Slow on purpose: it rechecks everything.
 */
public final class ReferenceCompiler {

    /** Evaluation order of enabled rules: category, policy sequence, policy id, rule sequence, rule id. */
    private static final Comparator<PolicyRule> ORDER = Comparator
            .comparing((PolicyRule pr) -> pr.policy().category(), Comparator.nullsLast(Comparator.<Category>naturalOrder()))
            .thenComparing(pr -> pr.policy().sequence(), Comparator.nullsLast(Comparator.<Integer>naturalOrder()))
            .thenComparing(pr -> pr.policy().id())
            .thenComparing(pr -> pr.rule().sequence(), Comparator.nullsLast(Comparator.<Integer>naturalOrder()))
            .thenComparing(pr -> pr.rule().id());

    private final ModelSnapshot model;
    private final Memberships memberships;
    private final Map<String, AddressSet> staticAddresses = new HashMap<>();

    private ReferenceCompiler(ModelSnapshot model) {
        this.model = model;
        this.memberships = new Memberships(model);
    }

    /** Compiles the whole model. */
    public static Result compile(ModelSnapshot model) {
        return new ReferenceCompiler(model).run();
    }

    /**
     * The oracle's compiled state.
     *
     * @param ruleSets      every vNIC's table (generation 0), by vNIC id, in VM id then vNIC order
     * @param vnicsByVm     the vNIC ids of every VM, in the VM's vNIC order
     * @param addressGroups the addresses of every address group an entry refers to, by id
     * @param ruleRemotes   the address groups the enabled rules name in the directions they have,
     *                      whether or not their entries land on any vNIC (a superset of the above)
     */
    public record Result(Map<String, VnicRuleSet> ruleSets, Map<String, List<String>> vnicsByVm,
                         Map<String, AddressSet> addressGroups, Set<String> ruleRemotes) {

        /** The tables of the vNICs on a host, by vNIC id. */
        public Map<String, VnicRuleSet> ruleSetsOnHost(String hostId) {
            Map<String, VnicRuleSet> out = new TreeMap<>();
            ruleSets.values().stream().filter(rs -> rs.hostId().equals(hostId)).forEach(rs -> out.put(rs.vnicId(), rs));
            return out;
        }

        /** The ids of the address groups the given tables refer to, sorted. */
        public static TreeSet<String> referredAddressGroups(Iterable<VnicRuleSet> tables) {
            TreeSet<String> ids = new TreeSet<>();
            for (VnicRuleSet rs : tables) {
                for (CompiledRule e : concat(rs.in(), rs.out())) {
                    if (e.remote() != null) {
                        ids.add(e.remote());
                    }
                }
            }
            return ids;
        }

        /** Entries over all tables, both directions. */
        public long entries() {
            return ruleSets.values().stream().mapToLong(VnicRuleSet::size).sum();
        }
    }

    private Result run() {
        List<PolicyRule> rules = new ArrayList<>();
        for (Policy p : model.policies()) {
            for (Rule r : p.rules()) {
                if (!r.disabled()) {
                    rules.add(new PolicyRule(p, r));
                }
            }
        }
        rules.sort(ORDER);
        Set<String> ruleRemotes = new TreeSet<>();
        for (PolicyRule pr : rules) {
            Rule r = pr.rule();
            if (r.direction() != Direction.IN && !r.destinations().isEmpty()) {
                ruleRemotes.add(remoteId(r.destinations()));
            }
            if (r.direction() != Direction.OUT && !r.sources().isEmpty()) {
                ruleRemotes.add(remoteId(r.sources()));
            }
        }

        Map<String, VnicRuleSet> ruleSets = new LinkedHashMap<>();
        Map<String, List<String>> vnicsByVm = new TreeMap<>();
        Map<String, AddressSet> addressGroups = new TreeMap<>();
        for (Vm vm : model.vms()) {
            List<String> vnicIds = new ArrayList<>();
            for (Vnic vnic : vm.vnics()) {
                vnicIds.add(vnic.id());
                List<CompiledRule> in = new ArrayList<>();
                List<CompiledRule> out = new ArrayList<>();
                for (PolicyRule pr : rules) {
                    Rule r = pr.rule();
                    if (!r.appliedTo().isEmpty() && !belongsToAny(vm, vnic, r.appliedTo())) {
                        continue;
                    }
                    if (r.direction() != Direction.IN && onSide(vm, vnic, r.sources(), r.sourcesNegated())) {
                        out.add(entry(pr, Direction.OUT, r.destinations(), r.destinationsNegated(), addressGroups));
                    }
                    if (r.direction() != Direction.OUT && onSide(vm, vnic, r.destinations(), r.destinationsNegated())) {
                        in.add(entry(pr, Direction.IN, r.sources(), r.sourcesNegated(), addressGroups));
                    }
                }
                ruleSets.put(vnic.id(), new VnicRuleSet(vnic.id(), vm.id(), vm.hostId(), 0, in, out,
                        model.defaultRule().action(), model.defaultRule().logged()));
            }
            vnicsByVm.put(vm.id(), List.copyOf(vnicIds));
        }
        return new Result(Collections.unmodifiableMap(ruleSets), Collections.unmodifiableMap(vnicsByVm),
                Collections.unmodifiableMap(addressGroups), Collections.unmodifiableSet(ruleRemotes));
    }

    /** The vNIC is on this side of the rule: ANY, or it belongs to one of the groups (to none when negated). */
    private boolean onSide(Vm vm, Vnic vnic, List<String> groups, boolean negated) {
        if (groups.isEmpty()) {
            return true;
        }
        return belongsToAny(vm, vnic, groups) != negated;
    }

    private boolean belongsToAny(Vm vm, Vnic vnic, List<String> groups) {
        for (String g : groups) {
            if (belongs(vm, vnic, g)) {
                return true;
            }
        }
        return false;
    }

    /** Its VM is a member, or one of its addresses lies in the group's static addresses. */
    private boolean belongs(Vm vm, Vnic vnic, String groupId) {
        if (memberships.vms(groupId).contains(vm.id())) {
            return true;
        }
        AddressSet statics = staticAddresses(groupId);
        for (IpPrefix a : vnic.addresses()) {
            if (statics.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The group's static addresses: its own and those of its nested groups (recursively), less its
     * excluded addresses and the address sets of its excluded groups.
     */
    private AddressSet staticAddresses(String groupId) {
        AddressSet known = staticAddresses.get(groupId);
        if (known != null) {
            return known;
        }
        Group g = model.find(Kind.GROUP, groupId).orElseThrow();
        AddressSet in = AddressSet.of(g.addresses());
        for (String nested : g.groups()) {
            in = in.union(staticAddresses(nested));
        }
        AddressSet out = AddressSet.of(g.excludedAddresses());
        for (String excluded : g.excludedGroups()) {
            out = out.union(memberships.addresses(excluded));
        }
        AddressSet result = in.minus(out);
        staticAddresses.put(groupId, result);
        return result;
    }

    /** An entry of the rule in one direction; records the address group of its remote side. */
    private CompiledRule entry(PolicyRule pr, Direction direction, List<String> remoteGroups, boolean remoteNegated,
                               Map<String, AddressSet> addressGroups) {
        Policy p = pr.policy();
        Rule r = pr.rule();
        List<ServiceEntry> services = new ArrayList<>();
        for (String s : r.services()) {
            services.addAll(model.find(Kind.SERVICE, s).orElseThrow().entries());
        }
        String remote = remoteId(remoteGroups);
        if (remote != null && !addressGroups.containsKey(remote)) {
            AddressSet union = AddressSet.EMPTY;
            for (String g : remoteGroups) {
                union = union.union(memberships.addresses(g));
            }
            addressGroups.put(remote, union);
        }
        return new CompiledRule(r.id(), p.id(), p.category(), p.sequence(), r.sequence(), direction, r.action(),
                r.logged(), r.staged(), r.tag(), remote, remoteNegated, services);
    }

    /** The address group id of a side: its sorted distinct group ids, or null for ANY. */
    static String remoteId(List<String> groups) {
        if (groups.isEmpty()) {
            return null;
        }
        return AddressGroup.idOf(List.copyOf(new TreeSet<>(groups)));
    }

    private static List<CompiledRule> concat(List<CompiledRule> a, List<CompiledRule> b) {
        List<CompiledRule> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private record PolicyRule(Policy policy, Rule rule) {
        PolicyRule {
            Objects.requireNonNull(policy);
            Objects.requireNonNull(rule);
        }
    }
}
