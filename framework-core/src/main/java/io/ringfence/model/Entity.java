package io.ringfence.model;

/**
 * A top-level object of the model, addressed by kind and id.
 *
 * <p>The revision is the global revision of the commit that last changed the object; it is
 * assigned by the server and doubles as the object's ETag.
 */
public sealed interface Entity permits Host, Vm, Group, Service, Policy, ServiceProfile, ServiceChain,
        RedirectionPolicy {

    String id();

    String name();

    long revision();

    /** A copy with the given id and revision (both server-assigned). */
    Entity withIdentity(String id, long revision);
}
