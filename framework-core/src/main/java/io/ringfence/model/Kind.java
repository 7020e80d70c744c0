package io.ringfence.model;

import java.util.List;

/**
 * The kinds of top-level objects, each with its Java type and the name used in the API,
 * the audit log and the store.
 *
 * @param <T> the entity type
 */
public final class Kind<T extends Entity> {

    public static final Kind<Host> HOST = new Kind<>("host", Host.class);
    public static final Kind<Vm> VM = new Kind<>("vm", Vm.class);
    public static final Kind<Group> GROUP = new Kind<>("group", Group.class);
    public static final Kind<Service> SERVICE = new Kind<>("service", Service.class);
    public static final Kind<Policy> POLICY = new Kind<>("policy", Policy.class);
    public static final Kind<ServiceProfile> SERVICE_PROFILE = new Kind<>("service-profile", ServiceProfile.class);
    public static final Kind<ServiceChain> SERVICE_CHAIN = new Kind<>("service-chain", ServiceChain.class);
    public static final Kind<RedirectionPolicy> REDIRECTION_POLICY =
            new Kind<>("redirection-policy", RedirectionPolicy.class);

    /** All kinds, in the order in which references can be resolved when loading. */
    public static final List<Kind<?>> ALL = List.of(HOST, VM, SERVICE, GROUP, POLICY, SERVICE_PROFILE, SERVICE_CHAIN,
            REDIRECTION_POLICY);

    private final String name;
    private final Class<T> type;

    private Kind(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public T cast(Entity e) {
        return type.cast(e);
    }

    /** The kind named {@code name}, or null. */
    public static Kind<?> byName(String name) {
        for (Kind<?> k : ALL) {
            if (k.name.equals(name)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
