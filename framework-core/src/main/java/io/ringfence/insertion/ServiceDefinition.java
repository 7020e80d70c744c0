package io.ringfence.insertion;

import io.ringfence.spi.inspection.ProfileSchema;
import java.util.List;

/**
 * A service definition registered by partners: a function (vendor and name) with its registered
 * instances. Vendor, name, description and schema are those of the newest instance.
 *
 * @param id            {@code vendor/name}
 * @param vendor        the partner
 * @param name          the function
 * @param description   one line for admins
 * @param profileSchema what a profile of the function carries
 * @param instances     the registered instances, newest first (highest version, then highest service
 *                      ranking, then lowest service id): new flows go to the first that accepts flows
 */
public record ServiceDefinition(String id, String vendor, String name, String description,
                                ProfileSchema profileSchema, List<ServiceInstance> instances) {

    public ServiceDefinition {
        instances = List.copyOf(instances);
    }

    /** True when an instance accepts new flows. */
    public boolean available() {
        return instances.stream().anyMatch(ServiceInstance::acceptsFlows);
    }
}
