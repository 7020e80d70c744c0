package io.ringfence.dataplane.steering;

import io.ringfence.dataplane.agent.FlowSteering;
import io.ringfence.dataplane.agent.SteeredFlow;
import io.ringfence.dataplane.agent.SteeringTrace;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ServiceDefinitionListener;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Direction;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.redirection.RedirectionService;
import io.ringfence.spi.inspection.PacketSide;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Steering over the redirection table and the service-insertion runtime: the {@link FlowSteering} of
 * the host agents. For a new allowed flow it asks the {@link RedirectionService} for a chain and
 * hands back a {@link SteeredChain} holding that chain's {@link ChainSpec} and the flow as the
 * functions see it.
 *
 * <h2>What it keeps</h2>
 * One immutable {@link Steering} built from the model and the registered definitions: the specs of
 * the chains ({@link ChainSpecs}), the VM of each vNIC, and whether there is any redirection policy
 * at all (none: a new flow costs one field read and no lookup). It is rebuilt whole and swapped in one
 * volatile write when the model changes and when a definition changes (as a
 * {@link ServiceDefinitionListener}); a flow reads it once. Rebuilds are serialized.
 *
 * <h2>Consistency</h2>
 * The redirection table follows the model a little later than this (it is rebuilt on a thread of its
 * own); a selection naming a chain this steering does not know (deleted meanwhile) steers nothing.
 * Decisions are taken when a flow is created and kept for its life: a redirection rule or a chain
 * changed afterwards applies to new flows only.
 */
public final class ChainSteering implements FlowSteering, ServiceDefinitionListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChainSteering.class.getName());

    /** What steering knows of one model revision and of the definitions registered at build time. */
    private record Steering(ModelSnapshot model, boolean redirects, ChainSpecs specs, Map<String, Vm> vmOfVnic) {

        static Steering of(ModelSnapshot model, ServiceDefinitionRegistry registry, ChainSpecs previous) {
            Map<String, Vm> vms = new HashMap<>();
            for (Vm vm : model.vms()) {
                for (Vnic nic : vm.vnics()) {
                    vms.put(nic.id(), vm);
                }
            }
            return new Steering(model, !model.redirectionPolicies().isEmpty(),
                    ChainSpecs.build(model, registry, previous), Map.copyOf(vms));
        }
    }

    private final RedirectionService redirection;
    private final ServiceInsertion insertion;
    private final ServiceDefinitionRegistry definitions;
    private final LongSupplier flowIds;
    private volatile Steering steering;

    /**
     * Steering of {@code model}, listening to {@code definitions} until closed.
     *
     * @param flowIds the ids of the flows the functions see: unique among the flows of the data plane
     *                while they live, also across the steerings that replace one another
     */
    public ChainSteering(RedirectionService redirection, ServiceInsertion insertion,
                         ServiceDefinitionRegistry definitions, LongSupplier flowIds, ModelSnapshot model) {
        this.redirection = redirection;
        this.insertion = insertion;
        this.definitions = definitions;
        this.flowIds = flowIds;
        this.steering = Steering.of(model, definitions, ChainSpecs.NONE);
        definitions.addListener(this);
    }

    /** The model changed: chains and VMs are taken from {@code model} from now on. */
    public void modelChanged(ModelSnapshot model) {
        rebuild(model, "revision " + model.revision());
    }

    /** A definition registered, left or changed: the chains' profiles are validated again. */
    @Override
    public void definitionChanged(String definitionId) {
        rebuild(null, "a change of " + definitionId);
    }

    /** Rebuilds from {@code model} (null: the current one) and swaps; the previous stays in force if that fails. */
    private synchronized void rebuild(ModelSnapshot model, String after) {
        try {
            Steering current = steering;
            steering = Steering.of(model == null ? current.model() : model, definitions, current.specs());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "service chains could not be rebuilt after " + after
                    + "; new flows are steered with the previous ones", e);
        }
    }

    @Override
    public SteeredFlow steer(String vnicId, Direction direction, Packet opening) {
        Steering s = steering;
        if (!s.redirects()) {
            return null;
        }
        try {
            ChainSelection selection = redirection.select(vnicId, direction, opening).orElse(null);
            ChainSpec spec = selection == null ? null : s.specs().get(selection.chainId());
            if (spec == null) {
                return null;
            }
            return new SteeredChain(insertion, spec, selection,
                    PartnerViews.flow(flowIds.getAsLong(), vnicId, direction, s.vmOfVnic().get(vnicId), opening),
                    flowIds);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "no chain could be selected for a new flow at " + vnicId
                    + ": it is not steered", e);
            return null;
        }
    }

    @Override
    public SteeringTrace trace(String vnicId, Direction direction, Packet packet) {
        SteeredFlow flow = steer(vnicId, direction, packet);
        return flow == null ? null : flow.trace(packet, PacketSide.ORIGINAL);
    }

    /** Stops listening to the registry. Flows steered already keep their chain sessions. */
    @Override
    public void close() {
        definitions.removeListener(this);
    }
}
