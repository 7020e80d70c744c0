package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

/** Redirection policies, which pick a service chain (or none) per allowed flow; their rules are nested. */
@Path("/v1/service-insertion/redirection-policies")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class RedirectionPolicyResource {

    private final EntityEndpoint<RedirectionPolicy> endpoint;

    @Inject
    public RedirectionPolicyResource(ModelService models, ModelAdminService admin) {
        this.endpoint = new EntityEndpoint<>(Kind.REDIRECTION_POLICY, models, admin);
    }

    /** Lists redirection policies, by id. Status: 200, 400 (bad paging or filter). */
    @GET
    @Operation(summary = "List redirection policies", description = "Paged with offset and limit; filters: name, q, chain.",
            parameters = {
                @Parameter(name = "offset", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "0")),
                @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "50", maximum = "1000")),
                @Parameter(name = "name", in = ParameterIn.QUERY, description = "filter"),
                @Parameter(name = "q", in = ParameterIn.QUERY, description = "filter"),
                @Parameter(name = "chain", in = ParameterIn.QUERY, description = "filter")})
    @ApiResponse(responseCode = "200", description = "A page of redirection policies",
            content = @Content(schema = @Schema(implementation = RedirectionPolicyPage.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    public Response list(@Context UriInfo uri) {
        return endpoint.list(uri);
    }

    /** Reads one redirection policy. Status: 200 (with ETag), 304 (If-None-Match), 404. */
    @GET
    @Path("{id}")
    @Operation(summary = "Read a redirection policy")
    @ApiResponse(responseCode = "200", description = "The redirection policy",
            headers = @Header(name = "ETag", description = "the revision"),
            content = @Content(schema = @Schema(implementation = RedirectionPolicy.class)))
    @ApiResponse(responseCode = "304", description = "Not modified since the ETag in If-None-Match")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response get(@PathParam("id") String id, @Context Request request) {
        return endpoint.get(id, request);
    }

    /** Creates a redirection policy. Status: 201 (with Location and ETag), 400, 409 (id taken), 413, 415, 422. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a redirection policy", description = "The id is assigned by the server unless given.",
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RedirectionPolicy.class))))
    @ApiResponse(responseCode = "201", description = "Created",
            headers = {@Header(name = "Location", description = "URL of the new redirection policy"),
                    @Header(name = "ETag", description = "the revision")},
            content = @Content(schema = @Schema(implementation = RedirectionPolicy.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response create(RedirectionPolicy body, @Context UriInfo uri, @Context SecurityContext security) {
        return endpoint.create(body, uri, security);
    }

    /** Replaces a redirection policy. Status: 200 (with ETag), 400, 404, 412 (stale If-Match), 413, 415, 422. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a redirection policy",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the revision this change is based on"),
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RedirectionPolicy.class))))
    @ApiResponse(responseCode = "200", description = "Replaced",
            headers = @Header(name = "ETag", description = "the new revision"),
            content = @Content(schema = @Schema(implementation = RedirectionPolicy.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response replace(@PathParam("id") String id, RedirectionPolicy body, @Context HttpHeaders headers,
                            @Context SecurityContext security) {
        return endpoint.replace(id, body, headers, security);
    }

    /** Deletes a redirection policy. Status: 204, 404, 409 (still in use), 412 (stale If-Match). */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a redirection policy",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the revision this change is based on"))
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers,
                           @Context SecurityContext security) {
        return endpoint.delete(id, headers, security);
    }
}
