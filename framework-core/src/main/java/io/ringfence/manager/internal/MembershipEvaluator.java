package io.ringfence.manager.internal;

import io.ringfence.manager.Members;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.net.AddressSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Computes groups' effective members over one snapshot, as documented on {@link Group}.
 * Results are memoised per evaluator, so nested groups are resolved once.
 */
final class MembershipEvaluator {

    private final ModelSnapshot model;
    private final Map<String, TreeSet<String>> vmsByGroup = new HashMap<>();
    private final Map<String, AddressSet> staticByGroup = new HashMap<>();
    private final Map<String, AddressSet> addressesByGroup = new HashMap<>();

    MembershipEvaluator(ModelSnapshot model) {
        this.model = model;
    }

    Members members(Group g) {
        List<Members.MemberVm> vms = new ArrayList<>();
        for (String id : vms(g)) {
            model.find(Kind.VM, id).ifPresent(vm -> vms.add(new Members.MemberVm(vm.id(), vm.name())));
        }
        return new Members(g.id(), model.revision(), vms, addresses(g).toPrefixes());
    }

    /** Member VM ids, sorted. */
    TreeSet<String> vms(Group g) {
        TreeSet<String> cached = vmsByGroup.get(g.id());
        if (cached != null) {
            return cached;
        }
        TreeSet<String> out = new TreeSet<>();
        if (g.criteria() != null) {
            for (Vm vm : model.vms()) {
                if (g.criteria().matches(vm)) {
                    out.add(vm.id());
                }
            }
        }
        out.addAll(g.vms());
        for (String n : g.groups()) {
            model.find(Kind.GROUP, n).ifPresent(ng -> out.addAll(vms(ng)));
        }
        g.excludedVms().forEach(out::remove);
        for (String x : g.excludedGroups()) {
            model.find(Kind.GROUP, x).ifPresent(xg -> out.removeAll(vms(xg)));
        }
        vmsByGroup.put(g.id(), out);
        return out;
    }

    /** The group's address set. */
    AddressSet addresses(Group g) {
        AddressSet cached = addressesByGroup.get(g.id());
        if (cached != null) {
            return cached;
        }
        List<io.ringfence.net.IpPrefix> vmAddresses = new ArrayList<>();
        for (String id : vms(g)) {
            model.find(Kind.VM, id).ifPresent(vm -> vm.vnics().forEach(n -> vmAddresses.addAll(n.addresses())));
        }
        AddressSet out = AddressSet.of(vmAddresses).union(staticAddresses(g)).minus(exclusions(g));
        addressesByGroup.put(g.id(), out);
        return out;
    }

    /** Static addresses of the group and, transitively, of its nested groups, less exclusions. */
    private AddressSet staticAddresses(Group g) {
        AddressSet cached = staticByGroup.get(g.id());
        if (cached != null) {
            return cached;
        }
        AddressSet out = AddressSet.of(g.addresses());
        for (String n : g.groups()) {
            Group ng = model.find(Kind.GROUP, n).orElse(null);
            if (ng != null) {
                out = out.union(staticAddresses(ng));
            }
        }
        out = out.minus(exclusions(g));
        staticByGroup.put(g.id(), out);
        return out;
    }

    private AddressSet exclusions(Group g) {
        AddressSet out = AddressSet.of(g.excludedAddresses());
        for (String x : g.excludedGroups()) {
            Group xg = model.find(Kind.GROUP, x).orElse(null);
            if (xg != null) {
                out = out.union(addresses(xg));
            }
        }
        return out;
    }
}
