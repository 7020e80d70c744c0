package io.ringfence.insertion;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The service definitions that partner bundles have registered instances of, with their health. Read-only. */
@ProviderType
public interface ServiceDefinitionRegistry {

    /** Every definition with at least one registered instance, ordered by id. */
    List<ServiceDefinition> definitions();

    /** The definition {@code vendor/name}, if an instance of it is registered. */
    Optional<ServiceDefinition> definition(String id);

    /** Tells {@code listener} of every later change. */
    void addListener(ServiceDefinitionListener listener);

    /** Stops telling {@code listener}. */
    void removeListener(ServiceDefinitionListener listener);
}
