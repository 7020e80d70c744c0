package io.ringfence.enforcement.internal;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The desired state of one target over all its hosts, and what changed since the last update
 * was taken. Changes merge: a vNIC changed twice goes out once, with its latest rule set; a vNIC
 * added and removed goes out as removed; an address group is released only when no host of the
 * target refers to it any more. The default rule, the same for every host, is the one of the latest
 * delta; every update carries it, and a change of it alone is an update too (a host without vNICs
 * learns it before its first vNIC). Not thread-safe: the feed serializes calls.
 */
final class TargetState {

    private final Map<String, TargetRuleSet> ruleSets = new TreeMap<>();
    /** The compiled rule set each of {@link #ruleSets} was converted from: its unchanged entries keep their conversion. */
    private final Map<String, VnicRuleSet> compiled = new HashMap<>();
    private final Map<String, AddressGroupSet> groups = new TreeMap<>();
    /** The host each vNIC is on (a vNIC moving between two hosts of the target is on the newer). */
    private final Map<String, String> hostOfVnic = new HashMap<>();
    private final Map<String, Set<String>> groupsOfHost = new HashMap<>();

    private RuleSetUpdate.DefaultRule defaultRule = RuleSetUpdate.DefaultRule.DENY;
    private boolean defaultRuleChanged;
    private boolean full = true;
    private final Set<String> changedVnics = new TreeSet<>();
    private final Set<String> removedVnics = new TreeSet<>();
    private final Set<String> changedGroups = new TreeSet<>();
    private final Set<String> releasedGroups = new TreeSet<>();

    /**
     * What one delta changed in the desired state.
     *
     * @param changed vNICs whose desired rule set is new or changed
     * @param removed vNICs no longer desired here
     */
    record Applied(Set<String> changed, Set<String> removed) {
    }

    /** Merges one host's delta (or full state) into the desired state and the pending changes. */
    Applied apply(HostDelta delta, VnicDirectory directory) {
        Set<String> changed = new HashSet<>();
        Set<String> removed = new HashSet<>();
        String host = delta.hostId();
        RuleSetUpdate.DefaultRule d = RuleSetConverter.defaultRule(delta);
        if (!d.equals(defaultRule)) {
            defaultRule = d;
            defaultRuleChanged = true;
        }
        if (delta.full()) {
            Set<String> listed = new HashSet<>();
            delta.ruleSets().forEach(s -> listed.add(s.vnicId()));
            for (String vnic : List.copyOf(hostOfVnic.keySet())) {
                if (host.equals(hostOfVnic.get(vnic)) && !listed.contains(vnic)) {
                    removeVnic(vnic);
                    removed.add(vnic);
                }
            }
            Set<String> held = new HashSet<>();
            delta.addressGroups().forEach(g -> held.add(g.id()));
            for (String group : List.copyOf(groupsOfHost.getOrDefault(host, Set.of()))) {
                if (!held.contains(group)) {
                    release(host, group);
                }
            }
        }
        for (VnicRuleSet set : delta.ruleSets()) {
            TargetRuleSet known = ruleSets.get(set.vnicId());
            // a full state repeats what did not change: same generation, same table
            if (known == null || known.generation() != set.generation() || !host.equals(hostOfVnic.get(set.vnicId()))) {
                putVnic(host, set, RuleSetConverter.ruleSet(set, directory.vnic(set.vmId(), set.vnicId()).orElse(null),
                        converted(compiled.get(set.vnicId()), known)));
                changed.add(set.vnicId());
                removed.remove(set.vnicId());
            }
        }
        for (String vnic : delta.removedVnics()) {
            if (host.equals(hostOfVnic.get(vnic))) {
                removeVnic(vnic);
                removed.add(vnic);
                changed.remove(vnic);
            }
        }
        for (AddressGroup group : delta.addressGroups()) {
            hold(host, group);
        }
        for (String group : delta.removedAddressGroups()) {
            release(host, group);
        }
        return new Applied(changed, removed);
    }

    /**
     * The conversions of the entries of a vNIC's previous rule set, by entry identity: the compiler
     * hands every generation that keeps a rule the same entry, so a change converts only the entries
     * it changed (and a target receiving the same entry objects can tell them unchanged at a glance).
     */
    private static Map<CompiledRule, TargetRule> converted(VnicRuleSet before, TargetRuleSet known) {
        Map<CompiledRule, TargetRule> out = new IdentityHashMap<>();
        if (before != null && known != null) {
            for (int i = 0; i < before.in().size(); i++) {
                out.put(before.in().get(i), known.inbound().get(i));
            }
            for (int i = 0; i < before.out().size(); i++) {
                out.put(before.out().get(i), known.outbound().get(i));
            }
        }
        return out;
    }

    private void putVnic(String host, VnicRuleSet from, TargetRuleSet set) {
        compiled.put(set.vnicId(), from);
        ruleSets.put(set.vnicId(), set);
        hostOfVnic.put(set.vnicId(), host);
        removedVnics.remove(set.vnicId());
        changedVnics.add(set.vnicId());
    }

    private void removeVnic(String vnic) {
        compiled.remove(vnic);
        ruleSets.remove(vnic);
        hostOfVnic.remove(vnic);
        changedVnics.remove(vnic);
        removedVnics.add(vnic);
    }

    private void hold(String host, AddressGroup group) {
        groupsOfHost.computeIfAbsent(host, h -> new HashSet<>()).add(group.id());
        AddressGroupSet known = groups.get(group.id());
        AddressGroupSet now = RuleSetConverter.addressGroup(group);
        if (!now.equals(known)) {
            groups.put(group.id(), now);
            changedGroups.add(group.id());
            releasedGroups.remove(group.id());
        }
    }

    private void release(String host, String group) {
        Set<String> held = groupsOfHost.get(host);
        if (held == null || !held.remove(group)) {
            return;
        }
        if (held.isEmpty()) {
            groupsOfHost.remove(host);
        }
        if (groupsOfHost.values().stream().noneMatch(s -> s.contains(group))) {
            groups.remove(group);
            changedGroups.remove(group);
            releasedGroups.add(group);
        }
    }

    /** The next update should be the whole desired state (first update, or the target's state is unknown). */
    void forceFull() {
        full = true;
    }

    /** Something is waiting to be sent. */
    boolean hasPending() {
        return full || defaultRuleChanged || !changedVnics.isEmpty() || !removedVnics.isEmpty() || !changedGroups.isEmpty()
                || !releasedGroups.isEmpty();
    }

    /**
     * The pending changes as one update, which clears them.
     *
     * @param alwaysFull the target takes full updates only
     */
    RuleSetUpdate take(long sequence, boolean alwaysFull) {
        RuleSetUpdate update;
        if (full || alwaysFull) {
            update = new RuleSetUpdate(sequence, true, List.copyOf(ruleSets.values()), List.of(),
                    List.copyOf(groups.values()), List.of(), defaultRule);
        } else {
            List<TargetRuleSet> changed = new ArrayList<>();
            changedVnics.forEach(v -> changed.add(ruleSets.get(v)));
            List<AddressGroupSet> changedSets = new ArrayList<>();
            changedGroups.forEach(g -> changedSets.add(groups.get(g)));
            update = new RuleSetUpdate(sequence, false, changed, List.copyOf(removedVnics), changedSets,
                    List.copyOf(releasedGroups), defaultRule);
        }
        full = false;
        defaultRuleChanged = false;
        changedVnics.clear();
        removedVnics.clear();
        changedGroups.clear();
        releasedGroups.clear();
        return update;
    }

    /** The desired rule sets, ordered by vNIC id. */
    Collection<TargetRuleSet> ruleSets() {
        return ruleSets.values();
    }

    /** The desired rule set of a vNIC, or null. */
    TargetRuleSet ruleSet(String vnicId) {
        return ruleSets.get(vnicId);
    }

    /** The generation each vNIC should have. */
    Map<String, Long> desiredGenerations() {
        Map<String, Long> out = new HashMap<>();
        ruleSets.forEach((vnic, set) -> out.put(vnic, set.generation()));
        return out;
    }
}
