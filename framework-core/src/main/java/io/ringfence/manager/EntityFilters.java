package io.ringfence.manager;

import io.ringfence.model.Entity;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The simple filters that lists accept, per kind. Every kind accepts {@code name} (exact) and
 * {@code q} (substring of the name, case-insensitive); VMs also {@code tag}, {@code host},
 * {@code os} and {@code segment}; policies {@code category}; services {@code protocol}; groups
 * {@code member} (a static VM member); service profiles {@code definition}; service chains
 * {@code profile} (on either path); redirection policies {@code chain} (a rule redirects to it).
 * Values compare exactly.
 */
public final class EntityFilters {

    private static final Map<String, BiPredicate<Entity, String>> COMMON = Map.of(
            "name", (e, v) -> v.equals(e.name()),
            "q", (e, v) -> e.name() != null && e.name().toLowerCase(Locale.ROOT).contains(v.toLowerCase(Locale.ROOT)));

    private static final Map<Kind<?>, Map<String, BiPredicate<Entity, String>>> BY_KIND = Map.of(
            Kind.HOST, Map.of(),
            Kind.VM, Map.of(
                    "tag", (e, v) -> ((Vm) e).tags().contains(v),
                    "host", (e, v) -> v.equals(((Vm) e).hostId()),
                    "os", (e, v) -> v.equals(((Vm) e).os()),
                    "segment", (e, v) -> ((Vm) e).vnics().stream().map(Vnic::segment).anyMatch(v::equals)),
            Kind.GROUP, Map.of(
                    "member", (e, v) -> ((Group) e).vms().contains(v)),
            Kind.SERVICE, Map.of(
                    "protocol", (e, v) -> ((Service) e).entries().stream()
                            .anyMatch(s -> s.protocol() != null && s.protocol().name().equalsIgnoreCase(v))),
            Kind.POLICY, Map.of(
                    "category", (e, v) -> ((Policy) e).category() != null
                            && ((Policy) e).category().name().equalsIgnoreCase(v)),
            Kind.SERVICE_PROFILE, Map.of(
                    "definition", (e, v) -> v.equals(((ServiceProfile) e).definition())),
            Kind.SERVICE_CHAIN, Map.of(
                    "profile", (e, v) -> ((ServiceChain) e).profiles().contains(v)
                            || ((ServiceChain) e).reverseProfiles().contains(v)),
            Kind.REDIRECTION_POLICY, Map.of(
                    "chain", (e, v) -> ((RedirectionPolicy) e).rules().stream().anyMatch(r -> v.equals(r.chain()))));

    private EntityFilters() {
    }

    /** The filter names a kind accepts. */
    public static Set<String> names(Kind<?> kind) {
        Set<String> names = new java.util.TreeSet<>(COMMON.keySet());
        names.addAll(BY_KIND.get(kind).keySet());
        return names;
    }

    /**
     * True when {@code e} passes every filter.
     *
     * @throws IllegalArgumentException for a filter the kind does not accept
     */
    public static boolean matches(Kind<?> kind, Entity e, Map<String, String> filters) {
        requireKnown(kind, filters);
        for (Map.Entry<String, String> f : filters.entrySet()) {
            BiPredicate<Entity, String> p = COMMON.get(f.getKey());
            if (p == null) {
                p = BY_KIND.get(kind).get(f.getKey());
            }
            if (!p.test(e, f.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code kind} accepts every filter named in {@code filters}, whatever they would match.
     *
     * @throws IllegalArgumentException for a filter the kind does not accept
     */
    public static void requireKnown(Kind<?> kind, Map<String, String> filters) {
        Set<String> accepted = names(kind);
        for (String name : new java.util.TreeSet<>(filters.keySet())) {
            if (!accepted.contains(name)) {
                throw new IllegalArgumentException("unknown filter '" + name + "' for " + kind
                        + "; accepted: " + accepted);
            }
        }
    }

}
