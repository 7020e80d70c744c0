package io.ringfence.manager.internal;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.Reference;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Rule;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.Vm;
import java.util.ArrayList;
import java.util.List;

/** Who refers to an object: what makes a delete refused. */
final class References {
    private References() {
    }

    static List<Reference> usersOf(ModelSnapshot model, Kind<?> kind, String id) {
        List<Reference> users = new ArrayList<>();
        if (kind == Kind.HOST) {
            for (Vm vm : model.vms()) {
                if (id.equals(vm.hostId())) {
                    users.add(new Reference(Kind.VM.name(), vm.id(), vm.name(), null));
                }
            }
        } else if (kind == Kind.VM) {
            for (Group g : model.groups()) {
                if (g.vms().contains(id) || g.excludedVms().contains(id)) {
                    users.add(new Reference(Kind.GROUP.name(), g.id(), g.name(), null));
                }
            }
        } else if (kind == Kind.GROUP) {
            for (Group g : model.groups()) {
                if (g.groups().contains(id) || g.excludedGroups().contains(id)) {
                    users.add(new Reference(Kind.GROUP.name(), g.id(), g.name(), null));
                }
            }
            forEachRule(model, users, r -> r.sources().contains(id) || r.destinations().contains(id)
                    || r.appliedTo().contains(id));
            forEachRedirectionRule(model, users, r -> r.sources().contains(id) || r.destinations().contains(id)
                    || r.appliedTo().contains(id));
        } else if (kind == Kind.SERVICE) {
            forEachRule(model, users, r -> r.services().contains(id));
            forEachRedirectionRule(model, users, r -> r.services().contains(id));
        } else if (kind == Kind.SERVICE_PROFILE) {
            for (ServiceChain c : model.serviceChains()) {
                if (c.profiles().contains(id) || c.reverseProfiles().contains(id)) {
                    users.add(new Reference(Kind.SERVICE_CHAIN.name(), c.id(), c.name(), null));
                }
            }
        } else if (kind == Kind.SERVICE_CHAIN) {
            forEachRedirectionRule(model, users, r -> id.equals(r.chain()));
        }
        return users;
    }

    private static void forEachRedirectionRule(ModelSnapshot model, List<Reference> users,
                                               java.util.function.Predicate<RedirectionRule> uses) {
        for (RedirectionPolicy p : model.redirectionPolicies()) {
            for (RedirectionRule r : p.rules()) {
                if (uses.test(r)) {
                    users.add(new Reference(ModelManager.REDIRECTION_RULE_KIND, r.id(), r.name(), p.id()));
                }
            }
        }
    }

    private static void forEachRule(ModelSnapshot model, List<Reference> users, java.util.function.Predicate<Rule> uses) {
        for (Policy p : model.policies()) {
            for (Rule r : p.rules()) {
                if (uses.test(r)) {
                    users.add(new Reference(ModelManager.RULE_KIND, r.id(), r.name(), p.id()));
                }
            }
        }
    }
}
