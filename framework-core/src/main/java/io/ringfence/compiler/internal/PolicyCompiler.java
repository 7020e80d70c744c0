package io.ringfence.compiler.internal;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.HostRuleSetConsumer;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.PolicyPreview;
import io.ringfence.compiler.StalePreviewException;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelListener;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.AddressSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The incremental per-vNIC policy compiler (semantics: {@code io.ringfence.compiler}).
 *
 * <p>State: the membership engine, the enabled rules indexed by the groups they name (plus the
 * few "global" rules that can land on a vNIC belonging to none of their groups), each rule's two
 * compiled entries (shared by every vNIC), every vNIC's table, and the address groups with, per
 * host, how many of its vNICs refer to each.
 *
 * <p>A change recompiles only the vNICs it can affect: those of a changed VM, those whose
 * groups changed, those a changed rule lands or landed on. A vNIC's table is rebuilt from the
 * rules of its groups, and kept (with its generation) when it comes out the same. Address
 * groups whose groups' addresses moved are recomputed and sent to the hosts that use them.
 *
 * <p>One writer (the model manager's commit thread, through {@link #modelChanged}), many
 * readers: a read-write lock keeps readers on a consistent state. Consumers are called with the
 * write lock held, in generation order.
 */
public final class PolicyCompiler implements PolicyCompilerService, ModelListener {

    private static final System.Logger LOG = System.getLogger(PolicyCompiler.class.getName());

    /** Evaluation order of entries. */
    static final Comparator<CompiledRule> ORDER = Comparator
            .comparingInt((CompiledRule r) -> r.category().ordinal())
            .thenComparingInt(CompiledRule::policySequence)
            .thenComparing(CompiledRule::policyId)
            .thenComparingInt(CompiledRule::ruleSequence)
            .thenComparing(CompiledRule::ruleId);

    /** An enabled rule, compiled. */
    private static final class RuleInfo {
        final Rule rule;
        final String policyId;
        final CompiledRule in;
        final CompiledRule out;
        /** Distinct groups it names on any side or in applied-to. */
        final Set<String> groups = new HashSet<>();
        /** It can land on a vNIC that belongs to none of its groups. */
        final boolean global;

        RuleInfo(Rule rule, Policy policy, ModelSnapshot model) {
            this.rule = rule;
            this.policyId = policy.id();
            List<ServiceEntry> services = new ArrayList<>();
            for (String s : rule.services()) {
                model.find(Kind.SERVICE, s).ifPresent(svc -> services.addAll(svc.entries()));
            }
            boolean hasIn = rule.direction() != Direction.OUT;
            boolean hasOut = rule.direction() != Direction.IN;
            this.in = hasIn ? entry(rule, policy, Direction.IN, rule.sources(), rule.sourcesNegated(), services) : null;
            this.out = hasOut ? entry(rule, policy, Direction.OUT, rule.destinations(), rule.destinationsNegated(),
                    services) : null;
            groups.addAll(rule.sources());
            groups.addAll(rule.destinations());
            groups.addAll(rule.appliedTo());
            this.global = rule.appliedTo().isEmpty()
                    && ((hasOut && (rule.sources().isEmpty() || rule.sourcesNegated()))
                    || (hasIn && (rule.destinations().isEmpty() || rule.destinationsNegated())));
        }

        private static CompiledRule entry(Rule r, Policy p, Direction d, List<String> remote, boolean negated,
                                          List<ServiceEntry> services) {
            return new CompiledRule(r.id(), p.id(), p.category(), p.sequence(), r.sequence(), d, r.action(), r.logged(),
                    r.staged(), r.tag(), remoteId(remote), !remote.isEmpty() && negated, services);
        }

        /** The address group ids its entries refer to. */
        List<String> remoteIds() {
            List<String> ids = new ArrayList<>(2);
            if (in != null && in.remote() != null) {
                ids.add(in.remote());
            }
            if (out != null && out.remote() != null && !ids.contains(out.remote())) {
                ids.add(out.remote());
            }
            return ids;
        }

        /** Same rule, same policy placement, same services: the same compiled entries. */
        boolean sameAs(RuleInfo o) {
            return java.util.Objects.equals(in, o.in) && java.util.Objects.equals(out, o.out)
                    && rule.appliedTo().equals(o.rule.appliedTo()) && rule.sources().equals(o.rule.sources())
                    && rule.sourcesNegated() == o.rule.sourcesNegated()
                    && rule.destinations().equals(o.rule.destinations())
                    && rule.destinationsNegated() == o.rule.destinationsNegated();
        }
    }

    private static final class VnicState {
        final String vnicId;
        final String vmId;
        VnicRuleSet ruleSet;
        Set<String> remoteIds = Set.of();

        VnicState(String vnicId, String vmId) {
            this.vnicId = vnicId;
            this.vmId = vmId;
        }
    }

    private static final class AddressGroupState {
        final String id;
        final List<String> groupIds;
        AddressSet addresses;
        long generation;
        int rules;
        final Map<String, Integer> hostRefs = new HashMap<>();

        AddressGroupState(String id, List<String> groupIds) {
            this.id = id;
            this.groupIds = groupIds;
        }

        AddressGroup value() {
            return new AddressGroup(id, groupIds, addresses, generation);
        }
    }

    /**
     * What one change touched on each host, resolved against the final state when emitted. For
     * address groups it remembers whether the host held the group before the change, so that a
     * group released by one vNIC and taken by another is not sent again unchanged.
     */
    private static final class Touched {
        final Map<String, Set<String>> vnics = new HashMap<>();
        final Map<String, Map<String, Boolean>> addressGroups = new HashMap<>();

        void host(String host) {
            vnics.computeIfAbsent(host, h -> new HashSet<>());
        }

        void vnic(String host, String vnic) {
            vnics.computeIfAbsent(host, h -> new HashSet<>()).add(vnic);
        }

        void addressGroup(String host, String id, boolean heldBefore) {
            addressGroups.computeIfAbsent(host, h -> new HashMap<>()).putIfAbsent(id, heldBefore);
        }

        boolean isEmpty() {
            return vnics.isEmpty() && addressGroups.isEmpty();
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The consumers of each host, in the order they attached (the in-JVM agent and enforcement targets, say). */
    private final Map<String, List<HostRuleSetConsumer>> consumers = new HashMap<>();

    private ModelSnapshot model;
    private long generation;
    private MembershipEngine engine;
    private final Map<String, RuleInfo> rules = new HashMap<>();
    private final Map<String, Set<String>> rulesByGroup = new HashMap<>();
    private final Set<String> globalRules = new HashSet<>();
    private final Map<String, Set<String>> rulesByService = new HashMap<>();
    private final Map<String, VnicState> vnics = new HashMap<>();
    private final Map<String, List<String>> vnicsOfVm = new HashMap<>();
    private final Map<String, Set<String>> vnicsOfHost = new HashMap<>();
    private final Map<String, AddressGroupState> addressGroups = new HashMap<>();
    private final Map<String, Set<String>> addressGroupsByGroup = new HashMap<>();
    /** Address groups whose last rule went in the current change. */
    private final Set<String> unreferenced = new HashSet<>();
    private long entries;

    /** Compiles {@code initial} whole; its tables get generation 1. */
    public PolicyCompiler(ModelSnapshot initial) {
        build(initial, 1);
    }

    // ---- reading

    @Override
    public long generation() {
        lock.readLock().lock();
        try {
            return generation;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<VnicRuleSet> ruleSet(String vnicId) {
        lock.readLock().lock();
        try {
            VnicState s = vnics.get(vnicId);
            return s == null ? Optional.empty() : Optional.of(s.ruleSet);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<VnicRuleSet> ruleSetsOfVm(String vmId) {
        lock.readLock().lock();
        try {
            List<VnicRuleSet> out = new ArrayList<>();
            for (String v : vnicsOfVm.getOrDefault(vmId, List.of())) {
                out.add(vnics.get(v).ruleSet);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<VnicRuleSet> ruleSetsOfRule(String ruleId) {
        lock.readLock().lock();
        try {
            RuleInfo r = rules.get(ruleId);
            return r == null ? List.of() : tablesHolding(List.of(r));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<VnicRuleSet> ruleSetsOfPolicy(String policyId) {
        lock.readLock().lock();
        try {
            List<RuleInfo> ofPolicy = rules.values().stream().filter(r -> r.policyId.equals(policyId)).toList();
            return tablesHolding(ofPolicy);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The tables, by vNIC id, that hold an entry of one of the rules: searched among those the rules can reach. */
    private List<VnicRuleSet> tablesHolding(List<RuleInfo> held) {
        Map<String, VnicRuleSet> out = new TreeMap<>();
        for (RuleInfo r : held) {
            for (String vnic : reach(r)) {
                VnicState s = vnics.get(vnic);
                if (s != null && !out.containsKey(vnic) && ((r.in != null && s.ruleSet.in().contains(r.in))
                        || (r.out != null && s.ruleSet.out().contains(r.out)))) {
                    out.put(vnic, s.ruleSet);
                }
            }
        }
        return List.copyOf(out.values());
    }

    @Override
    public Optional<AddressGroup> addressGroup(String id) {
        lock.readLock().lock();
        try {
            AddressGroupState s = addressGroups.get(id);
            return s == null ? Optional.empty() : Optional.of(s.value());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Members members(String groupId) {
        lock.readLock().lock();
        try {
            if (!engine.hasGroup(groupId)) {
                throw new NotFoundException(Kind.GROUP.name(), groupId);
            }
            List<Members.MemberVm> vms = new ArrayList<>();
            for (String id : engine.vms(groupId)) {
                vms.add(new Members.MemberVm(id, model.find(Kind.VM, id).map(Vm::name).orElse(null)));
            }
            return new Members(groupId, model.revision(), vms, engine.addresses(groupId).toPrefixes());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public CompilerStats stats() {
        lock.readLock().lock();
        try {
            return new CompilerStats(vnics.size(), entries, addressGroups.size(), generation);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- hosts

    @Override
    public void attach(String hostId, HostRuleSetConsumer consumer) {
        lock.writeLock().lock();
        try {
            List<HostRuleSetConsumer> list = consumers.computeIfAbsent(hostId, h -> new ArrayList<>());
            if (!list.contains(consumer)) {
                list.add(consumer);
            }
            send(consumer, fullState(hostId));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void detach(String hostId, HostRuleSetConsumer consumer) {
        lock.writeLock().lock();
        try {
            List<HostRuleSetConsumer> list = consumers.get(hostId);
            if (list != null && list.remove(consumer) && list.isEmpty()) {
                consumers.remove(hostId);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private HostDelta fullState(String hostId) {
        List<VnicRuleSet> sets = new ArrayList<>();
        for (String v : new TreeSet<>(vnicsOfHost.getOrDefault(hostId, Set.of()))) {
            sets.add(vnics.get(v).ruleSet);
        }
        List<AddressGroup> groups = new ArrayList<>();
        for (AddressGroupState a : addressGroups.values()) {
            if (a.hostRefs.containsKey(hostId)) {
                groups.add(a.value());
            }
        }
        DefaultRule d = model.defaultRule();
        return new HostDelta(hostId, generation, true, sets, List.of(), groups, List.of(), d.action(), d.logged());
    }

    private static void send(HostRuleSetConsumer consumer, HostDelta delta) {
        try {
            consumer.accept(delta);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the consumer of host " + delta.hostId() + " failed on generation "
                    + delta.generation(), e);
        }
    }

    // ---- changes

    @Override
    public void modelChanged(ModelChangeEvent event) {
        lock.writeLock().lock();
        try {
            if (event.before().revision() != model.revision()) {
                // a change was missed (or the model was reloaded): start again from the new model
                LOG.log(System.Logger.Level.WARNING, "compiled revision " + model.revision() + " but the change is from "
                        + event.before().revision() + " to " + event.after().revision() + ": recompiling everything");
                rebuild(event.after());
                return;
            }
            try {
                apply(event);
            } catch (RuntimeException e) {
                // half-applied state must not be enforced: compile the new model whole instead
                LOG.log(System.Logger.Level.ERROR, "incremental compile of revision " + event.after().revision()
                        + " failed: recompiling everything", e);
                rebuild(event.after());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void apply(ModelChangeEvent event) {
        ModelSnapshot before = model;
        ModelSnapshot after = event.after();
        long next = generation + 1;
        Touched touched = new Touched();
        Set<String> dirtyVms = new HashSet<>();
        Set<String> dirtyVnics = new HashSet<>();
        Set<String> movedGroups = new HashSet<>();
        model = after;
        // membership first: rules are compiled against it
        for (ModelChangeEvent.ChangedObject c : event.changed()) {
            MembershipEngine.Delta d;
            if (c.kind() == Kind.VM) {
                d = engine.vmChanged(after, before.find(Kind.VM, c.id()).orElse(null),
                        after.find(Kind.VM, c.id()).orElse(null));
                dirtyVms.add(c.id());
            } else if (c.kind() == Kind.GROUP) {
                d = engine.groupChanged(after, before.find(Kind.GROUP, c.id()).orElse(null),
                        after.find(Kind.GROUP, c.id()).orElse(null));
            } else {
                continue;
            }
            dirtyVms.addAll(d.vms);
            dirtyVnics.addAll(d.vnics);
            movedGroups.addAll(d.addressGroups);
        }
        List<RuleInfo[]> ruleChanges = new ArrayList<>();
        // policies before services: a service's rules are looked up in the policies as they are now
        for (ModelChangeEvent.ChangedObject c : event.changed()) {
            if (c.kind() == Kind.POLICY) {
                policyChanged(before.find(Kind.POLICY, c.id()).orElse(null), after.find(Kind.POLICY, c.id()).orElse(null),
                        ruleChanges);
            }
        }
        for (ModelChangeEvent.ChangedObject c : event.changed()) {
            if (c.kind() == Kind.SERVICE) {
                for (String ruleId : new ArrayList<>(rulesByService.getOrDefault(c.id(), Set.of()))) {
                    RuleInfo old = rules.get(ruleId);
                    Policy p = after.find(Kind.POLICY, old.policyId).orElse(null);
                    Rule r = p == null ? null
                            : p.rules().stream().filter(x -> x.id().equals(ruleId)).findFirst().orElse(null);
                    replaceRule(old, r == null || r.disabled() ? null : new RuleInfo(r, p, after), ruleChanges);
                }
            }
        }
        if (event.defaultRuleChanged() || !before.defaultRule().equals(after.defaultRule())) {
            dirtyVnics.addAll(vnics.keySet());
            if (before.defaultRule().action() != after.defaultRule().action()
                    || before.defaultRule().logged() != after.defaultRule().logged()) {
                // hosts without vNICs hear of it too: it is what their next vNIC enforces until its rule set is in
                consumers.keySet().forEach(touched::host);
            }
        }
        // address groups before tables: a host that starts using one gets its current addresses
        for (String g : movedGroups) {
            for (String id : addressGroupsByGroup.getOrDefault(g, Set.of())) {
                AddressGroupState a = addressGroups.get(id);
                AddressSet now = union(a.groupIds);
                if (!now.equals(a.addresses)) {
                    a.addresses = now;
                    a.generation = next;
                    a.hostRefs.keySet().forEach(h -> touched.addressGroup(h, id, true));
                }
            }
        }
        for (String vm : dirtyVms) {
            syncVnicsOfVm(vm, next, touched);
        }
        for (String vnic : dirtyVnics) {
            VnicState s = vnics.get(vnic);
            if (s != null) {
                recompile(s, next, touched);
            }
        }
        if (!ruleChanges.isEmpty()) {
            Set<String> rebuilt = new HashSet<>(dirtyVnics);
            for (String vm : dirtyVms) {
                rebuilt.addAll(vnicsOfVm.getOrDefault(vm, List.of()));
            }
            for (RuleInfo[] change : ruleChanges) {
                patchTables(change[0], change[1], rebuilt, next, touched);
            }
        }
        dropUnusedAddressGroups();
        if (!touched.isEmpty()) {
            generation = next;
            emit(touched);
        }
    }

    private void policyChanged(Policy before, Policy after, List<RuleInfo[]> ruleChanges) {
        Map<String, Rule> old = new HashMap<>();
        if (before != null) {
            before.rules().forEach(r -> old.put(r.id(), r));
        }
        Set<String> seen = new HashSet<>();
        if (after != null) {
            for (Rule r : after.rules()) {
                seen.add(r.id());
                RuleInfo current = rules.get(r.id());
                RuleInfo fresh = r.disabled() ? null : new RuleInfo(r, after, model);
                if (current == null && fresh == null) {
                    continue;
                }
                if (current != null && fresh != null && current.sameAs(fresh)) {
                    continue;
                }
                replaceRule(current, fresh, ruleChanges);
            }
        }
        for (String id : old.keySet()) {
            if (!seen.contains(id) && rules.containsKey(id)) {
                replaceRule(rules.get(id), null, ruleChanges);
            }
        }
    }

    /** Swaps a rule's compiled form in the indexes; its tables are patched once membership is settled. */
    private void replaceRule(RuleInfo old, RuleInfo fresh, List<RuleInfo[]> ruleChanges) {
        if (old != null) {
            unindex(old);
        }
        if (fresh != null) {
            index(fresh);
        }
        ruleChanges.add(new RuleInfo[] {old, fresh});
    }

    /** The vNICs a rule can land on: those of its groups, or all of them for a global rule. */
    private Set<String> reach(RuleInfo r) {
        if (r.global) {
            return vnics.keySet();
        }
        Set<String> vms = new HashSet<>();
        Set<String> out = new HashSet<>();
        for (String g : r.groups) {
            engine.forEachBelonging(g, vms, out);
        }
        for (String vm : vms) {
            out.addAll(vnicsOfVm.getOrDefault(vm, List.of()));
        }
        return out;
    }

    /**
     * Swaps one rule's entries in the tables it lands or landed on, in place: the old entries
     * out, the new ones in at their place in evaluation order. Cheaper than rebuilding each table
     * from its groups' rules, which matters for rules over large groups.
     */
    private void patchTables(RuleInfo old, RuleInfo fresh, Set<String> rebuilt, long next, Touched touched) {
        Set<String> reached = new HashSet<>();
        if (old != null) {
            reached.addAll(reach(old));
        }
        if (fresh != null) {
            reached.addAll(reach(fresh));
        }
        for (String vnic : reached) {
            VnicState s = vnics.get(vnic);
            if (s == null || rebuilt.contains(vnic)) {
                continue;
            }
            List<CompiledRule> in = new ArrayList<>(s.ruleSet.in());
            List<CompiledRule> out = new ArrayList<>(s.ruleSet.out());
            if (old != null) {
                if (old.in != null) {
                    in.remove(old.in);
                }
                if (old.out != null) {
                    out.remove(old.out);
                }
            }
            if (fresh != null) {
                Set<String> groups = engine.groupsOfVnic(s.vmId, vnic);
                Rule rule = fresh.rule;
                if (rule.appliedTo().isEmpty() || intersects(rule.appliedTo(), groups)) {
                    if (fresh.out != null && holds(rule.sources(), rule.sourcesNegated(), groups)) {
                        insertInOrder(out, fresh.out);
                    }
                    if (fresh.in != null && holds(rule.destinations(), rule.destinationsNegated(), groups)) {
                        insertInOrder(in, fresh.in);
                    }
                }
            }
            VnicRuleSet current = s.ruleSet;
            install(s, new VnicRuleSet(vnic, current.vmId(), current.hostId(), next, in, out, current.defaultAction(),
                    current.defaultLogged()), touched);
        }
    }

    private static void insertInOrder(List<CompiledRule> entries, CompiledRule entry) {
        int at = java.util.Collections.binarySearch(entries, entry, ORDER);
        entries.add(at < 0 ? -at - 1 : at, entry);
    }

    private void index(RuleInfo r) {
        String id = r.rule.id();
        rules.put(id, r);
        for (String g : r.groups) {
            rulesByGroup.computeIfAbsent(g, k -> new HashSet<>()).add(id);
        }
        if (r.global) {
            globalRules.add(id);
        }
        for (String s : r.rule.services()) {
            rulesByService.computeIfAbsent(s, k -> new HashSet<>()).add(id);
        }
        for (String remote : r.remoteIds()) {
            AddressGroupState a = addressGroups.get(remote);
            if (a == null) {
                List<String> groupIds = List.of(remote.split("\\+"));
                a = new AddressGroupState(remote, groupIds);
                a.addresses = union(groupIds);
                a.generation = generation + 1;
                addressGroups.put(remote, a);
                for (String g : groupIds) {
                    addressGroupsByGroup.computeIfAbsent(g, k -> new HashSet<>()).add(remote);
                }
            }
            a.rules++;
        }
    }

    private void unindex(RuleInfo r) {
        String id = r.rule.id();
        rules.remove(id);
        for (String g : r.groups) {
            removeFrom(rulesByGroup, g, id);
        }
        globalRules.remove(id);
        for (String s : r.rule.services()) {
            removeFrom(rulesByService, s, id);
        }
        for (String remote : r.remoteIds()) {
            if (--addressGroups.get(remote).rules == 0) {
                unreferenced.add(remote);
            }
        }
    }

    /** Drops the address groups that the last change left without rules (only those can be unused). */
    private void dropUnusedAddressGroups() {
        for (String id : unreferenced) {
            AddressGroupState a = addressGroups.get(id);
            if (a != null && a.rules == 0) {
                addressGroups.remove(id);
                for (String g : a.groupIds) {
                    removeFrom(addressGroupsByGroup, g, a.id);
                }
            }
        }
        unreferenced.clear();
    }

    /** Brings a VM's vNICs in line with the model: new ones compiled, gone ones removed, the rest recompiled. */
    private void syncVnicsOfVm(String vmId, long next, Touched touched) {
        Vm vm = model.find(Kind.VM, vmId).orElse(null);
        List<String> now = new ArrayList<>();
        if (vm != null) {
            vm.vnics().forEach(n -> now.add(n.id()));
        }
        for (String old : vnicsOfVm.getOrDefault(vmId, List.of())) {
            if (!now.contains(old)) {
                removeVnic(vnics.get(old), touched);
            }
        }
        if (now.isEmpty()) {
            vnicsOfVm.remove(vmId);
            return;
        }
        vnicsOfVm.put(vmId, now);
        for (String v : now) {
            recompile(vnics.computeIfAbsent(v, k -> new VnicState(k, vmId)), next, touched);
        }
    }

    private void removeVnic(VnicState s, Touched touched) {
        vnics.remove(s.vnicId);
        String host = s.ruleSet.hostId();
        removeFrom(vnicsOfHost, host, s.vnicId);
        release(host, s.remoteIds, touched);
        entries -= s.ruleSet.size();
        touched.vnic(host, s.vnicId);
    }

    /** Rebuilds one vNIC's table; a table that comes out the same keeps its generation. */
    private void recompile(VnicState s, long next, Touched touched) {
        Vm vm = model.find(Kind.VM, s.vmId).orElseThrow();
        install(s, compile(s.vnicId, vm, next), touched);
    }

    /** Makes {@code fresh} the vNIC's table, unless it is the same as the current one. */
    private void install(VnicState s, VnicRuleSet fresh, Touched touched) {
        VnicRuleSet old = s.ruleSet;
        if (fresh.sameRulesAs(old)) {
            return;
        }
        Set<String> remotes = remoteIds(fresh);
        if (old != null && old.hostId().equals(fresh.hostId())) {
            // same host: only the address groups gained or lost move the host's counts
            Set<String> gained = new HashSet<>(remotes);
            gained.removeAll(s.remoteIds);
            Set<String> lost = new HashSet<>(s.remoteIds);
            lost.removeAll(remotes);
            retain(fresh.hostId(), gained, touched);
            release(old.hostId(), lost, touched);
            entries -= old.size();
        } else {
            retain(fresh.hostId(), remotes, touched);
            if (old != null) {
                release(old.hostId(), s.remoteIds, touched);
                removeFrom(vnicsOfHost, old.hostId(), s.vnicId);
                entries -= old.size();
                touched.vnic(old.hostId(), s.vnicId);
            }
        }
        s.ruleSet = fresh;
        s.remoteIds = remotes;
        entries += fresh.size();
        vnicsOfHost.computeIfAbsent(fresh.hostId(), k -> new HashSet<>()).add(s.vnicId);
        touched.vnic(fresh.hostId(), s.vnicId);
    }

    private VnicRuleSet compile(String vnicId, Vm vm, long gen) {
        Set<String> groups = engine.groupsOfVnic(vm.id(), vnicId);
        Set<String> candidates = new HashSet<>(globalRules);
        for (String g : groups) {
            candidates.addAll(rulesByGroup.getOrDefault(g, Set.of()));
        }
        List<CompiledRule> in = new ArrayList<>();
        List<CompiledRule> out = new ArrayList<>();
        for (String id : candidates) {
            RuleInfo r = rules.get(id);
            Rule rule = r.rule;
            if (!rule.appliedTo().isEmpty() && !intersects(rule.appliedTo(), groups)) {
                continue;
            }
            if (r.out != null && holds(rule.sources(), rule.sourcesNegated(), groups)) {
                out.add(r.out);
            }
            if (r.in != null && holds(rule.destinations(), rule.destinationsNegated(), groups)) {
                in.add(r.in);
            }
        }
        in.sort(ORDER);
        out.sort(ORDER);
        DefaultRule d = model.defaultRule();
        return new VnicRuleSet(vnicId, vm.id(), vm.hostId(), gen, in, out, d.action(), d.logged());
    }

    /** Whether a vNIC in {@code groups} is on a side that names {@code side} (empty: ANY). */
    private static boolean holds(List<String> side, boolean negated, Set<String> groups) {
        if (side.isEmpty()) {
            return true;
        }
        return negated != intersects(side, groups);
    }

    private static boolean intersects(List<String> ids, Set<String> groups) {
        for (String id : ids) {
            if (groups.contains(id)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> remoteIds(VnicRuleSet set) {
        Set<String> ids = new HashSet<>();
        for (CompiledRule r : set.in()) {
            if (r.remote() != null) {
                ids.add(r.remote());
            }
        }
        for (CompiledRule r : set.out()) {
            if (r.remote() != null) {
                ids.add(r.remote());
            }
        }
        return ids;
    }

    private void retain(String host, Set<String> ids, Touched touched) {
        for (String id : ids) {
            if (addressGroups.get(id).hostRefs.merge(host, 1, Integer::sum) == 1) {
                touched.addressGroup(host, id, false);
            }
        }
    }

    private void release(String host, Set<String> ids, Touched touched) {
        for (String id : ids) {
            AddressGroupState a = addressGroups.get(id);
            Integer n = a.hostRefs.get(host);
            if (n != null && n == 1) {
                a.hostRefs.remove(host);
                touched.addressGroup(host, id, true);
            } else if (n != null) {
                a.hostRefs.put(host, n - 1);
            }
        }
    }

    /** One delta per touched host, resolved against the state after the change. */
    private void emit(Touched touched) {
        Set<String> hosts = new HashSet<>(touched.vnics.keySet());
        hosts.addAll(touched.addressGroups.keySet());
        for (String host : sorted(hosts)) {
            List<HostRuleSetConsumer> hostConsumers = consumers.get(host);
            if (hostConsumers == null) {
                continue;
            }
            List<VnicRuleSet> sets = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (String v : sorted(touched.vnics.getOrDefault(host, Set.of()))) {
                VnicState s = vnics.get(v);
                if (s != null && s.ruleSet.hostId().equals(host)) {
                    sets.add(s.ruleSet);
                } else {
                    removed.add(v);
                }
            }
            List<AddressGroup> groups = new ArrayList<>();
            List<String> released = new ArrayList<>();
            Map<String, Boolean> touchedGroups = touched.addressGroups.getOrDefault(host, Map.of());
            for (String id : sorted(touchedGroups.keySet())) {
                AddressGroupState a = addressGroups.get(id);
                boolean heldBefore = touchedGroups.get(id);
                boolean heldNow = a != null && a.hostRefs.containsKey(host);
                if (heldNow && (!heldBefore || a.generation == generation)) {
                    groups.add(a.value());
                } else if (!heldNow && heldBefore) {
                    released.add(id);
                }
            }
            DefaultRule d = model.defaultRule();
            HostDelta delta = new HostDelta(host, generation, false, sets, removed, groups, released, d.action(),
                    d.logged());
            for (HostRuleSetConsumer consumer : List.copyOf(hostConsumers)) {
                send(consumer, delta);
            }
        }
    }

    /** Deterministic order for deltas; the lists are short. */
    private static List<String> sorted(Set<String> ids) {
        List<String> list = new ArrayList<>(ids);
        if (list.size() > 1) {
            list.sort(null);
        }
        return list;
    }

    private AddressSet union(List<String> groupIds) {
        AddressSet set = AddressSet.EMPTY;
        for (String g : groupIds) {
            set = set.union(engine.addresses(g));
        }
        return set;
    }

    // ---- whole compiles

    private void build(ModelSnapshot snapshot, long gen) {
        model = snapshot;
        generation = gen;
        engine = new MembershipEngine(snapshot);
        rules.clear();
        rulesByGroup.clear();
        globalRules.clear();
        rulesByService.clear();
        vnics.clear();
        vnicsOfVm.clear();
        vnicsOfHost.clear();
        addressGroups.clear();
        addressGroupsByGroup.clear();
        unreferenced.clear();
        entries = 0;
        for (Policy p : snapshot.policies()) {
            for (Rule r : p.rules()) {
                if (!r.disabled()) {
                    index(new RuleInfo(r, p, snapshot));
                }
            }
        }
        addressGroups.values().forEach(a -> a.generation = gen);
        Touched ignored = new Touched();
        for (Vm vm : snapshot.vms()) {
            List<String> ids = new ArrayList<>();
            for (Vnic n : vm.vnics()) {
                ids.add(n.id());
                VnicState s = new VnicState(n.id(), vm.id());
                vnics.put(n.id(), s);
                recompile(s, gen, ignored);
            }
            if (!ids.isEmpty()) {
                vnicsOfVm.put(vm.id(), ids);
            }
        }
        dropUnusedAddressGroups();
    }

    /** Recompiles everything and gives every attached host its full state. */
    private void rebuild(ModelSnapshot snapshot) {
        build(snapshot, generation + 1);
        for (Map.Entry<String, List<HostRuleSetConsumer>> c : new LinkedHashMap<>(consumers).entrySet()) {
            HostDelta full = fullState(c.getKey());
            for (HostRuleSetConsumer consumer : List.copyOf(c.getValue())) {
                send(consumer, full);
            }
        }
    }

    // ---- preview

    @Override
    public PolicyPreview preview(ModelSnapshot proposed) {
        long compiled = compiledRevision();
        if (proposed.committedRevision() != compiled) {
            throw new StalePreviewException(proposed.committedRevision(), compiled);
        }
        PolicyCompiler then = new PolicyCompiler(proposed);
        lock.readLock().lock();
        try {
            List<PolicyPreview.VnicChange> changes = new ArrayList<>();
            Set<String> ids = new TreeSet<>(vnics.keySet());
            ids.addAll(then.vnics.keySet());
            for (String id : ids) {
                VnicRuleSet now = vnics.containsKey(id) ? vnics.get(id).ruleSet : null;
                VnicRuleSet later = then.vnics.containsKey(id) ? then.vnics.get(id).ruleSet : null;
                if (later != null && later.sameRulesAs(now)) {
                    continue;
                }
                changes.add(vnicChange(id, now, later));
            }
            List<PolicyPreview.AddressGroupChange> groupChanges = new ArrayList<>();
            Set<String> groupIds = new TreeSet<>(addressGroups.keySet());
            groupIds.addAll(then.addressGroups.keySet());
            for (String id : groupIds) {
                AddressSet a = addressGroups.containsKey(id) ? addressGroups.get(id).addresses : AddressSet.EMPTY;
                AddressSet b = then.addressGroups.containsKey(id) ? then.addressGroups.get(id).addresses : AddressSet.EMPTY;
                if (!a.equals(b)) {
                    groupChanges.add(new PolicyPreview.AddressGroupChange(id, b.minus(a).toPrefixes(), a.minus(b).toPrefixes()));
                }
            }
            if (model.revision() != proposed.committedRevision()) {
                throw new StalePreviewException(proposed.committedRevision(), model.revision());
            }
            return new PolicyPreview(generation, changes, groupChanges);
        } finally {
            lock.readLock().unlock();
        }
    }

    private long compiledRevision() {
        lock.readLock().lock();
        try {
            return model.revision();
        } finally {
            lock.readLock().unlock();
        }
    }

    private static PolicyPreview.VnicChange vnicChange(String id, VnicRuleSet now, VnicRuleSet later) {
        List<CompiledRule> before = now == null ? List.of() : all(now);
        List<CompiledRule> after = later == null ? List.of() : all(later);
        List<CompiledRule> added = new ArrayList<>(after);
        added.removeAll(before);
        List<CompiledRule> removed = new ArrayList<>(before);
        removed.removeAll(after);
        boolean reordered = now != null && later != null
                && (reordered(now.in(), later.in()) || reordered(now.out(), later.out()));
        boolean defaultChanged = now != null && later != null
                && (now.defaultAction() != later.defaultAction() || now.defaultLogged() != later.defaultLogged());
        VnicRuleSet any = later != null ? later : now;
        return new PolicyPreview.VnicChange(id, any.vmId(), any.hostId(), added, removed, reordered, defaultChanged);
    }

    /** The rules a table keeps in one direction would come in another order (a policy or rule moved). */
    private static boolean reordered(List<CompiledRule> was, List<CompiledRule> now) {
        Set<String> wasIds = new HashSet<>();
        was.forEach(r -> wasIds.add(r.ruleId()));
        Set<String> nowIds = new HashSet<>();
        now.forEach(r -> nowIds.add(r.ruleId()));
        List<String> wasKept = was.stream().map(CompiledRule::ruleId).filter(nowIds::contains).toList();
        List<String> nowKept = now.stream().map(CompiledRule::ruleId).filter(wasIds::contains).toList();
        return !wasKept.equals(nowKept);
    }

    private static List<CompiledRule> all(VnicRuleSet set) {
        List<CompiledRule> all = new ArrayList<>(set.in());
        all.addAll(set.out());
        return all;
    }

    private static String remoteId(List<String> groupIds) {
        if (groupIds.isEmpty()) {
            return null;
        }
        return AddressGroup.idOf(new ArrayList<>(new TreeSet<>(groupIds)));
    }

    private static void removeFrom(Map<String, Set<String>> index, String key, String value) {
        Set<String> values = index.get(key);
        if (values != null && values.remove(value) && values.isEmpty()) {
            index.remove(key);
        }
    }
}
