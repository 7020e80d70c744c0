package io.ringfence.compiler;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Policy;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.Rule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random small data centers and random changes to them, driven by one seeded {@link Random}: the
 * same seed gives the same sequence of calls. Every change goes through {@link ModelAdminService};
 * changes the manager refuses (cycles, objects in use, taken sequences) are simply refused.
 */
final class RandomDataCenter {

    private static final List<String> TAGS = List.of("app:web", "app:db", "app:api", "env:prod", "env:dev", "tier:1",
            "pci");
    private static final List<String> NAMES = List.of("web-1", "web-2", "db-1", "db-2", "api-1", "cache-3", "jump");
    private static final List<String> OSES = List.of("Ubuntu 22.04", "Ubuntu 20.04", "Windows Server 2019", "RHEL 9");
    private static final List<String> SEGMENTS = List.of("seg-a", "seg-b", "seg-c");
    private static final Map<Criterion.Attribute, List<String>> VALUES = Map.of(
            Criterion.Attribute.TAG, List.of("app:web", "app:db", "app:api", "env:prod", "env:dev", "pci", "app:",
                    "env:", ":prod", "web", "db"),
            Criterion.Attribute.NAME, List.of("web-1", "db-2", "jump", "web", "db", "-1", "-2", "1"),
            Criterion.Attribute.OS, List.of("Ubuntu 22.04", "Ubuntu", "Windows", "2019", "04", "RHEL 9"),
            Criterion.Attribute.SEGMENT, List.of("seg-a", "seg-b", "seg-c", "seg", "-a", "b"));
    private static final String PRINCIPAL = "property-test";

    private final Random rnd;
    private final ModelAdminService admin;
    private final java.util.function.Supplier<ModelSnapshot> model;
    private final List<String> segments;
    /** Creation order of groups: nesting and exclusion mostly point at older groups, to avoid cycles. */
    private final List<String> groupOrder = new ArrayList<>();
    /** Ids of deleted objects by kind, for creates to take again. */
    private final Map<String, List<String>> deletedIds = new HashMap<>();
    private int hosts;
    private int vms;
    private int groups;
    private int services;
    private int policies;
    private int rules;
    private long macs;

    RandomDataCenter(Random rnd, ModelAdminService admin, java.util.function.Supplier<ModelSnapshot> model) {
        this.rnd = rnd;
        this.admin = admin;
        this.model = model;
        List<String> s = new ArrayList<>(SEGMENTS);
        Collections.shuffle(s, rnd);
        this.segments = List.copyOf(s.subList(0, 2 + rnd.nextInt(2)));
    }

    /** The initial population, as a list of changes to make one by one. */
    List<Change> population() {
        List<Change> out = new ArrayList<>();
        int h = 3 + rnd.nextInt(4);
        for (int i = 0; i < h; i++) {
            out.add(this::createHost);
        }
        int v = 5 + rnd.nextInt(21);
        for (int i = 0; i < v; i++) {
            out.add(this::createVm);
        }
        int s = 2 + rnd.nextInt(4);
        for (int i = 0; i < s; i++) {
            out.add(this::createService);
        }
        int g = 4 + rnd.nextInt(7);
        for (int i = 0; i < g; i++) {
            out.add(this::createGroup);
        }
        int p = 2 + rnd.nextInt(3);
        for (int i = 0; i < p; i++) {
            out.add(this::createPolicy);
        }
        if (rnd.nextBoolean()) {
            out.add(this::setDefaultRule);
        }
        return out;
    }

    /** One change; returns what it did, for the failure message. */
    @FunctionalInterface
    interface Change {
        String apply();
    }

    /** A random change to the model. */
    String randomChange() {
        int w = rnd.nextInt(100);
        if (w < 7) {
            return createVm();
        } else if (w < 30) {
            return changeVm();
        } else if (w < 34) {
            return deleteVm();
        } else if (w < 36) {
            return createHost();
        } else if (w < 37) {
            return renameHost();
        } else if (w < 39) {
            return deleteHost();
        } else if (w < 44) {
            return createGroup();
        } else if (w < 54) {
            return changeGroup();
        } else if (w < 57) {
            return deleteGroup();
        } else if (w < 59) {
            return createService();
        } else if (w < 63) {
            return changeService();
        } else if (w < 65) {
            return deleteService();
        } else if (w < 68) {
            return createPolicy();
        } else if (w < 73) {
            return changePolicy();
        } else if (w < 75) {
            return deletePolicy();
        } else if (w < 83) {
            return createRule();
        } else if (w < 93) {
            return replaceRule();
        } else if (w < 97) {
            return deleteRule();
        } else {
            return setDefaultRule();
        }
    }

    // ---- hosts

    String createHost() {
        String id = freshOrReused("host", () -> "h" + hosts++);
        admin.create(Kind.HOST, new Host(id, "host " + id, null, null, 0), PRINCIPAL);
        return "create host " + id;
    }

    String renameHost() {
        Host h = pick(model.get().hosts());
        if (h == null) {
            return createHost();
        }
        admin.replace(Kind.HOST, h.id(), new Host(h.id(), h.name() + "'", null, "renamed", 0), null, PRINCIPAL);
        return "rename host " + h.id();
    }

    String deleteHost() {
        ModelSnapshot m = model.get();
        // prefer a host without VMs, so that the delete goes through now and then
        List<Host> empty = m.hosts().stream().filter(h -> m.vms().stream().noneMatch(v -> v.hostId().equals(h.id())))
                .toList();
        Host h = !empty.isEmpty() && rnd.nextInt(3) > 0 ? pick(empty) : pick(m.hosts());
        if (h == null) {
            return createHost();
        }
        admin.delete(Kind.HOST, h.id(), null, PRINCIPAL);
        deleted("host", h.id());
        return "delete host " + h.id();
    }

    // ---- VMs

    String createVm() {
        ModelSnapshot m = model.get();
        Host h = pick(m.hosts());
        if (h == null) {
            return createHost();
        }
        String id = freshOrReused("vm", () -> "vm" + vms++);
        List<Vnic> vnics = new ArrayList<>();
        int n = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            vnics.add(randomVnic());
        }
        admin.create(Kind.VM, new Vm(id, pick(NAMES), h.id(), randomOs(), randomTags(), vnics, 0), PRINCIPAL);
        return "create vm " + id + " on " + h.id() + " with " + n + " vNICs";
    }

    String changeVm() {
        ModelSnapshot m = model.get();
        Vm vm = pick(m.vms());
        if (vm == null) {
            return createVm();
        }
        String name = vm.name();
        String hostId = vm.hostId();
        String os = vm.os();
        List<String> tags = vm.tags();
        List<Vnic> vnics = new ArrayList<>(vm.vnics());
        List<String> what = new ArrayList<>();
        int changes = rnd.nextInt(10) == 0 ? 2 : 1;
        for (int c = 0; c < changes; c++) {
            switch (rnd.nextInt(10)) {
                case 0 -> {
                    tags = randomTags();
                    what.add("tags " + tags);
                }
                case 1 -> {
                    name = pick(NAMES);
                    what.add("name " + name);
                }
                case 2 -> {
                    os = randomOs();
                    what.add("os " + os);
                }
                case 3 -> {
                    hostId = pick(m.hosts()).id();
                    what.add("move to " + hostId);
                }
                case 4 -> {
                    vnics.add(randomVnic());
                    what.add("add vNIC");
                }
                case 5 -> {
                    if (!vnics.isEmpty()) {
                        Vnic gone = vnics.remove(rnd.nextInt(vnics.size()));
                        what.add("remove vNIC " + gone.id());
                    }
                }
                case 6 -> {
                    if (!vnics.isEmpty()) {
                        int i = rnd.nextInt(vnics.size());
                        Vnic n = vnics.get(i);
                        Vnic changed = new Vnic(n.id(), n.mac(), randomAddresses(n.segment()), n.segment());
                        vnics.set(i, changed);
                        what.add("addresses of " + n.id() + " " + changed.addresses());
                    }
                }
                case 7 -> {
                    if (!vnics.isEmpty()) {
                        int i = rnd.nextInt(vnics.size());
                        Vnic n = vnics.get(i);
                        String segment = randomSegment();
                        vnics.set(i, new Vnic(n.id(), n.mac(), n.addresses(), segment));
                        what.add("segment of " + n.id() + " " + segment);
                    }
                }
                case 8 -> {
                    // resubmitted without id: keeps its id through its MAC
                    if (!vnics.isEmpty()) {
                        int i = rnd.nextInt(vnics.size());
                        Vnic n = vnics.get(i);
                        vnics.set(i, new Vnic(null, n.mac(), n.addresses(), n.segment()));
                        what.add("vNIC " + n.id() + " without id");
                    }
                }
                default -> {
                    Collections.reverse(vnics);
                    what.add("reverse vNIC order");
                }
            }
        }
        admin.replace(Kind.VM, vm.id(), new Vm(vm.id(), name, hostId, os, tags, vnics, 0), null, PRINCIPAL);
        return "change vm " + vm.id() + ": " + String.join(", ", what);
    }

    String deleteVm() {
        Vm vm = pick(model.get().vms());
        if (vm == null) {
            return createVm();
        }
        admin.delete(Kind.VM, vm.id(), null, PRINCIPAL);
        deleted("vm", vm.id());
        return "delete vm " + vm.id();
    }

    private Vnic randomVnic() {
        String segment = randomSegment();
        macs++;
        return new Vnic(null, new MacAddress(0x02_00_00_00_00_00L + macs), randomAddresses(segment), segment);
    }

    private String randomSegment() {
        return rnd.nextInt(20) == 0 ? null : pick(segments);
    }

    /** Mostly one IPv4 address in the segment's /24 and often an IPv6 one; now and then none. */
    private List<IpPrefix> randomAddresses(String segment) {
        int s = segment == null ? 9 : SEGMENTS.indexOf(segment) + 1;
        List<IpPrefix> out = new ArrayList<>();
        if (rnd.nextInt(10) < 8) {
            out.add(IpPrefix.parse("10.0." + s + "." + (1 + rnd.nextInt(30))));
        }
        if (rnd.nextBoolean()) {
            out.add(IpPrefix.parse("2001:db8:" + s + "::" + Integer.toHexString(1 + rnd.nextInt(30))));
        }
        if (rnd.nextInt(8) == 0) {
            // a second IPv4 address in another segment's range
            IpPrefix extra = IpPrefix.parse("10.0." + (1 + rnd.nextInt(3)) + "." + (1 + rnd.nextInt(30)));
            if (!out.contains(extra)) {
                out.add(extra);
            }
        }
        return out;
    }

    private List<String> randomTags() {
        Set<String> tags = new LinkedHashSet<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            tags.add(pick(TAGS));
        }
        return List.copyOf(tags);
    }

    private String randomOs() {
        return rnd.nextInt(5) == 0 ? null : pick(OSES);
    }

    // ---- groups

    String createGroup() {
        String id = freshOrReused("group", () -> "g" + groups++);
        admin.create(Kind.GROUP, randomGroup(id), PRINCIPAL);
        groupOrder.add(id);
        return "create group " + id;
    }

    String changeGroup() {
        Group g = pick(model.get().groups());
        if (g == null) {
            return createGroup();
        }
        Group changed;
        String what;
        if (rnd.nextInt(3) == 0) {
            changed = randomGroup(g.id());
            what = "new definition";
        } else {
            Criterion criteria = g.criteria();
            List<String> vmIds = new ArrayList<>(g.vms());
            List<IpPrefix> addresses = new ArrayList<>(g.addresses());
            List<String> nested = new ArrayList<>(g.groups());
            List<String> excludedVms = new ArrayList<>(g.excludedVms());
            List<String> excludedGroups = new ArrayList<>(g.excludedGroups());
            List<IpPrefix> excludedAddresses = new ArrayList<>(g.excludedAddresses());
            switch (rnd.nextInt(7)) {
                case 0 -> {
                    criteria = criteria == null || rnd.nextBoolean() ? randomCriterion(0) : null;
                    what = "criteria " + criteria;
                }
                case 1 -> what = "static vms " + toggle(vmIds, vmIdOrNull());
                case 2 -> what = "addresses " + toggle(addresses, randomCidr());
                case 3 -> what = "nested groups " + toggle(nested, olderGroup(g.id()));
                case 4 -> what = "excluded vms " + toggle(excludedVms, vmIdOrNull());
                case 5 -> what = "excluded groups " + toggle(excludedGroups, olderGroup(g.id()));
                default -> what = "excluded addresses " + toggle(excludedAddresses, randomCidr());
            }
            changed = new Group(g.id(), g.name(), null, criteria, vmIds, addresses, nested, excludedVms,
                    excludedGroups, excludedAddresses, 0);
        }
        admin.replace(Kind.GROUP, g.id(), changed, null, PRINCIPAL);
        return "change group " + g.id() + ": " + what;
    }

    String deleteGroup() {
        Group g = pick(model.get().groups());
        if (g == null) {
            return createGroup();
        }
        admin.delete(Kind.GROUP, g.id(), null, PRINCIPAL);
        deleted("group", g.id());
        groupOrder.remove(g.id());
        return "delete group " + g.id();
    }

    private Group randomGroup(String id) {
        Criterion criteria = rnd.nextInt(10) < 6 ? randomCriterion(0) : null;
        List<String> vmIds = new ArrayList<>();
        List<IpPrefix> addresses = new ArrayList<>();
        List<String> nested = new ArrayList<>();
        List<String> excludedVms = new ArrayList<>();
        List<String> excludedGroups = new ArrayList<>();
        List<IpPrefix> excludedAddresses = new ArrayList<>();
        if (rnd.nextInt(10) < 3) {
            addDistinct(vmIds, vmIdOrNull(), 1 + rnd.nextInt(2));
        }
        if (rnd.nextInt(10) < 3) {
            for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
                addresses.add(randomCidr());
            }
        }
        if (rnd.nextInt(10) < 3) {
            addDistinct(nested, olderGroup(id), 1 + rnd.nextInt(2));
        }
        if (rnd.nextInt(100) < 15) {
            addDistinct(excludedVms, vmIdOrNull(), 1);
        }
        if (rnd.nextInt(100) < 15) {
            addDistinct(excludedGroups, olderGroup(id), 1);
        }
        if (rnd.nextInt(100) < 20) {
            excludedAddresses.add(randomCidr());
        }
        return new Group(id, "group " + id, null, criteria, vmIds, addresses, nested, excludedVms, excludedGroups,
                excludedAddresses, 0);
    }

    private Criterion randomCriterion(int depth) {
        if (depth < 2 && rnd.nextInt(10) < 3) {
            List<Criterion> terms = new ArrayList<>();
            for (int i = 2 + rnd.nextInt(2); i > 0; i--) {
                terms.add(randomCriterion(depth + 1));
            }
            return rnd.nextBoolean() ? new Criterion.All(terms) : new Criterion.Any(terms);
        }
        Criterion.Attribute a = pick(List.of(Criterion.Attribute.values()));
        Criterion.Operator o = pick(List.of(Criterion.Operator.values()));
        return new Criterion.Condition(a, o, pick(VALUES.get(a)));
    }

    private IpPrefix randomCidr() {
        int s = 1 + rnd.nextInt(3);
        String x = Integer.toString(1 + rnd.nextInt(30));
        List<String> shapes = List.of("10.0.0.0/16", "10.0.S.0/24", "10.0.S.0/28", "10.0.S.16/28", "10.0.S.8/29",
                "10.0.S.X", "10.0.S.X", "2001:db8:S::/64", "2001:db8:S::/124", "2001:db8:S::10/124", "2001:db8:S::X",
                "192.0.2.0/24", "2001:db8::/32");
        String shape = pick(shapes).replace("S", Integer.toString(s));
        if (shape.startsWith("2001")) {
            shape = shape.replace("X", Integer.toHexString(Integer.parseInt(x)));
        } else {
            shape = shape.replace("X", x);
        }
        return IpPrefix.parse(shape);
    }

    /** A group created before {@code id} (usually), or any other group; null when there is none. */
    private String olderGroup(String id) {
        ModelSnapshot m = model.get();
        List<String> candidates = new ArrayList<>();
        int at = groupOrder.indexOf(id);
        boolean anyOrder = rnd.nextInt(100) < 15;
        for (int i = 0; i < groupOrder.size(); i++) {
            String g = groupOrder.get(i);
            if (!g.equals(id) && m.find(Kind.GROUP, g).isPresent() && (anyOrder || at < 0 || i < at)) {
                candidates.add(g);
            }
        }
        return pick(candidates);
    }

    private String vmIdOrNull() {
        Vm vm = pick(model.get().vms());
        return vm == null ? null : vm.id();
    }

    private static <T> String toggle(List<T> list, T item) {
        if (item == null) {
            return "unchanged";
        }
        if (list.remove(item)) {
            return "-" + item;
        }
        list.add(item);
        return "+" + item;
    }

    private static <T> void addDistinct(List<T> list, T item, int times) {
        for (int i = 0; i < times; i++) {
            if (item != null && !list.contains(item)) {
                list.add(item);
            }
        }
    }

    // ---- services

    String createService() {
        String id = freshOrReused("service", () -> "s" + services++);
        admin.create(Kind.SERVICE, new Service(id, "service " + id, null, randomEntries(), 0), PRINCIPAL);
        return "create service " + id;
    }

    String changeService() {
        Service s = pick(model.get().services());
        if (s == null) {
            return createService();
        }
        List<ServiceEntry> entries = randomEntries();
        admin.replace(Kind.SERVICE, s.id(), new Service(s.id(), s.name(), null, entries, 0), null, PRINCIPAL);
        return "change service " + s.id() + " to " + entries;
    }

    String deleteService() {
        Service s = pick(model.get().services());
        if (s == null) {
            return createService();
        }
        admin.delete(Kind.SERVICE, s.id(), null, PRINCIPAL);
        deleted("service", s.id());
        return "delete service " + s.id();
    }

    private List<ServiceEntry> randomEntries() {
        List<ServiceEntry> out = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
            out.add(switch (rnd.nextInt(6)) {
                case 0 -> new ServiceEntry(Protocol.TCP, List.of(PortRange.parse(pick(List.of("22", "80", "443",
                        "8000-8080")))), List.of(), null, null);
                case 1 -> new ServiceEntry(Protocol.UDP, List.of(PortRange.of(53)), List.of(), null, null);
                case 2 -> new ServiceEntry(Protocol.ICMP, List.of(), List.of(), 8, rnd.nextBoolean() ? 0 : null);
                case 3 -> new ServiceEntry(Protocol.ICMPV6, List.of(), List.of(), 128, null);
                case 4 -> new ServiceEntry(Protocol.TCP, List.of(), List.of(PortRange.parse("1024-65535")), null, null);
                default -> new ServiceEntry(Protocol.ANY, List.of(), List.of(), null, null);
            });
        }
        return out;
    }

    // ---- policies and rules

    String createPolicy() {
        String id = freshOrReused("policy", () -> "p" + policies++);
        List<Rule> list = new ArrayList<>();
        List<Integer> sequences = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sequences.add(i * 5);
        }
        Collections.shuffle(sequences, rnd);
        for (int i = 1 + rnd.nextInt(6); i > 0; i--) {
            list.add(randomRule(nextRuleId(), rnd.nextBoolean() ? sequences.remove(0) : null));
        }
        Category c = pick(List.of(Category.values()));
        admin.create(Kind.POLICY, new Policy(id, "policy " + id, null, c, randomPolicySequence(), list, 0), PRINCIPAL);
        return "create policy " + id + " in " + c + " with " + list.size() + " rules";
    }

    String changePolicy() {
        Policy p = pick(model.get().policies());
        if (p == null) {
            return createPolicy();
        }
        Category category = p.category();
        Integer sequence = p.sequence();
        List<Rule> list = new ArrayList<>(p.rules());
        String what;
        switch (rnd.nextInt(5)) {
            case 0 -> {
                category = pick(List.of(Category.values()));
                sequence = rnd.nextBoolean() ? null : randomPolicySequence();
                what = "category " + category + " sequence " + sequence;
            }
            case 1 -> {
                sequence = randomPolicySequence();
                what = "sequence " + sequence;
            }
            case 2 -> {
                // new rule sequences: the rules change order
                List<Integer> sequences = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    sequences.add(i * 7);
                }
                Collections.shuffle(sequences, rnd);
                for (int i = 0; i < list.size(); i++) {
                    Rule r = list.get(i);
                    list.set(i, r.withIdentity(r.id(), sequences.get(i), 0));
                }
                what = "rules reordered";
            }
            case 3 -> {
                list.add(randomRule(nextRuleId(), null));
                if (list.size() > 1 && rnd.nextBoolean()) {
                    list.remove(rnd.nextInt(list.size() - 1));
                }
                what = "rules added/removed";
            }
            default -> {
                list.clear();
                for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                    list.add(randomRule(nextRuleId(), null));
                }
                what = "all rules replaced";
            }
        }
        admin.replace(Kind.POLICY, p.id(), new Policy(p.id(), p.name(), null, category, sequence, list, 0), null,
                PRINCIPAL);
        Set<String> kept = new java.util.HashSet<>();
        list.forEach(r -> kept.add(r.id()));
        p.rules().stream().map(Rule::id).filter(id -> !kept.contains(id)).forEach(id -> deleted("rule", id));
        return "change policy " + p.id() + ": " + what;
    }

    String deletePolicy() {
        Policy p = pick(model.get().policies());
        if (p == null) {
            return createPolicy();
        }
        admin.delete(Kind.POLICY, p.id(), null, PRINCIPAL);
        deleted("policy", p.id());
        p.rules().forEach(r -> deleted("rule", r.id()));
        return "delete policy " + p.id();
    }

    String createRule() {
        Policy p = pick(model.get().policies());
        if (p == null) {
            return createPolicy();
        }
        Integer sequence = rnd.nextBoolean() ? null : 5 * rnd.nextInt(25);
        Rule r = admin.createRule(p.id(), randomRule(nextRuleId(), sequence), PRINCIPAL);
        return "create rule " + r.id() + " in " + p.id() + " at " + r.sequence();
    }

    String replaceRule() {
        Policy p = pick(model.get().policies().stream().filter(x -> !x.rules().isEmpty()).toList());
        if (p == null) {
            return createRule();
        }
        Rule r = pick(p.rules());
        Rule changed;
        String what;
        if (rnd.nextInt(3) == 0) {
            changed = randomRule(r.id(), rnd.nextBoolean() ? null : 5 * rnd.nextInt(25));
            what = "new definition";
        } else {
            List<String> sources = new ArrayList<>(r.sources());
            List<String> destinations = new ArrayList<>(r.destinations());
            List<String> servicesOf = new ArrayList<>(r.services());
            List<String> appliedTo = new ArrayList<>(r.appliedTo());
            boolean sourcesNegated = r.sourcesNegated();
            boolean destinationsNegated = r.destinationsNegated();
            Direction direction = r.direction();
            Action action = r.action();
            boolean logged = r.logged();
            boolean disabled = r.disabled();
            boolean staged = r.staged();
            String tag = r.tag();
            Integer sequence = r.sequence();
            switch (rnd.nextInt(11)) {
                case 0 -> what = "sources " + toggle(sources, groupIdOrNull());
                case 1 -> what = "destinations " + toggle(destinations, groupIdOrNull());
                case 2 -> {
                    sourcesNegated = !sourcesNegated;
                    what = "sources negated " + sourcesNegated;
                }
                case 3 -> {
                    destinationsNegated = !destinationsNegated;
                    what = "destinations negated " + destinationsNegated;
                }
                case 4 -> what = "services " + toggle(servicesOf, serviceIdOrNull());
                case 5 -> what = "applied to " + toggle(appliedTo, groupIdOrNull());
                case 6 -> {
                    direction = pick(List.of(Direction.values()));
                    what = "direction " + direction;
                }
                case 7 -> {
                    action = pick(List.of(Action.values()));
                    logged = rnd.nextBoolean();
                    tag = rnd.nextBoolean() ? null : pick(List.of("t1", "t2"));
                    what = "action " + action + " logged " + logged + " tag " + tag;
                }
                case 8 -> {
                    if (rnd.nextBoolean()) {
                        disabled = !disabled;
                        what = "disabled " + disabled;
                    } else {
                        staged = !staged;
                        what = "staged " + staged;
                    }
                }
                case 9 -> {
                    sequence = 5 * rnd.nextInt(25);
                    what = "sequence " + sequence;
                }
                default -> {
                    Collections.reverse(servicesOf);
                    Collections.reverse(sources);
                    what = "service and source order reversed";
                }
            }
            // negating ANY is refused; keep the change valid most of the time
            sourcesNegated &= !sources.isEmpty();
            destinationsNegated &= !destinations.isEmpty();
            changed = new Rule(r.id(), r.name(), sequence, sources, sourcesNegated, destinations, destinationsNegated,
                    servicesOf, appliedTo, direction, action, logged, disabled, staged, tag, 0);
        }
        admin.replaceRule(p.id(), r.id(), changed, null, PRINCIPAL);
        return "replace rule " + r.id() + " of " + p.id() + ": " + what;
    }

    String deleteRule() {
        Policy p = pick(model.get().policies().stream().filter(x -> !x.rules().isEmpty()).toList());
        if (p == null) {
            return createRule();
        }
        Rule r = pick(p.rules());
        admin.deleteRule(p.id(), r.id(), null, PRINCIPAL);
        deleted("rule", r.id());
        return "delete rule " + r.id() + " of " + p.id();
    }

    String setDefaultRule() {
        DefaultRule d = new DefaultRule(rnd.nextBoolean() ? Action.ALLOW : Action.DROP, rnd.nextBoolean(), 0);
        admin.setDefaultRule(d, null, PRINCIPAL);
        return "default rule " + d.action() + (d.logged() ? " logged" : "");
    }

    private Rule randomRule(String id, Integer sequence) {
        List<String> sources = randomGroupIds(3);
        List<String> destinations = randomGroupIds(3);
        List<String> servicesOf = new ArrayList<>();
        if (rnd.nextBoolean()) {
            addDistinct(servicesOf, serviceIdOrNull(), 1);
            if (rnd.nextBoolean()) {
                addDistinct(servicesOf, serviceIdOrNull(), 1);
            }
        }
        List<String> appliedTo = rnd.nextInt(4) == 0 ? randomGroupIds(0) : List.of();
        boolean sourcesNegated = !sources.isEmpty() && rnd.nextInt(5) == 0;
        boolean destinationsNegated = !destinations.isEmpty() && rnd.nextInt(5) == 0;
        return new Rule(id, rnd.nextBoolean() ? null : "rule " + id, sequence, sources, sourcesNegated, destinations,
                destinationsNegated, servicesOf, appliedTo, pick(List.of(Direction.values())),
                pick(List.of(Action.values())), rnd.nextInt(5) == 0, rnd.nextInt(7) == 0, rnd.nextInt(6) == 0,
                rnd.nextInt(5) == 0 ? pick(List.of("t1", "t2")) : null, 0);
    }

    /** 0-2 distinct group ids; empty (ANY) about once in {@code anyOdds}+1 (never when anyOdds is 0). */
    private List<String> randomGroupIds(int anyOdds) {
        List<String> out = new ArrayList<>();
        if (anyOdds > 0 && rnd.nextInt(anyOdds + 1) == 0) {
            return out;
        }
        addDistinct(out, groupIdOrNull(), 1);
        if (rnd.nextInt(3) == 0) {
            addDistinct(out, groupIdOrNull(), 1);
        }
        return out;
    }

    private Integer randomPolicySequence() {
        return rnd.nextInt(4) == 0 ? null : 10 * rnd.nextInt(6);
    }

    private String nextRuleId() {
        return freshOrReused("rule", () -> "r" + rules++);
    }

    private String groupIdOrNull() {
        Group g = pick(model.get().groups());
        return g == null ? null : g.id();
    }

    private String serviceIdOrNull() {
        Service s = pick(model.get().services());
        return s == null ? null : s.id();
    }

    /** Half the time, the id of an object of the kind deleted earlier: ids come back after a delete. */
    private String freshOrReused(String kind, java.util.function.Supplier<String> fresh) {
        List<String> gone = deletedIds.getOrDefault(kind, new ArrayList<>());
        if (!gone.isEmpty() && rnd.nextBoolean()) {
            return gone.remove(rnd.nextInt(gone.size()));
        }
        return fresh.get();
    }

    private void deleted(String kind, String id) {
        deletedIds.computeIfAbsent(kind, k -> new ArrayList<>()).add(id);
    }

    private <T> T pick(Collection<T> items) {
        if (items.isEmpty()) {
            return null;
        }
        int i = rnd.nextInt(items.size());
        for (T t : items) {
            if (i-- == 0) {
                return t;
            }
        }
        throw new AssertionError();
    }
}
