package io.ringfence.rest.internal.resource;

import io.ringfence.enforcement.RealizationOverview;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.manager.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/** Desired against realized state on the enforcement targets, and the reconciler's standing. */
@Path("/v1/realization")
@Tag(name = "Realization")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class RealizationResource {

    private final RealizationService realization;

    @Inject
    public RealizationResource(RealizationService realization) {
        this.realization = realization;
    }

    /** Every target's summary, with totals. Status: 200. */
    @GET
    @Operation(summary = "Realization on all targets",
            description = "Per target: its vNICs realized, pending and failed, whether it is failing, when the "
                    + "reconciler retries, its last error; then the totals over all targets.")
    @ApiResponse(responseCode = "200", description = "The targets' summaries and the totals",
            content = @Content(schema = @Schema(implementation = RealizationOverview.class)))
    public RealizationOverview overview() {
        return realization.overview();
    }

    /** One target with each of its vNICs. Status: 200, 404 (no such target). */
    @GET
    @Path("targets/{id}")
    @Operation(summary = "Realization on one target",
            description = "The target's summary, then per vNIC: desired and realized generation, state, since when "
                    + "it is not realized, and the last failure that kept it back.")
    @ApiResponse(responseCode = "200", description = "The target and its vNICs",
            content = @Content(schema = @Schema(implementation = TargetRealizationDetail.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public TargetRealizationDetail target(@PathParam("id") String id) {
        TargetRealization target = realization.realization(id).orElseThrow(() -> unknown(id));
        List<VnicRealization> vnics = realization.vnics(id).orElseThrow(() -> unknown(id));
        return new TargetRealizationDetail(target, vnics);
    }

    /**
     * Sends the target its full state at once (after the update in flight, if any), whatever the
     * reconciler waits for. Admins only. Status: 202, 404 (no such target).
     */
    @POST
    @Path("targets/{id}/resync")
    @Operation(summary = "Resynchronize a target",
            description = "Sends the target its full desired state as its next update, without waiting for the "
                    + "reconciler's backoff. Accepted, not done: follow the target's realization.")
    @ApiResponse(responseCode = "202", description = "The full state is on its way",
            headers = @Header(name = "Location", description = "URL of the target's realization"))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response resync(@PathParam("id") String id, @Context UriInfo uri) {
        if (!realization.resync(id)) {
            throw unknown(id);
        }
        return Response.accepted().location(uri.getBaseUriBuilder().path("v1/realization/targets").path(id).build())
                .build();
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("enforcement target", id);
    }

    /**
     * A target and its vNICs.
     *
     * @param target its summary
     * @param vnics  its vNICs, ordered by id
     */
    public record TargetRealizationDetail(TargetRealization target, List<VnicRealization> vnics) {
    }
}
