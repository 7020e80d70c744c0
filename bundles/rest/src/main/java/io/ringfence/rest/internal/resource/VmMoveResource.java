package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.move.VmMove;
import io.ringfence.move.VmMoveRefusedException;
import io.ringfence.move.VmMoveService;
import io.ringfence.rest.internal.Problem;
import io.ringfence.rest.internal.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Moving a VM to another host with its connections (vMotion). Synchronous: the answer comes once the VM
 * runs on the destination; a move takes milliseconds (its rule sets realized there, its flows carried over,
 * its new host committed).
 */
@Path("/v1/inventory/vms/{id}/move")
@Tag(name = "Inventory")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class VmMoveResource {

    static final String FLOWS_CARRIED = "Ringfence-Flows-Carried";
    static final String FLOWS_CUT = "Ringfence-Flows-Cut";
    static final String HELD_MICROS = "Ringfence-Held-Micros";

    private final ModelService models;
    private final VmMoveService moves;

    @Inject
    public VmMoveResource(ModelService models, VmMoveService moves) {
        this.models = models;
        this.moves = moves;
    }

    /**
     * Moves the VM. Status: 200 (the VM on its new host, with ETag), 400, 404 (no such VM), 409 (on that
     * host already, or moving), 412 (stale If-Match), 413, 415, 422 (no hostId, or no such host: /hostId),
     * 503 (the destination cannot take it now; nothing changed).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a VM to another host, with its connections",
            description = "Realizes the VM's rule sets on the destination host while the source still enforces "
                    + "them, carries the VM's tracked connections (state, counters, steering) to the destination "
                    + "(those the destination's rules do not allow are cut), cuts the traffic over and commits the "
                    + "new host (audited as a change of the VM); the source then forgets the VM. The VM's packets "
                    + "wait, and are not dropped, while its connections change host. Synchronous; on any failure "
                    + "nothing changed. One move at a time per VM.",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER,
                    description = "ETag of the VM revision this move is based on"),
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = VmMoveRequest.class))))
    @ApiResponse(responseCode = "200", description = "The VM on its new host",
            headers = {@Header(name = "ETag", description = "the new revision"),
                    @Header(name = FLOWS_CARRIED, description = "connections that went on at the destination"),
                    @Header(name = FLOWS_CUT, description = "connections the destination's rules cut"),
                    @Header(name = HELD_MICROS, description = "how long the VM's packets waited while its connections "
                            + "changed host, in microseconds")},
            content = @Content(schema = @Schema(implementation = Vm.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    @ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
    public Response move(@PathParam("id") String id, VmMoveRequest body, @Context HttpHeaders headers,
                         @Context SecurityContext security) {
        Http.body(body);
        Vm vm = models.find(Kind.VM, id).orElseThrow(() -> new NotFoundException(Kind.VM.name(), id));
        if (body.hostId() == null || body.hostId().isBlank()) {
            throw new ValidationException(List.of(new Violation("/hostId", "required: the host the VM moves to")));
        }
        VmMove move;
        try {
            move = moves.move(id, body.hostId(), Http.ifMatch(headers, vm.revision()), Http.principal(security));
        } catch (VmMoveRefusedException e) {
            throw new WebApplicationException(Problems.response(switch (e.reason()) {
                case SAME_HOST -> Problem.of("already-on-host", "The VM runs on that host already", 409, e.getMessage());
                case MOVING -> Problem.of("moving", "The VM is moving", 409, e.getMessage());
            }));
        } catch (IllegalStateException e) {
            throw Problems.unavailable(e.getMessage());
        }
        return Response.ok(move.vm()).tag(Http.etag(move.vm().revision()))
                .header(FLOWS_CARRIED, move.flowsCarried()).header(FLOWS_CUT, move.flowsCut())
                .header(HELD_MICROS, move.held().toNanos() / 1_000).build();
    }
}
