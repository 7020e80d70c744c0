package io.ringfence.manager.internal;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Action;
import io.ringfence.model.Criterion;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.PortRange;
import io.ringfence.model.Rule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an object against the model it is about to become part of: field constraints, references
 * to other objects, uniqueness across the model and group cycles. Field paths are JSON pointers
 * into the submitted object, so a client can point at what to fix.
 */
final class ModelValidator {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final int MAX_NAME = 255;
    static final int MAX_TEXT = 4096;
    static final int MAX_CRITERIA_DEPTH = 5;
    static final int MAX_LIST = 10_000;
    /** Sequences stay far enough below Integer.MAX_VALUE that "after the last" cannot overflow. */
    static final int MAX_SEQUENCE = 1_000_000_000;

    private ModelValidator() {
    }

    static void validateHost(Host h) {
        Violations v = new Violations("");
        name(v, h.name(), true);
        text(v, "/description", h.description());
        if (h.address() != null && !h.address().isHost()) {
            v.add("/address", "must be a single address, not a prefix");
        }
        v.throwIfAny();
    }

    static void validateVm(ModelSnapshot model, Vm vm) {
        Violations v = new Violations("");
        name(v, vm.name(), true);
        if (vm.hostId() == null || vm.hostId().isBlank()) {
            v.add("/hostId", "is required");
        } else if (model.find(Kind.HOST, vm.hostId()).isEmpty()) {
            v.add("/hostId", "host '" + vm.hostId() + "' does not exist");
        }
        if (vm.os() != null && vm.os().length() > MAX_NAME) {
            v.add("/os", "must be at most " + MAX_NAME + " characters");
        }
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < vm.tags().size(); i++) {
            String t = vm.tags().get(i);
            if (t == null || t.isBlank()) {
                v.add("/tags/" + i, "must not be blank");
            } else if (t.length() > 256) {
                v.add("/tags/" + i, "must be at most 256 characters");
            } else if (!tags.add(t)) {
                v.add("/tags/" + i, "duplicate tag '" + t + "'");
            }
        }
        if (vm.vnics().size() > 64) {
            v.add("/vnics", "a VM has at most 64 vNICs");
        }
        // vNIC ids and MACs are unique across the data center, addresses within a segment
        Map<String, String> vnicOwner = new HashMap<>();
        Map<Long, String> macOwner = new HashMap<>();
        for (Vm other : model.vms()) {
            if (other.id().equals(vm.id())) {
                continue;
            }
            for (Vnic n : other.vnics()) {
                vnicOwner.put(n.id(), other.id());
                if (n.mac() != null) {
                    macOwner.put(n.mac().value(), other.id());
                }
            }
        }
        Set<String> ownIds = new HashSet<>();
        Set<Long> ownMacs = new HashSet<>();
        for (int i = 0; i < vm.vnics().size(); i++) {
            Vnic n = vm.vnics().get(i);
            String at = "/vnics/" + i;
            if (n == null) {
                v.add(at, "must not be null");
                continue;
            }
            if (n.id() != null) {
                if (!ID.matcher(n.id()).matches()) {
                    v.add(at + "/id", "must match " + ID.pattern());
                } else if (!ownIds.add(n.id())) {
                    v.add(at + "/id", "duplicate vNIC id '" + n.id() + "'");
                } else if (vnicOwner.containsKey(n.id())) {
                    v.add(at + "/id", "vNIC id '" + n.id() + "' is already used by VM '" + vnicOwner.get(n.id()) + "'");
                }
            }
            if (n.mac() == null) {
                v.add(at + "/mac", "is required");
            } else if (n.mac().isMulticast()) {
                v.add(at + "/mac", "'" + n.mac() + "' is a multicast address");
            } else if (!ownMacs.add(n.mac().value())) {
                v.add(at + "/mac", "duplicate MAC '" + n.mac() + "'");
            } else if (macOwner.containsKey(n.mac().value())) {
                v.add(at + "/mac", "MAC '" + n.mac() + "' is already used by VM '" + macOwner.get(n.mac().value()) + "'");
            }
            if (n.segment() != null && (n.segment().isBlank() || n.segment().length() > MAX_NAME)) {
                v.add(at + "/segment", "must be 1-" + MAX_NAME + " characters");
            }
            Set<IpPrefix> addrs = new HashSet<>();
            for (int j = 0; j < n.addresses().size(); j++) {
                IpPrefix a = n.addresses().get(j);
                if (a == null) {
                    v.add(at + "/addresses/" + j, "must not be null");
                } else if (!a.isHost()) {
                    v.add(at + "/addresses/" + j, "'" + a + "' is a prefix; a vNIC has single addresses");
                } else if (!addrs.add(a)) {
                    v.add(at + "/addresses/" + j, "duplicate address '" + a + "'");
                }
            }
            if (n.addresses().size() > 256) {
                v.add(at + "/addresses", "a vNIC has at most 256 addresses");
            }
        }
        v.throwIfAny();
    }

    static void validateService(Service s) {
        Violations v = new Violations("");
        name(v, s.name(), true);
        text(v, "/description", s.description());
        if (s.entries().isEmpty()) {
            v.add("/entries", "at least one entry is required");
        }
        if (s.entries().size() > 256) {
            v.add("/entries", "at most 256 entries");
        }
        for (int i = 0; i < s.entries().size(); i++) {
            ServiceEntry e = s.entries().get(i);
            String at = "/entries/" + i;
            if (e == null) {
                v.add(at, "must not be null");
                continue;
            }
            if (e.protocol() == null) {
                v.add(at + "/protocol", "is required (TCP, UDP, ICMP, ICMPV6 or ANY)");
                continue;
            }
            if (!e.protocol().hasPorts()) {
                if (!e.destinationPorts().isEmpty()) {
                    v.add(at + "/destinationPorts", "ports apply to TCP and UDP only, not " + e.protocol());
                }
                if (!e.sourcePorts().isEmpty()) {
                    v.add(at + "/sourcePorts", "ports apply to TCP and UDP only, not " + e.protocol());
                }
            }
            ports(v, at + "/destinationPorts", e.destinationPorts());
            ports(v, at + "/sourcePorts", e.sourcePorts());
            if (!e.protocol().isIcmp()) {
                if (e.icmpType() != null) {
                    v.add(at + "/icmpType", "applies to ICMP and ICMPV6 only, not " + e.protocol());
                }
                if (e.icmpCode() != null) {
                    v.add(at + "/icmpCode", "applies to ICMP and ICMPV6 only, not " + e.protocol());
                }
            } else {
                if (e.icmpType() != null && (e.icmpType() < 0 || e.icmpType() > 255)) {
                    v.add(at + "/icmpType", "ICMP type " + e.icmpType() + " is out of range 0-255");
                }
                if (e.icmpCode() != null && (e.icmpCode() < 0 || e.icmpCode() > 255)) {
                    v.add(at + "/icmpCode", "ICMP code " + e.icmpCode() + " is out of range 0-255");
                }
                if (e.icmpCode() != null && e.icmpType() == null) {
                    v.add(at + "/icmpCode", "an ICMP code needs an ICMP type");
                }
            }
        }
        v.throwIfAny();
    }

    private static void ports(Violations v, String at, List<PortRange> ports) {
        if (ports.size() > 1024) {
            v.add(at, "at most 1024 port ranges");
        }
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i) == null) {
                v.add(at + "/" + i, "must not be null");
            }
        }
    }

    static void validateGroup(ModelSnapshot model, Group g) {
        Violations v = new Violations("");
        name(v, g.name(), true);
        text(v, "/description", g.description());
        if (g.criteria() != null) {
            criterion(v, "/criteria", g.criteria(), 1);
        }
        refs(v, "/vms", g.vms(), model, Kind.VM);
        refs(v, "/excludedVms", g.excludedVms(), model, Kind.VM);
        refs(v, "/groups", g.groups(), model, Kind.GROUP);
        refs(v, "/excludedGroups", g.excludedGroups(), model, Kind.GROUP);
        prefixes(v, "/addresses", g.addresses());
        prefixes(v, "/excludedAddresses", g.excludedAddresses());
        if (v.isEmpty()) {
            List<String> cycle = GroupGraph.findCycle(model, g);
            if (cycle != null) {
                String path = String.join(" -> ", cycle);
                boolean viaNested = g.groups().contains(cycle.get(1));
                v.add(viaNested ? "/groups" : "/excludedGroups", "group cycle: " + path);
            }
        }
        v.throwIfAny();
    }

    private static void criterion(Violations v, String at, Criterion c, int depth) {
        if (depth > MAX_CRITERIA_DEPTH) {
            v.add(at, "criteria nest at most " + MAX_CRITERIA_DEPTH + " levels deep");
            return;
        }
        if (c instanceof Criterion.Condition cond) {
            if (cond.attribute() == null) {
                v.add(at + "/attribute", "is required (TAG, NAME, OS or SEGMENT)");
            }
            if (cond.operator() == null) {
                v.add(at + "/operator", "is required (EQUALS, NOT_EQUALS, STARTS_WITH, ENDS_WITH or CONTAINS)");
            }
            if (cond.value() == null || cond.value().isEmpty()) {
                v.add(at + "/value", "is required");
            } else if (cond.value().length() > 256) {
                v.add(at + "/value", "must be at most 256 characters");
            }
        } else if (c instanceof Criterion.All all) {
            terms(v, at + "/all", all.all(), depth);
        } else if (c instanceof Criterion.Any any) {
            terms(v, at + "/any", any.any(), depth);
        }
    }

    private static void terms(Violations v, String at, List<Criterion> terms, int depth) {
        if (terms.isEmpty()) {
            v.add(at, "must hold at least one criterion");
        }
        if (terms.size() > 64) {
            v.add(at, "at most 64 criteria");
        }
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) == null) {
                v.add(at + "/" + i, "must not be null");
            } else {
                criterion(v, at + "/" + i, terms.get(i), depth + 1);
            }
        }
    }

    static void validatePolicy(ModelSnapshot model, Policy p) {
        Violations v = new Violations("");
        name(v, p.name(), true);
        text(v, "/description", p.description());
        if (p.category() == null) {
            v.add("/category", "is required (EMERGENCY, INFRASTRUCTURE, ENVIRONMENT or APPLICATION)");
        }
        if (p.sequence() != null && (p.sequence() < 0 || p.sequence() > MAX_SEQUENCE)) {
            v.add("/sequence", "must be 0-" + MAX_SEQUENCE);
        }
        if (p.category() != null && p.sequence() != null) {
            for (Policy other : model.policies()) {
                if (!other.id().equals(p.id()) && other.category() == p.category()
                        && p.sequence().equals(other.sequence())) {
                    v.add("/sequence", "sequence " + p.sequence() + " is already taken in category "
                            + p.category() + " by policy '" + other.id() + "'");
                }
            }
        }
        if (p.rules().size() > MAX_LIST) {
            v.add("/rules", "at most " + MAX_LIST + " rules per policy");
        }
        Map<String, String> ruleOwner = new HashMap<>();
        for (Policy other : model.policies()) {
            if (!other.id().equals(p.id())) {
                other.rules().forEach(r -> ruleOwner.put(r.id(), other.id()));
            }
        }
        Set<String> ids = new HashSet<>();
        Set<Integer> sequences = new HashSet<>();
        for (int i = 0; i < p.rules().size(); i++) {
            Rule r = p.rules().get(i);
            if (r == null) {
                v.add("/rules/" + i, "must not be null");
                continue;
            }
            validateRule(v.at("/rules/" + i), model, r);
            if (!ids.add(r.id())) {
                v.add("/rules/" + i + "/id", "duplicate rule id '" + r.id() + "'");
            } else if (ruleOwner.containsKey(r.id())) {
                v.add("/rules/" + i + "/id", "rule id '" + r.id() + "' is already used in policy '" + ruleOwner.get(r.id()) + "'");
            }
            if (r.sequence() != null && !sequences.add(r.sequence())) {
                v.add("/rules/" + i + "/sequence", "duplicate rule sequence " + r.sequence() + " in this policy");
            }
        }
        v.throwIfAny();
    }

    /** Checks one rule; {@code v} carries the path prefix of the rule. */
    static void validateRule(Violations v, ModelSnapshot model, Rule r) {
        if (r.id() != null && !ID.matcher(r.id()).matches()) {
            v.add("/id", "must match " + ID.pattern());
        }
        name(v, r.name(), false);
        if (r.sequence() != null && (r.sequence() < 0 || r.sequence() > MAX_SEQUENCE)) {
            v.add("/sequence", "must be 0-" + MAX_SEQUENCE);
        }
        if (r.action() == null) {
            v.add("/action", "is required (ALLOW, DROP or REJECT)");
        }
        refs(v, "/sources", r.sources(), model, Kind.GROUP);
        refs(v, "/destinations", r.destinations(), model, Kind.GROUP);
        refs(v, "/services", r.services(), model, Kind.SERVICE);
        refs(v, "/appliedTo", r.appliedTo(), model, Kind.GROUP);
        if (r.sourcesNegated() && r.sources().isEmpty()) {
            v.add("/sourcesNegated", "negating ANY matches nothing; name the groups to exclude");
        }
        if (r.destinationsNegated() && r.destinations().isEmpty()) {
            v.add("/destinationsNegated", "negating ANY matches nothing; name the groups to exclude");
        }
        if (r.tag() != null && r.tag().length() > 64) {
            v.add("/tag", "must be at most 64 characters");
        }
    }

    static void validateDefaultRule(DefaultRule d) {
        Violations v = new Violations("");
        if (d.action() == null) {
            v.add("/action", "is required (ALLOW or DROP)");
        } else if (d.action() == Action.REJECT) {
            v.add("/action", "the default rule is ALLOW or DROP");
        }
        v.throwIfAny();
    }

    static void validateId(Violations v, String id) {
        if (id != null && !ID.matcher(id).matches()) {
            v.add("/id", "must be 1-128 characters of letters, digits and . _ : - (starting with a letter or digit)");
        }
    }

    static void name(Violations v, String name, boolean required) {
        if (name == null || name.isBlank()) {
            if (required) {
                v.add("/name", "is required");
            } else if (name != null) {
                v.add("/name", "must not be blank");
            }
        } else if (name.length() > MAX_NAME) {
            v.add("/name", "must be at most " + MAX_NAME + " characters");
        }
    }

    static void text(Violations v, String at, String text) {
        if (text != null && text.length() > MAX_TEXT) {
            v.add(at, "must be at most " + MAX_TEXT + " characters");
        }
    }

    static void refs(Violations v, String at, List<String> ids, ModelSnapshot model, Kind<?> kind) {
        if (ids.size() > MAX_LIST) {
            v.add(at, "at most " + MAX_LIST + " references");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank()) {
                v.add(at + "/" + i, "must be a " + kind + " id");
            } else if (!seen.add(id)) {
                v.add(at + "/" + i, "duplicate reference to " + kind + " '" + id + "'");
            } else if (model.find(kind, id).isEmpty()) {
                v.add(at + "/" + i, kind + " '" + id + "' does not exist");
            }
        }
    }

    private static void prefixes(Violations v, String at, List<IpPrefix> prefixes) {
        if (prefixes.size() > MAX_LIST) {
            v.add(at, "at most " + MAX_LIST + " addresses");
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (prefixes.get(i) == null) {
                v.add(at + "/" + i, "must not be null");
            }
        }
    }
}
