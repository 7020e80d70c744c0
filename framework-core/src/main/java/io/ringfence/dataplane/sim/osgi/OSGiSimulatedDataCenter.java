package io.ringfence.dataplane.sim.osgi;

import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.HostStats;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.FlowEntry;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.dataplane.api.RuleTraffic;
import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.api.Traceflow;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.sim.HostDataPlanes;
import io.ringfence.dataplane.sim.SimulatedDataCenter;
import io.ringfence.dataplane.target.AgentTargets;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelListener;
import io.ringfence.model.Direction;
import io.ringfence.redirection.RedirectionService;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.BundleContext;
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
 * The simulated data center as an OSGi service and a model listener. It starts with no host and
 * takes the model from the first event the model manager sends a new listener; referring to the
 * model service instead would make a cycle (the manager binds every model listener).
 *
 * <p>Its agents are enforcement targets: each host's agent is registered as an {@code
 * EnforcementTarget} service ({@code agent:<host>}) while the host is in the model, and the
 * framework's enforcement component feeds it and tracks what it realized, as for any other target.
 * When that component goes away, the agents keep enforcing their last tables (fail-static).
 *
 * <p>Steering through service chains needs the redirection table, the service-insertion runtime and
 * its registry of definitions: optional, dynamic, greedy references. While all three are bound the
 * data center steers; when one leaves it stops steering new flows (flows steered already keep their
 * chain until they end); a replacement bound before the old one leaves (as DS does) takes over at once.
 * Unbinding compares and clears, so that the late unbind of a replaced service changes nothing.
 *
 * <p>It also offers the host agents to the VM mover ({@link HostDataPlanes}, see {@link OSGiVmMover}).
 */
@Component(service = {DataPlaneService.class, HostDataPlanes.class, ModelListener.class},
        configurationPid = "io.ringfence.dataplane")
@Designate(ocd = OSGiSimulatedDataCenter.Configuration.class)
public final class OSGiSimulatedDataCenter implements DataPlaneService, HostDataPlanes, ModelListener {

    @ObjectClassDefinition(name = "Ringfence simulated data plane")
    public @interface Configuration {

        @AttributeDefinition(description = "Capacity of each host's connection table")
        int maxFlowsPerHost() default 100_000;

        @AttributeDefinition(description = "How often connection tables are expired, in milliseconds")
        long expiryPeriodMillis() default 1000;

        @AttributeDefinition(description = "Records kept in each host's flow log (the oldest are overwritten)")
        int flowLogCapacity() default 10_000;
    }

    private final AgentTargets targets;
    private final SimulatedDataCenter dataCenter;
    private final AtomicReference<RedirectionService> redirection = new AtomicReference<>();
    private final AtomicReference<ServiceInsertion> insertion = new AtomicReference<>();
    private final AtomicReference<ServiceDefinitionRegistry> definitions = new AtomicReference<>();

    @Activate
    public OSGiSimulatedDataCenter(Configuration config, BundleContext context) {
        this(config, new TargetServices(context));
    }

    /** With the agents' targets handed to {@code registry} instead of the service registry (tests). */
    OSGiSimulatedDataCenter(Configuration config, AgentTargets.Registry registry) {
        this.targets = new AgentTargets(registry, Runtime.getRuntime().availableProcessors());
        this.dataCenter = new SimulatedDataCenter(targets, new SimulatedDataCenter.Config(config.maxFlowsPerHost(),
                Duration.ofMillis(config.expiryPeriodMillis()), config.flowLogCapacity()));
    }

    /** The hosts go away: their targets leave the enforcement side first, then the agents' threads stop. */
    @Deactivate
    void deactivate() {
        dataCenter.close();
        targets.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRedirection(RedirectionService service) {
        redirection.set(service);
        rewire();
    }

    void unbindRedirection(RedirectionService service) {
        if (redirection.compareAndSet(service, null)) {
            rewire();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindInsertion(ServiceInsertion service) {
        insertion.set(service);
        rewire();
    }

    void unbindInsertion(ServiceInsertion service) {
        if (insertion.compareAndSet(service, null)) {
            rewire();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDefinitions(ServiceDefinitionRegistry service) {
        definitions.set(service);
        rewire();
    }

    void unbindDefinitions(ServiceDefinitionRegistry service) {
        if (definitions.compareAndSet(service, null)) {
            rewire();
        }
    }

    /** Steers with what is bound now, or stops steering when something is missing. */
    private synchronized void rewire() {
        RedirectionService r = redirection.get();
        ServiceInsertion i = insertion.get();
        ServiceDefinitionRegistry d = definitions.get();
        if (r != null && i != null && d != null) {
            dataCenter.steer(r, i, d);
        } else {
            dataCenter.stopSteering();
        }
    }

    @Override
    public void modelChanged(ModelChangeEvent event) {
        dataCenter.modelChanged(event);
    }

    @Override
    public Verdict process(String vnicId, Direction direction, Packet packet) {
        return dataCenter.process(vnicId, direction, packet);
    }

    @Override
    public List<RuleTraffic> ruleStats() {
        return dataCenter.ruleStats();
    }

    @Override
    public RuleTraffic ruleStats(String ruleId) {
        return dataCenter.ruleStats(ruleId);
    }

    @Override
    public RuleTraffic stagedRuleStats(String ruleId) {
        return dataCenter.stagedRuleStats(ruleId);
    }

    @Override
    public Optional<VnicStats> vnicStats(String vnicId) {
        return dataCenter.vnicStats(vnicId);
    }

    @Override
    public Optional<HostStats> hostStats(String hostId) {
        return dataCenter.hostStats(hostId);
    }

    @Override
    public List<FlowEntry> flows(String vmId) {
        return dataCenter.flows(vmId);
    }

    @Override
    public Traceflow trace(TraceRequest request) {
        return dataCenter.trace(request);
    }

    @Override
    public List<FlowLogRecord> flowLog(FlowLogQuery q) {
        return dataCenter.flowLog(q);
    }

    @Override
    public long flowLogOverwritten() {
        return dataCenter.flowLogOverwritten();
    }

    @Override
    public Optional<HostAgent> agent(String hostId) {
        return dataCenter.agent(hostId);
    }

    @Override
    public long now() {
        return dataCenter.now();
    }

    @Override
    public Handover handover(Collection<String> vnicIds) {
        return dataCenter.handover(vnicIds);
    }
}
