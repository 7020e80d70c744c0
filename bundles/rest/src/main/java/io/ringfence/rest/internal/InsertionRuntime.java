package io.ringfence.rest.internal;

import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.manager.ServiceProfileValidator;

/**
 * The service-insertion runtime as the API sees it: the partners' registered definitions and the
 * runtime's counters and alerts. The rest of the API works without them, so either may be absent;
 * the requests that need one then answer 503 and change nothing.
 */
public final class InsertionRuntime {

    /** Neither service: every service-insertion read answers 503. */
    public static final InsertionRuntime NONE = new InsertionRuntime(null, null);

    /** Stands in for the check of service profiles while there is none: profiles cannot be written. */
    public static final ServiceProfileValidator PROFILES_UNCHECKED = profile -> {
        throw Problems.unavailable("service profiles cannot be checked against the partners' definitions right now "
                + "(the service-insertion runtime is not running); nothing was changed");
    };

    private final ServiceDefinitionRegistry definitions;
    private final ServiceInsertion insertion;

    /**
     * @param definitions the registry of partner definitions, or null
     * @param insertion   the runtime, or null
     */
    public InsertionRuntime(ServiceDefinitionRegistry definitions, ServiceInsertion insertion) {
        this.definitions = definitions;
        this.insertion = insertion;
    }

    /** @throws javax.ws.rs.WebApplicationException 503 when there is no registry */
    public ServiceDefinitionRegistry definitions() {
        if (definitions == null) {
            throw Problems.unavailable("the registry of partner definitions is not running");
        }
        return definitions;
    }

    /** @throws javax.ws.rs.WebApplicationException 503 when there is no runtime */
    public ServiceInsertion insertion() {
        if (insertion == null) {
            throw Problems.unavailable("the service-insertion runtime is not running");
        }
        return insertion;
    }
}
