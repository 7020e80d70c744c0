package io.ringfence.enforcement.appliance.internal;

import io.ringfence.spi.enforcement.EnforcementTarget;

/**
 * Where appliance targets go to be fed: in OSGi, the service registry (where the enforcement
 * component picks up every target); in tests, a feed of their own.
 */
public interface TargetPublisher {

    /** From now on {@code target} is fed like any other enforcement target. */
    void publish(EnforcementTarget target);

    /** {@code target} is no longer fed. */
    void withdraw(EnforcementTarget target);
}
