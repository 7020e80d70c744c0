package io.ringfence.rest.internal.resource;

import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.FlowEntry;
import io.ringfence.dataplane.conntrack.FlowKey;
import io.ringfence.dataplane.conntrack.FlowState;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/** The live connection table of a VM's vNICs, as the data plane of its host has it. */
@Path("/v1/inventory/vms/{id}/flows")
@Tag(name = "Inventory")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class VmFlowsResource {

    private final ModelService models;
    private final DataPlaneService dataPlane;

    @Inject
    public VmFlowsResource(ModelService models, DataPlaneService dataPlane) {
        this.models = models;
        this.dataPlane = dataPlane;
    }

    /** The tracked flows of the VM's vNICs, in vNIC order. Status: 200, 404 (no such VM). */
    @GET
    @Operation(summary = "Flows of a VM", description = "The connection-table entries of the VM's vNICs: "
            + "key, state, allowing rule, rule-set generation, counters per direction and times.")
    @ApiResponse(responseCode = "200", description = "The flows of the VM's vNICs",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = FlowView.class))))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public List<FlowView> flows(@PathParam("id") String id) {
        models.find(Kind.VM, id).orElseThrow(() -> new NotFoundException(Kind.VM.name(), id));
        return dataPlane.flows(id).stream().map(FlowView::of).toList();
    }

    /**
     * The key of a flow: the packet that created it.
     *
     * @param vnicId          the vNIC it crosses
     * @param direction       IN or OUT
     * @param protocol        IANA protocol number
     * @param source          source address
     * @param sourcePort      source port (the echo id for ICMP, else 0 without ports)
     * @param destination     destination address
     * @param destinationPort destination port
     */
    public record FlowKeyView(String vnicId, Direction direction, int protocol, String source, int sourcePort,
                              String destination, int destinationPort) {
        static FlowKeyView of(FlowKey k) {
            return new FlowKeyView(k.vnicId(), k.direction(), k.protocol(), k.source().toString(), k.sourcePort(),
                    k.destination().toString(), k.destinationPort());
        }
    }

    /**
     * One tracked flow.
     *
     * @param key             the packet that created it
     * @param state           its state
     * @param ruleId          the rule that allowed it
     * @param generation      the rule-set generation it was allowed by
     * @param originalPackets packets from the originator
     * @param originalBytes   their bytes
     * @param replyPackets    packets of the replies
     * @param replyBytes      their bytes
     * @param created         when it was created
     * @param lastSeen        when its last valid packet was seen
     * @param expiresAt       when it expires unless another packet comes
     */
    public record FlowView(FlowKeyView key, FlowState state, String ruleId, long generation, long originalPackets,
                           long originalBytes, long replyPackets, long replyBytes, Instant created, Instant lastSeen,
                           Instant expiresAt) {
        static FlowView of(FlowEntry f) {
            return new FlowView(FlowKeyView.of(f.key()), f.state(), f.ruleId(), f.generation(), f.originalPackets(),
                    f.originalBytes(), f.replyPackets(), f.replyBytes(), f.created(), f.lastSeen(), f.expiresAt());
        }
    }
}
