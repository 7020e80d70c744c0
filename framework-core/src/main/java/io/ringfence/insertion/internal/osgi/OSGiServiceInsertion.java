package io.ringfence.insertion.internal.osgi;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.RecentAlert;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceDefinitionListener;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Service insertion as OSGi services, fed by the inspection services partner bundles register.
 *
 * <p>The reference is dynamic and greedy: partners come and go while traffic flows, and a newer (or
 * higher-ranked) instance is bound as soon as it registers, without restarting this component. DS
 * binds a replacement before it unbinds the old one, so on an update the flows of the old instance
 * find the new one at once; on a plain stop they park until one comes back. The unbind returns once
 * the instance's sessions have exported their state, while the partner's bundle is still there.
 */
@Component(service = {ServiceDefinitionRegistry.class, ServiceInsertion.class},
        configurationPid = "io.ringfence.insertion")
@Designate(ocd = OSGiServiceInsertion.Configuration.class)
public final class OSGiServiceInsertion implements ServiceDefinitionRegistry, ServiceInsertion {

    @ObjectClassDefinition(name = "Ringfence service insertion")
    public @interface Configuration {

        @AttributeDefinition(description = "Threads calling into one function instance at most (0: as many as cores, at least 2)")
        int threadsPerInstance() default 0;

        @AttributeDefinition(description = "Calls waiting for a thread of one instance at most")
        int queuePerInstance() default 1024;

        @AttributeDefinition(description = "How long a packet thread spins for a function's answer before parking, in microseconds")
        long callerSpinMicros() default 20;

        @AttributeDefinition(description = "How long an idle function thread spins for the next call before parking, in"
                + " microseconds (saves a wake-up per call under steady traffic, keeps a core busy)")
        long workerSpinMicros() default 0;

        @AttributeDefinition(description = "Consecutive failed calls after which an instance gets no new flows for the cool-down")
        int breakerThreshold() default 5;

        @AttributeDefinition(description = "Cool-down of a tripped circuit breaker, in milliseconds")
        long breakerCoolDownMillis() default 10_000;

        @AttributeDefinition(description = "How often functions' health is polled, in milliseconds")
        long healthPeriodMillis() default 1000;

        @AttributeDefinition(description = "How long health() may take before the function counts as DOWN, in milliseconds")
        long healthTimeoutMillis() default 500;

        @AttributeDefinition(description = "Recent alerts kept per service definition")
        int alertsPerDefinition() default 1000;
    }

    private final FunctionRegistry registry;
    private final ServiceInsertionManager insertion;

    @Activate
    public OSGiServiceInsertion(Configuration config) {
        this.registry = new FunctionRegistry(new InsertionConfig(
                config.threadsPerInstance() > 0 ? config.threadsPerInstance() : InsertionConfig.DEFAULTS.threadsPerInstance(),
                config.queuePerInstance(), Duration.ofNanos(config.callerSpinMicros() * 1000),
                Duration.ofNanos(config.workerSpinMicros() * 1000), config.breakerThreshold(),
                Duration.ofMillis(config.breakerCoolDownMillis()), Duration.ofMillis(config.healthPeriodMillis()),
                Duration.ofMillis(config.healthTimeoutMillis()), config.alertsPerDefinition()));
        this.insertion = new ServiceInsertionManager(registry);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFunction(InspectionService function, Map<String, Object> properties) {
        registry.add(function, serviceId(properties), ranking(properties));
    }

    void removeFunction(InspectionService function, Map<String, Object> properties) {
        registry.remove(serviceId(properties));
    }

    @Deactivate
    void deactivate() {
        registry.close();
    }

    private static long serviceId(Map<String, Object> properties) {
        return (Long) properties.get("service.id");
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get("service.ranking") instanceof Integer r ? r : 0;
    }

    @Override
    public List<ServiceDefinition> definitions() {
        return registry.definitions();
    }

    @Override
    public Optional<ServiceDefinition> definition(String id) {
        return registry.definition(id);
    }

    @Override
    public void addListener(ServiceDefinitionListener listener) {
        registry.addListener(listener);
    }

    @Override
    public void removeListener(ServiceDefinitionListener listener) {
        registry.removeListener(listener);
    }

    @Override
    public ChainSession open(ChainSpec chain, FlowContext flow) {
        return insertion.open(chain, flow);
    }

    @Override
    public ChainVerdict trace(ChainSpec chain, FlowContext flow, InspectedPacket packet) {
        return insertion.trace(chain, flow, packet);
    }

    @Override
    public List<ChainStats> chainStats() {
        return insertion.chainStats();
    }

    @Override
    public Optional<ChainStats> chainStats(String chainId) {
        return insertion.chainStats(chainId);
    }

    @Override
    public List<FunctionStats> functionStats() {
        return insertion.functionStats();
    }

    @Override
    public List<RecentAlert> recentAlerts(String definitionId, int limit) {
        return insertion.recentAlerts(definitionId, limit);
    }

    @Override
    public List<RecentAlert> recentAlerts(int limit) {
        return insertion.recentAlerts(limit);
    }
}
