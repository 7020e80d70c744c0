package io.ringfence.compiler.internal;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Criterion;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every group's effective members, kept current change by change.
 *
 * <p>A VM that changes is tested only against the groups it can affect: those whose criteria name
 * one of its attribute values before or after the change ({@code EQUALS} conditions are indexed by
 * value), the few groups whose criteria cannot be indexed (other operators), and the groups naming
 * it statically; then, children before parents, the groups that nest or exclude a group whose
 * membership moved. A group that changes is re-evaluated over the VMs its indexed values select
 * (or all VMs when it cannot be indexed), then its ancestors.
 *
 * <p>Semantics are those documented on {@link Group}; in addition a vNIC <em>belongs</em> to a
 * group when its VM is a member or one of its addresses lies in the group's static addresses.
 * Not thread-safe: the compiler serialises access.
 */
final class MembershipEngine {

    /** What one change did to membership. */
    static final class Delta {
        /** VMs whose set of groups changed. */
        final Set<String> vms = new HashSet<>();
        /** vNICs whose set of groups by static address changed. */
        final Set<String> vnics = new HashSet<>();
        /** Groups whose address set changed. */
        final Set<String> addressGroups = new HashSet<>();

        boolean isEmpty() {
            return vms.isEmpty() && vnics.isEmpty() && addressGroups.isEmpty();
        }
    }

    private static final class GroupState {
        Group def;
        int depth;
        final Set<String> criteriaMatches = new HashSet<>();
        final Set<String> vms = new HashSet<>();
        final Map<IpPrefix, Integer> vmAddressCounts = new HashMap<>();
        AddressSet vmAddresses = AddressSet.EMPTY;
        /** (own static addresses + those of nested groups) - exclusions. */
        AddressSet staticAddresses = AddressSet.EMPTY;
        AddressSet addresses = AddressSet.EMPTY;
        final Set<String> staticVnics = new HashSet<>();
    }

    private ModelSnapshot model;
    private final Map<String, GroupState> groups = new HashMap<>();
    /** attribute key (see {@link #keys}) -> groups with an EQUALS condition on it. */
    private final Map<String, Set<String>> groupsByKey = new HashMap<>();
    /** groups whose criteria may hold for a VM that has none of their indexed values. */
    private final Set<String> scanGroups = new HashSet<>();
    /** group -> the keys it is indexed under in {@link #groupsByKey} (its cover). */
    private final Map<String, List<String>> coverOfGroup = new HashMap<>();
    /** attribute key -> VMs that have it. */
    private final Map<String, Set<String>> vmsByKey = new HashMap<>();
    /** group -> groups that nest or exclude it. */
    private final Map<String, Set<String>> parents = new HashMap<>();
    /** VM -> groups naming it in vms or excludedVms. */
    private final Map<String, Set<String>> staticVmRefs = new HashMap<>();
    /** VM -> groups it is a member of. */
    private final Map<String, Set<String>> groupsOfVm = new HashMap<>();
    /** vNIC -> groups whose static addresses hold one of its addresses. */
    private final Map<String, Set<String>> staticGroupsOfVnic = new HashMap<>();
    /** groups whose static addresses are not empty. */
    private final Set<String> groupsWithStatic = new HashSet<>();
    /** vNIC address -> vNICs holding it (for static-address membership). */
    private final NavigableMap<IpPrefix, Set<String>> vnicsByAddress = new TreeMap<>();

    MembershipEngine(ModelSnapshot model) {
        this.model = model;
        for (Vm vm : model.vms()) {
            indexVm(null, vm);
            vnicsChanged(null, vm, new Delta());
        }
        for (Group g : model.groups()) {
            indexGroup(null, g);
        }
        for (Group g : inDependencyOrder(model.groups())) {
            GroupState s = new GroupState();
            s.def = g;
            groups.put(g.id(), s);
            s.depth = depthOf(g);
            evaluate(s, new Delta());
        }
    }

    // ---- queries

    boolean hasGroup(String groupId) {
        return groups.containsKey(groupId);
    }

    /** Member VM ids, sorted. */
    List<String> vms(String groupId) {
        GroupState s = groups.get(groupId);
        return s == null ? List.of() : new ArrayList<>(new TreeSet<>(s.vms));
    }

    AddressSet addresses(String groupId) {
        GroupState s = groups.get(groupId);
        return s == null ? AddressSet.EMPTY : s.addresses;
    }

    /** The groups vNIC {@code vnicId} of VM {@code vmId} belongs to. */
    Set<String> groupsOfVnic(String vmId, String vnicId) {
        Set<String> byVm = groupsOfVm.getOrDefault(vmId, Set.of());
        Set<String> byAddress = staticGroupsOfVnic.getOrDefault(vnicId, Set.of());
        if (byAddress.isEmpty()) {
            return byVm;
        }
        Set<String> all = new HashSet<>(byVm);
        all.addAll(byAddress);
        return all;
    }

    /** The VMs that are members of {@code groupId} and the vNICs that belong to it by address. */
    void forEachBelonging(String groupId, Collection<String> vmsOut, Collection<String> vnicsOut) {
        GroupState s = groups.get(groupId);
        if (s != null) {
            vmsOut.addAll(s.vms);
            vnicsOut.addAll(s.staticVnics);
        }
    }

    // ---- changes

    /** A VM was created ({@code before} null), replaced or deleted ({@code after} null). */
    Delta vmChanged(ModelSnapshot next, Vm before, Vm after) {
        model = next;
        Delta delta = new Delta();
        String vmId = before != null ? before.id() : after.id();
        Set<String> candidates = new HashSet<>(scanGroups);
        for (Vm v : new Vm[] {before, after}) {
            if (v != null) {
                for (String key : keys(v)) {
                    candidates.addAll(groupsByKey.getOrDefault(key, Set.of()));
                }
            }
        }
        candidates.addAll(staticVmRefs.getOrDefault(vmId, Set.of()));
        candidates.addAll(groupsOfVm.getOrDefault(vmId, Set.of()));
        indexVm(before, after);
        for (String g : candidates) {
            GroupState s = groups.get(g);
            if (s.def.criteria() != null && after != null && s.def.criteria().matches(after)) {
                s.criteriaMatches.add(vmId);
            } else {
                s.criteriaMatches.remove(vmId);
            }
        }
        // membership bits, children before parents; then the address sets that moved with them
        boolean addressesMoved = !addressesOf(before).equals(addressesOf(after));
        Set<String> dirtyAddresses = new HashSet<>();
        PriorityQueue<GroupState> queue = byDepth();
        Set<String> queued = new HashSet<>();
        for (String g : candidates) {
            queued.add(g);
            queue.add(groups.get(g));
        }
        while (!queue.isEmpty()) {
            GroupState s = queue.poll();
            boolean was = s.vms.contains(vmId);
            boolean is = after != null && isMember(s, vmId);
            if (was != is || (is && addressesMoved)) {
                if (was) {
                    removeAddresses(s, before);
                }
                if (is) {
                    addAddresses(s, after);
                }
                dirtyAddresses.add(s.def.id());
            }
            if (was != is) {
                if (is) {
                    s.vms.add(vmId);
                    groupsOfVm.computeIfAbsent(vmId, k -> new HashSet<>()).add(s.def.id());
                } else {
                    s.vms.remove(vmId);
                    Set<String> of = groupsOfVm.get(vmId);
                    if (of != null) {
                        of.remove(s.def.id());
                    }
                }
                delta.vms.add(vmId);
                for (String p : parents.getOrDefault(s.def.id(), Set.of())) {
                    if (queued.add(p)) {
                        queue.add(groups.get(p));
                    }
                }
            }
        }
        if (after == null) {
            groupsOfVm.remove(vmId);
        }
        recomputeAddresses(dirtyAddresses, delta);
        vnicsChanged(before, after, delta);
        return delta;
    }

    /** A group was created ({@code before} null), replaced or deleted ({@code after} null). */
    Delta groupChanged(ModelSnapshot next, Group before, Group after) {
        model = next;
        Delta delta = new Delta();
        indexGroup(before, after);
        String id = before != null ? before.id() : after.id();
        if (after == null) {
            GroupState s = groups.remove(id);
            for (String vm : s.vms) {
                groupsOfVm.getOrDefault(vm, new HashSet<>()).remove(id);
                delta.vms.add(vm);
            }
            for (String vnic : s.staticVnics) {
                staticGroupsOfVnic.getOrDefault(vnic, new HashSet<>()).remove(id);
                delta.vnics.add(vnic);
            }
            groupsWithStatic.remove(id);
            delta.addressGroups.add(id);
            return delta;
        }
        GroupState s = groups.computeIfAbsent(id, k -> new GroupState());
        s.def = after;
        // this group and every ancestor, re-evaluated whole, children first
        Set<String> affected = new HashSet<>();
        collectAncestors(id, affected);
        List<GroupState> ordered = new ArrayList<>();
        for (String g : affected) {
            GroupState a = groups.get(g);
            ordered.add(a);
        }
        for (GroupState a : ordered) {
            a.depth = -1;
        }
        for (GroupState a : ordered) {
            a.depth = depthOf(a.def);
        }
        ordered.sort(Comparator.comparingInt(a -> a.depth));
        for (GroupState a : ordered) {
            evaluate(a, delta);
        }
        return delta;
    }

    // ---- evaluation

    /** Recomputes a group whole from its definition and its children's current state. */
    private void evaluate(GroupState s, Delta delta) {
        Group g = s.def;
        s.criteriaMatches.clear();
        if (g.criteria() != null) {
            for (String vm : criteriaCandidates(g)) {
                Vm v = model.find(Kind.VM, vm).orElse(null);
                if (v != null && g.criteria().matches(v)) {
                    s.criteriaMatches.add(vm);
                }
            }
        }
        Set<String> members = new HashSet<>(s.criteriaMatches);
        for (String vm : g.vms()) {
            if (model.find(Kind.VM, vm).isPresent()) {
                members.add(vm);
            }
        }
        for (String n : g.groups()) {
            GroupState c = groups.get(n);
            if (c != null) {
                members.addAll(c.vms);
            }
        }
        g.excludedVms().forEach(members::remove);
        for (String x : g.excludedGroups()) {
            GroupState c = groups.get(x);
            if (c != null) {
                members.removeAll(c.vms);
            }
        }
        String id = g.id();
        for (String vm : s.vms) {
            if (!members.contains(vm)) {
                groupsOfVm.getOrDefault(vm, new HashSet<>()).remove(id);
                delta.vms.add(vm);
            }
        }
        for (String vm : members) {
            if (!s.vms.contains(vm)) {
                groupsOfVm.computeIfAbsent(vm, k -> new HashSet<>()).add(id);
                delta.vms.add(vm);
            }
        }
        s.vms.clear();
        s.vms.addAll(members);
        s.vmAddressCounts.clear();
        List<IpPrefix> all = new ArrayList<>();
        for (String vm : members) {
            Vm v = model.find(Kind.VM, vm).orElseThrow();
            for (IpPrefix a : addressesOf(v)) {
                if (s.vmAddressCounts.merge(a, 1, Integer::sum) == 1) {
                    all.add(a);
                }
            }
        }
        s.vmAddresses = AddressSet.of(all);
        recomputeAddresses(Set.of(id), delta);
    }

    private Collection<String> criteriaCandidates(Group g) {
        List<String> cover = cover(g.criteria());
        if (cover == null) {
            return model.vms().stream().map(Vm::id).toList();
        }
        Set<String> out = new HashSet<>();
        for (String key : cover) {
            out.addAll(vmsByKey.getOrDefault(key, Set.of()));
        }
        return out;
    }

    private boolean isMember(GroupState s, String vmId) {
        Group g = s.def;
        boolean in = s.criteriaMatches.contains(vmId) || g.vms().contains(vmId);
        for (int i = 0; !in && i < g.groups().size(); i++) {
            GroupState c = groups.get(g.groups().get(i));
            in = c != null && c.vms.contains(vmId);
        }
        if (!in || g.excludedVms().contains(vmId)) {
            return false;
        }
        for (String x : g.excludedGroups()) {
            GroupState c = groups.get(x);
            if (c != null && c.vms.contains(vmId)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Recomputes the static and effective address sets of {@code dirty} groups and, as long as
     * they move, of their ancestors (which take nested groups' static addresses and excluded
     * groups' address sets), children first.
     */
    private void recomputeAddresses(Set<String> dirty, Delta delta) {
        PriorityQueue<GroupState> queue = byDepth();
        Set<String> queued = new HashSet<>(dirty);
        dirty.forEach(g -> queue.add(groups.get(g)));
        while (!queue.isEmpty()) {
            GroupState s = queue.poll();
            Group g = s.def;
            AddressSet exclusions = AddressSet.of(g.excludedAddresses());
            for (String x : g.excludedGroups()) {
                GroupState c = groups.get(x);
                if (c != null) {
                    exclusions = exclusions.union(c.addresses);
                }
            }
            AddressSet statics = AddressSet.of(g.addresses());
            for (String n : g.groups()) {
                GroupState c = groups.get(n);
                if (c != null) {
                    statics = statics.union(c.staticAddresses);
                }
            }
            statics = statics.minus(exclusions);
            AddressSet addresses = s.vmAddresses.minus(exclusions).union(statics);
            boolean staticMoved = !statics.equals(s.staticAddresses);
            boolean moved = staticMoved || !addresses.equals(s.addresses);
            if (staticMoved) {
                AddressSet old = s.staticAddresses;
                s.staticAddresses = statics;
                staticAddressesChanged(s, old, delta);
            }
            if (moved) {
                s.addresses = addresses;
                delta.addressGroups.add(g.id());
                for (String p : parents.getOrDefault(g.id(), Set.of())) {
                    // while the engine is first built, parents are evaluated after their children
                    GroupState ps = groups.get(p);
                    if (ps != null && queued.add(p)) {
                        queue.add(ps);
                    }
                }
            }
        }
    }

    /** Finds the vNICs whose addresses entered or left the group's static addresses. */
    private void staticAddressesChanged(GroupState s, AddressSet old, Delta delta) {
        String id = s.def.id();
        if (s.staticAddresses.isEmpty()) {
            groupsWithStatic.remove(id);
        } else {
            groupsWithStatic.add(id);
        }
        AddressSet moved = old.minus(s.staticAddresses).union(s.staticAddresses.minus(old));
        Set<String> touched = new HashSet<>();
        for (IpPrefix range : moved.toPrefixes()) {
            long[] last = range.last();
            IpPrefix from = IpPrefix.host(range.family(), range.high(), range.low());
            IpPrefix to = IpPrefix.host(range.family(), last[0], last[1]);
            vnicsByAddress.subMap(from, true, to, true).values().forEach(touched::addAll);
        }
        for (String vnic : touched) {
            boolean was = s.staticVnics.contains(vnic);
            boolean is = vnicAddressesIn(vnic, s.staticAddresses);
            if (was != is) {
                if (is) {
                    s.staticVnics.add(vnic);
                    staticGroupsOfVnic.computeIfAbsent(vnic, k -> new HashSet<>()).add(id);
                } else {
                    s.staticVnics.remove(vnic);
                    staticGroupsOfVnic.getOrDefault(vnic, new HashSet<>()).remove(id);
                }
                delta.vnics.add(vnic);
            }
        }
    }

    private final Map<String, List<IpPrefix>> addressesByVnic = new HashMap<>();

    private boolean vnicAddressesIn(String vnic, AddressSet set) {
        for (IpPrefix a : addressesByVnic.getOrDefault(vnic, List.of())) {
            if (set.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Re-files the vNICs of a changed VM by address and re-tests their static-address memberships. */
    private void vnicsChanged(Vm before, Vm after, Delta delta) {
        Map<String, List<IpPrefix>> old = new HashMap<>();
        if (before != null) {
            before.vnics().forEach(n -> old.put(n.id(), n.addresses()));
        }
        Map<String, List<IpPrefix>> now = new HashMap<>();
        if (after != null) {
            after.vnics().forEach(n -> now.put(n.id(), n.addresses()));
        }
        Set<String> ids = new HashSet<>(old.keySet());
        ids.addAll(now.keySet());
        for (String vnic : ids) {
            List<IpPrefix> was = old.getOrDefault(vnic, List.of());
            List<IpPrefix> is = now.get(vnic);
            if (is != null && is.equals(was) && old.containsKey(vnic)) {
                continue;
            }
            for (IpPrefix a : was) {
                Set<String> holders = vnicsByAddress.get(a);
                if (holders != null && holders.remove(vnic) && holders.isEmpty()) {
                    vnicsByAddress.remove(a);
                }
            }
            Set<String> wasIn = staticGroupsOfVnic.getOrDefault(vnic, Set.of());
            Set<String> groupsNow = new HashSet<>();
            if (is == null) {
                addressesByVnic.remove(vnic);
            } else {
                addressesByVnic.put(vnic, is);
                for (IpPrefix a : is) {
                    vnicsByAddress.computeIfAbsent(a, k -> new HashSet<>()).add(vnic);
                }
                for (String g : groupsWithStatic) {
                    if (vnicAddressesIn(vnic, groups.get(g).staticAddresses)) {
                        groupsNow.add(g);
                    }
                }
            }
            if (!groupsNow.equals(wasIn)) {
                for (String g : wasIn) {
                    groups.get(g).staticVnics.remove(vnic);
                }
                for (String g : groupsNow) {
                    groups.get(g).staticVnics.add(vnic);
                }
                delta.vnics.add(vnic);
            }
            if (groupsNow.isEmpty()) {
                staticGroupsOfVnic.remove(vnic);
            } else {
                staticGroupsOfVnic.put(vnic, groupsNow);
            }
        }
    }

    private void addAddresses(GroupState s, Vm vm) {
        List<IpPrefix> added = new ArrayList<>();
        for (IpPrefix a : addressesOf(vm)) {
            if (s.vmAddressCounts.merge(a, 1, Integer::sum) == 1) {
                added.add(a);
            }
        }
        if (!added.isEmpty()) {
            s.vmAddresses = s.vmAddresses.union(AddressSet.of(added));
        }
    }

    private void removeAddresses(GroupState s, Vm vm) {
        List<IpPrefix> removed = new ArrayList<>();
        for (IpPrefix a : addressesOf(vm)) {
            Integer n = s.vmAddressCounts.get(a);
            if (n == null) {
                continue;
            }
            if (n == 1) {
                s.vmAddressCounts.remove(a);
                removed.add(a);
            } else {
                s.vmAddressCounts.put(a, n - 1);
            }
        }
        if (!removed.isEmpty()) {
            s.vmAddresses = s.vmAddresses.minus(AddressSet.of(removed));
        }
    }

    /** A VM's addresses, each counted once. */
    private static Set<IpPrefix> addressesOf(Vm vm) {
        if (vm == null) {
            return Set.of();
        }
        Set<IpPrefix> out = new HashSet<>();
        for (Vnic n : vm.vnics()) {
            out.addAll(n.addresses());
        }
        return out;
    }

    // ---- indexes

    /** The attribute keys of a VM: what EQUALS conditions are indexed by. */
    static Set<String> keys(Vm vm) {
        Set<String> keys = new HashSet<>();
        vm.tags().forEach(t -> keys.add(key(Criterion.Attribute.TAG, t)));
        if (vm.name() != null) {
            keys.add(key(Criterion.Attribute.NAME, vm.name()));
        }
        if (vm.os() != null) {
            keys.add(key(Criterion.Attribute.OS, vm.os()));
        }
        for (Vnic n : vm.vnics()) {
            if (n.segment() != null) {
                keys.add(key(Criterion.Attribute.SEGMENT, n.segment()));
            }
        }
        return keys;
    }

    private static String key(Criterion.Attribute attribute, String value) {
        return attribute.ordinal() + ":" + value;
    }

    private void indexVm(Vm before, Vm after) {
        if (before != null) {
            for (String k : keys(before)) {
                Set<String> vms = vmsByKey.get(k);
                if (vms != null && vms.remove(before.id()) && vms.isEmpty()) {
                    vmsByKey.remove(k);
                }
            }
        }
        if (after != null) {
            for (String k : keys(after)) {
                vmsByKey.computeIfAbsent(k, x -> new HashSet<>()).add(after.id());
            }
        }
    }

    private void indexGroup(Group before, Group after) {
        if (before != null) {
            String id = before.id();
            for (String k : coverOfGroup.getOrDefault(id, List.of())) {
                removeFrom(groupsByKey, k, id);
            }
            coverOfGroup.remove(id);
            scanGroups.remove(id);
            before.groups().forEach(c -> removeFrom(parents, c, id));
            before.excludedGroups().forEach(c -> removeFrom(parents, c, id));
            before.vms().forEach(vm -> removeFrom(staticVmRefs, vm, id));
            before.excludedVms().forEach(vm -> removeFrom(staticVmRefs, vm, id));
        }
        if (after != null) {
            String id = after.id();
            if (after.criteria() != null) {
                List<String> cover = cover(after.criteria());
                if (cover != null) {
                    coverOfGroup.put(id, cover);
                    for (String k : cover) {
                        groupsByKey.computeIfAbsent(k, x -> new HashSet<>()).add(id);
                    }
                } else {
                    scanGroups.add(id);
                }
            }
            after.groups().forEach(c -> parents.computeIfAbsent(c, x -> new HashSet<>()).add(id));
            after.excludedGroups().forEach(c -> parents.computeIfAbsent(c, x -> new HashSet<>()).add(id));
            after.vms().forEach(vm -> staticVmRefs.computeIfAbsent(vm, x -> new HashSet<>()).add(id));
            after.excludedVms().forEach(vm -> staticVmRefs.computeIfAbsent(vm, x -> new HashSet<>()).add(id));
        }
    }

    private static void removeFrom(Map<String, Set<String>> index, String key, String value) {
        Set<String> values = index.get(key);
        if (values != null && values.remove(value) && values.isEmpty()) {
            index.remove(key);
        }
    }

    /**
     * A cover of the criteria: attribute keys such that every VM the criteria hold for has at
     * least one of them; null when there is none (NOT_EQUALS and the substring operators can hold
     * for a VM without any particular value). An AND needs only one of its terms covered, and takes
     * the term whose keys fewest VMs have now, so that "app:shop AND tier:web" is tested against the
     * shop's VMs rather than every web VM; an OR needs all of its terms covered. Which cover is
     * taken changes nothing but cost: any cover finds every VM that can match.
     */
    List<String> cover(Criterion c) {
        if (c instanceof Criterion.Any any) {
            List<String> out = new ArrayList<>();
            for (Criterion t : any.any()) {
                List<String> sub = cover(t);
                if (sub == null) {
                    return null;
                }
                out.addAll(sub);
            }
            return out;
        }
        if (c instanceof Criterion.All all) {
            List<String> best = null;
            long bestCount = Long.MAX_VALUE;
            for (Criterion t : all.all()) {
                List<String> sub = cover(t);
                if (sub != null) {
                    long count = 0;
                    for (String k : sub) {
                        count += vmsByKey.getOrDefault(k, Set.of()).size();
                    }
                    if (count < bestCount) {
                        best = sub;
                        bestCount = count;
                    }
                }
            }
            return best;
        }
        Criterion.Condition cond = (Criterion.Condition) c;
        return cond.operator() == Criterion.Operator.EQUALS ? List.of(key(cond.attribute(), cond.value())) : null;
    }

    // ---- ordering

    private PriorityQueue<GroupState> byDepth() {
        return new PriorityQueue<>(Comparator.comparingInt((GroupState s) -> s.depth)
                .thenComparing(s -> s.def.id()));
    }

    /** 0 for a group without children; else one more than its deepest child. */
    private int depthOf(Group g) {
        int depth = 0;
        for (String c : children(g)) {
            GroupState cs = groups.get(c);
            if (cs != null) {
                if (cs.depth < 0) {
                    cs.depth = depthOf(cs.def);
                }
                depth = Math.max(depth, cs.depth + 1);
            }
        }
        return depth;
    }

    private static List<String> children(Group g) {
        List<String> c = new ArrayList<>(g.groups());
        c.addAll(g.excludedGroups());
        return c;
    }

    private void collectAncestors(String id, Set<String> out) {
        if (out.add(id)) {
            for (String p : parents.getOrDefault(id, Set.of())) {
                collectAncestors(p, out);
            }
        }
    }

    /** Groups with every child before its parents (the model has no cycles). */
    private static List<Group> inDependencyOrder(Collection<Group> all) {
        Map<String, Group> byId = new HashMap<>();
        all.forEach(g -> byId.put(g.id(), g));
        List<Group> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Group g : all) {
            visit(g, byId, done, out);
        }
        return out;
    }

    private static void visit(Group g, Map<String, Group> byId, Set<String> done, List<Group> out) {
        if (!done.add(g.id())) {
            return;
        }
        for (String c : children(g)) {
            Group child = byId.get(c);
            if (child != null) {
                visit(child, byId, done, out);
            }
        }
        out.add(g);
    }
}
