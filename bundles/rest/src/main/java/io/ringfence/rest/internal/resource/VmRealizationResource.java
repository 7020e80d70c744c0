package io.ringfence.rest.internal.resource;

import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Kind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/** Where a VM's rule sets are realized. */
@Path("/v1/inventory/vms/{id}/realization")
@Tag(name = "Realization")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class VmRealizationResource {

    private final ModelService models;
    private final RealizationService realization;

    @Inject
    public VmRealizationResource(ModelService models, RealizationService realization) {
        this.models = models;
        this.realization = realization;
    }

    /** Over the VM's vNICs. Status: 200, 404 (no such VM). */
    @GET
    @Operation(summary = "Realization of a VM",
            description = "On how many of the VM's vNICs the current rule sets are realized, over all the targets "
                    + "that enforce them; the vNICs pending or failed, with host, target and since when.")
    @ApiResponse(responseCode = "200", description = "Where the VM's rule sets are realized",
            content = @Content(schema = @Schema(implementation = Realization.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Realization vm(@PathParam("id") String id) {
        models.find(Kind.VM, id).orElseThrow(() -> new NotFoundException(Kind.VM.name(), id));
        return realization.ofVm(id);
    }
}
