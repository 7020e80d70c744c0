package io.ringfence.insertion;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when a service definition changes: an instance registers or leaves (the definition appears
 * with its first instance and disappears with its last), or an instance's health changes.
 */
@FunctionalInterface
@ConsumerType
public interface ServiceDefinitionListener {

    /**
     * The definition changed; read it again from the registry for its current state (it may be gone).
     * Called on the thread that made the change; must return quickly and not throw.
     */
    void definitionChanged(String definitionId);
}
