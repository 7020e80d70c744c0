package io.ringfence.manager.internal;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Policy;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/** Assigns what the server owns in submitted objects, keeping it stable across replacements. */
final class Normalizer {

    /** The longest id {@link ModelValidator#ID} accepts. */
    static final int MAX_ID_LENGTH = 128;

    private Normalizer() {
    }

    /**
     * vNICs without an id keep the id of the existing vNIC with the same MAC, or get
     * {@code <vm id>-nic<n>} (the first n whose id no vNIC of the model uses; the VM id is cut
     * short when needed, so that the generated id is a valid id).
     */
    static Vm vm(ModelSnapshot base, Vm vm, Vm existing) {
        Map<Long, String> idByMac = new HashMap<>();
        if (existing != null) {
            for (Vnic n : existing.vnics()) {
                if (n.mac() != null) {
                    idByMac.put(n.mac().value(), n.id());
                }
            }
        }
        // vNIC ids are unique across the data center: never generate one that another VM uses
        Set<String> taken = new HashSet<>();
        for (Vm other : base.vms()) {
            if (!other.id().equals(vm.id())) {
                for (Vnic n : other.vnics()) {
                    taken.add(n.id());
                }
            }
        }
        for (Vnic n : vm.vnics()) {
            if (n != null && n.id() != null) {
                taken.add(n.id());
            }
        }
        // first the vNICs that keep their id, so that a new vNIC listed before them cannot take it
        List<Vnic> in = vm.vnics();
        String[] ids = new String[in.size()];
        for (int i = 0; i < in.size(); i++) {
            Vnic n = in.get(i);
            if (n != null && n.id() == null && n.mac() != null) {
                String id = idByMac.get(n.mac().value());
                if (id != null && taken.add(id)) {
                    ids[i] = id;
                }
            }
        }
        int next = 0;
        List<Vnic> vnics = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Vnic n = in.get(i);
            if (n == null || n.id() != null) {
                vnics.add(n);
                continue;
            }
            String id = ids[i];
            if (id == null) {
                do {
                    id = generatedVnicId(vm.id(), next++);
                } while (!taken.add(id));
            }
            vnics.add(n.withId(id));
        }
        return vm.withVnics(vnics);
    }

    private static String generatedVnicId(String vmId, int n) {
        String suffix = "-nic" + n;
        int room = MAX_ID_LENGTH - suffix.length();
        return (vmId.length() > room ? vmId.substring(0, room) : vmId) + suffix;
    }

    /**
     * A policy without a sequence goes after the last of its category; rules without an id get
     * one, rules without a sequence go after the last; a rule keeps its revision unless it changed.
     */
    static Policy policy(ModelSnapshot base, Policy p, Policy existing, long rev, Supplier<String> ids) {
        Integer sequence = p.sequence();
        if (sequence == null && existing != null && existing.category() == p.category()) {
            sequence = existing.sequence();
        }
        if (sequence == null && p.category() != null) {
            int max = -ModelManager.SEQUENCE_STEP;
            for (Policy other : base.policies()) {
                if (other.category() == p.category() && other.sequence() != null && !other.id().equals(p.id())) {
                    max = Math.max(max, other.sequence());
                }
            }
            sequence = max + ModelManager.SEQUENCE_STEP;
        }
        Map<String, Rule> before = new HashMap<>();
        if (existing != null) {
            existing.rules().forEach(r -> before.put(r.id(), r));
        }
        int maxRuleSequence = -ModelManager.SEQUENCE_STEP;
        for (Rule r : p.rules()) {
            if (r != null && r.sequence() != null) {
                maxRuleSequence = Math.max(maxRuleSequence, r.sequence());
            }
        }
        List<Rule> rules = new ArrayList<>();
        for (Rule r : p.rules()) {
            if (r == null) {
                rules.add(null);
                continue;
            }
            String id = r.id() != null ? r.id() : ids.get();
            Integer seq = r.sequence();
            if (seq == null) {
                maxRuleSequence += ModelManager.SEQUENCE_STEP;
                seq = maxRuleSequence;
            }
            Rule old = before.get(id);
            long ruleRev = old != null && old.withIdentity(id, seq, 0).equals(r.withIdentity(id, seq, 0))
                    ? old.revision() : rev;
            rules.add(r.withIdentity(id, seq, ruleRev));
        }
        if (rules.stream().allMatch(Objects::nonNull)) {
            rules = ModelManager.sortRules(rules);
        }
        return new Policy(p.id(), p.name(), p.description(), p.category(), sequence, rules, p.revision());
    }

    /**
     * As for security policies: a redirection policy without a sequence keeps its sequence or goes
     * after the last redirection policy; rules without an id get one, rules without a sequence go
     * after the last; a rule keeps its revision unless it changed.
     */
    static RedirectionPolicy redirectionPolicy(ModelSnapshot base, RedirectionPolicy p, RedirectionPolicy existing,
                                               long rev, Supplier<String> ids) {
        Integer sequence = p.sequence();
        if (sequence == null && existing != null) {
            sequence = existing.sequence();
        }
        if (sequence == null) {
            int max = -ModelManager.SEQUENCE_STEP;
            for (RedirectionPolicy other : base.redirectionPolicies()) {
                if (other.sequence() != null && !other.id().equals(p.id())) {
                    max = Math.max(max, other.sequence());
                }
            }
            sequence = max + ModelManager.SEQUENCE_STEP;
        }
        Map<String, RedirectionRule> before = new HashMap<>();
        if (existing != null) {
            existing.rules().forEach(r -> before.put(r.id(), r));
        }
        int maxRuleSequence = -ModelManager.SEQUENCE_STEP;
        for (RedirectionRule r : p.rules()) {
            if (r != null && r.sequence() != null) {
                maxRuleSequence = Math.max(maxRuleSequence, r.sequence());
            }
        }
        List<RedirectionRule> rules = new ArrayList<>();
        for (RedirectionRule r : p.rules()) {
            if (r == null) {
                rules.add(null);
                continue;
            }
            String id = r.id() != null ? r.id() : ids.get();
            Integer seq = r.sequence();
            if (seq == null) {
                maxRuleSequence += ModelManager.SEQUENCE_STEP;
                seq = maxRuleSequence;
            }
            RedirectionRule old = before.get(id);
            long ruleRev = old != null && old.withIdentity(id, seq, 0).equals(r.withIdentity(id, seq, 0))
                    ? old.revision() : rev;
            rules.add(r.withIdentity(id, seq, ruleRev));
        }
        if (rules.stream().allMatch(Objects::nonNull)) {
            rules = ModelManager.sortBySequence(rules, RedirectionRule::sequence);
        }
        return new RedirectionPolicy(p.id(), p.name(), p.description(), sequence, p.disabled(), rules, p.revision());
    }
}
