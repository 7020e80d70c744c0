package io.ringfence.enforcement.appliance.internal.osgi;

import io.ringfence.enforcement.appliance.ApplianceRegistration;
import io.ringfence.enforcement.appliance.ApplianceService;
import io.ringfence.enforcement.appliance.ApplianceStatus;
import io.ringfence.enforcement.appliance.internal.ApplianceManager;
import io.ringfence.enforcement.appliance.internal.TargetPublisher;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The appliance registry as a service. Each session is registered as an {@link EnforcementTarget}
 * service, where the enforcement component binds it like any other target; leases are checked
 * every second.
 */
@Component(service = ApplianceService.class, configurationPid = "io.ringfence.enforcement.appliances")
@Designate(ocd = OSGiApplianceManager.Configuration.class)
public final class OSGiApplianceManager implements ApplianceService {

    @ObjectClassDefinition(name = "Ringfence virtual appliances")
    public @interface Configuration {

        @AttributeDefinition(description = "Seconds an appliance may go without polling before it is unreachable")
        int leaseSeconds() default 60;

        @AttributeDefinition(description = "Longest wait of a poll, in seconds (less than the lease)")
        int maxWaitSeconds() default 30;
    }

    private final ApplianceManager manager;
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ringfence-appliance-leases");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public OSGiApplianceManager(BundleContext context, @Reference ModelService models, Configuration config) {
        this.manager = new ApplianceManager(host -> models.find(Kind.HOST, host).isPresent(),
                new ServicePublisher(context), Clock.systemUTC(), Duration.ofSeconds(config.leaseSeconds()),
                Duration.ofSeconds(config.maxWaitSeconds()));
        leases.scheduleWithFixedDelay(manager::expireLeases, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        leases.shutdownNow();
        manager.close();
    }

    @Override
    public ApplianceStatus register(ApplianceRegistration registration, String principal) {
        return manager.register(registration, principal);
    }

    @Override
    public List<ApplianceStatus> appliances() {
        return manager.appliances();
    }

    @Override
    public Optional<ApplianceStatus> appliance(String id) {
        return manager.appliance(id);
    }

    @Override
    public boolean deregister(String id) {
        return manager.deregister(id);
    }

    @Override
    public Optional<RuleSetUpdate> poll(String id, String principal, String session, long after, Duration wait)
            throws InterruptedException {
        return manager.poll(id, principal, session, after, wait);
    }

    @Override
    public void acknowledge(String id, String principal, String session, Acknowledgement acknowledgement) {
        manager.acknowledge(id, principal, session, acknowledgement);
    }

    @Override
    public Duration maxWait() {
        return manager.maxWait();
    }

    /** Publishes sessions in the service registry, under this component's bundle. */
    private static final class ServicePublisher implements TargetPublisher {

        private final BundleContext context;
        private final Map<EnforcementTarget, ServiceRegistration<EnforcementTarget>> registrations =
                new ConcurrentHashMap<>();

        ServicePublisher(BundleContext context) {
            this.context = context;
        }

        @Override
        public void publish(EnforcementTarget target) {
            registrations.put(target, context.registerService(EnforcementTarget.class, target,
                    FrameworkUtil.asDictionary(Map.of("ringfence.target.id", target.descriptor().id()))));
        }

        @Override
        public void withdraw(EnforcementTarget target) {
            ServiceRegistration<EnforcementTarget> registration = registrations.remove(target);
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            }
        }
    }
}
