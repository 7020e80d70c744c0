package io.ringfence.rest.internal.resource;

import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * The traffic counters of a VM's vNICs as the data plane has them now: what the per-rule
 * statistics cannot show (drops of invalid packets, flows cut by a rule change, what service
 * chains dropped).
 */
@Path("/v1/inventory/vms/{id}/stats")
@Tag(name = "Statistics")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class VmStatsResource {

    private final ModelService models;
    private final DataPlaneService dataPlane;

    @Inject
    public VmStatsResource(ModelService models, DataPlaneService dataPlane) {
        this.models = models;
        this.dataPlane = dataPlane;
    }

    /** The counters of each vNIC of a VM, in the VM's vNIC order. Status: 200, 404 (no such VM). */
    @GET
    @Operation(summary = "Traffic counters of a VM's vNICs", description = "Per vNIC: packets allowed, dropped "
            + "(of them invalid), rejected, flows created, flows cut by a rule change, packets steered through a "
            + "service chain and what the chain dropped or rejected, and the flows tracked now. A vNIC whose host "
            + "has no tables for it yet has zeros and hasTables false.")
    @ApiResponse(responseCode = "200", description = "The counters of the VM's vNICs",
            content = @Content(schema = @Schema(implementation = VmTraffic.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public VmTraffic vm(@PathParam("id") String id) {
        Vm vm = models.find(Kind.VM, id).orElseThrow(() -> new NotFoundException(Kind.VM.name(), id));
        Map<String, Long> tracked = dataPlane.flows(id).stream()
                .collect(Collectors.groupingBy(f -> f.key().vnicId(), Collectors.counting()));
        List<VnicTraffic> vnics = vm.vnics().stream().map(Vnic::id)
                .map(vnicId -> dataPlane.vnicStats(vnicId)
                        .map(s -> VnicTraffic.of(s, tracked.getOrDefault(vnicId, 0L)))
                        .orElseGet(() -> VnicTraffic.none(vnicId)))
                .toList();
        return new VmTraffic(vm.id(), vm.hostId(), vnics);
    }

    /**
     * The counters of a VM's vNICs.
     *
     * @param vmId   the VM
     * @param hostId the host it runs on
     * @param vnics  one entry per vNIC, in the VM's order
     */
    public record VmTraffic(String vmId, String hostId, List<VnicTraffic> vnics) {
    }

    /**
     * The counters of one vNIC since its host got its first tables.
     *
     * @param vnicId             the vNIC
     * @param hasTables          its host enforces a rule set for it
     * @param allowed            packets allowed
     * @param dropped            packets dropped (by a rule, the default rule, as invalid, or by a service chain)
     * @param invalid            of the dropped packets, those connection tracking found invalid
     * @param rejected           packets rejected
     * @param flowsCreated       flows created
     * @param flowsCut           established flows cut because a rule change no longer allowed them
     * @param flowsEvicted       its flows evicted to make room in its host's full connection table
     * @param steered            allowed packets that went through a service chain
     * @param inspectionDropped  of the steered packets, those the chain dropped
     * @param inspectionRejected of the steered packets, those the chain rejected
     * @param trackedFlows       flows of this vNIC in its host's connection table now
     */
    public record VnicTraffic(String vnicId, boolean hasTables, long allowed, long dropped, long invalid, long rejected,
                              long flowsCreated, long flowsCut, long flowsEvicted, long steered, long inspectionDropped,
                              long inspectionRejected, long trackedFlows) {

        static VnicTraffic of(VnicStats s, long trackedFlows) {
            return new VnicTraffic(s.vnicId(), true, s.allowed(), s.dropped(), s.invalid(), s.rejected(),
                    s.flowsCreated(), s.flowsCut(), s.flowsEvicted(), s.steered(), s.inspectionDropped(),
                    s.inspectionRejected(),
                    trackedFlows);
        }

        static VnicTraffic none(String vnicId) {
            return new VnicTraffic(vnicId, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }
}
