package io.ringfence.dataplane.sim.osgi;

import io.ringfence.dataplane.target.AgentTargets;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Hands the agents' targets to the enforcement side as {@link EnforcementTarget} services, which
 * the framework's enforcement component feeds like any vendor's target.
 */
final class TargetServices implements AgentTargets.Registry {

    /** Service property naming the target, for admins looking at the service registry. */
    static final String TARGET_ID = "ringfence.target.id";

    private final BundleContext context;
    private final Map<EnforcementTarget, ServiceRegistration<EnforcementTarget>> registrations =
            new ConcurrentHashMap<>();

    TargetServices(BundleContext context) {
        this.context = context;
    }

    @Override
    public void register(EnforcementTarget target) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(TARGET_ID, target.descriptor().id());
        registrations.put(target, context.registerService(EnforcementTarget.class, target, properties));
    }

    @Override
    public void unregister(EnforcementTarget target) {
        ServiceRegistration<EnforcementTarget> registration = registrations.remove(target);
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping and the framework unregistered it already
            }
        }
    }
}
