package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Kind;
import io.ringfence.model.ServiceProfile;
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

/**
 * Service profiles: configured instances of partners' service definitions. Before a profile is
 * submitted to be created or replaced, the {@link ServiceProfileValidator} checks it against what
 * partners registered (its definition, its values against the definition's profile schema): the one
 * place where that check plugs in.
 */
@Path("/v1/service-insertion/profiles")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class ServiceProfileResource {

    private final EntityEndpoint<ServiceProfile> endpoint;
    private final ServiceProfileValidator validator;

    @Inject
    public ServiceProfileResource(ModelService models, ModelAdminService admin, ServiceProfileValidator validator) {
        this.endpoint = new EntityEndpoint<>(Kind.SERVICE_PROFILE, models, admin);
        this.validator = validator;
    }

    /** Lists service profiles, by id. Status: 200, 400 (bad paging or filter). */
    @GET
    @Operation(summary = "List service profiles", description = "Paged with offset and limit; filters: name, q, definition.",
            parameters = {
                @Parameter(name = "offset", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "0")),
                @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "50", maximum = "1000")),
                @Parameter(name = "name", in = ParameterIn.QUERY, description = "filter"),
                @Parameter(name = "q", in = ParameterIn.QUERY, description = "filter"),
                @Parameter(name = "definition", in = ParameterIn.QUERY, description = "filter")})
    @ApiResponse(responseCode = "200", description = "A page of service profiles",
            content = @Content(schema = @Schema(implementation = ServiceProfilePage.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    public Response list(@Context UriInfo uri) {
        return endpoint.list(uri);
    }

    /** Reads one service profile. Status: 200 (with ETag), 304 (If-None-Match), 404. */
    @GET
    @Path("{id}")
    @Operation(summary = "Read a service profile")
    @ApiResponse(responseCode = "200", description = "The service profile",
            headers = @Header(name = "ETag", description = "the revision"),
            content = @Content(schema = @Schema(implementation = ServiceProfile.class)))
    @ApiResponse(responseCode = "304", description = "Not modified since the ETag in If-None-Match")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response get(@PathParam("id") String id, @Context Request request) {
        return endpoint.get(id, request);
    }

    /**
     * Creates a service profile. Status: 201 (with Location and ETag), 400, 409 (id taken), 413, 415, 422,
     * 503 (the partners' definitions cannot be consulted).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a service profile", description = "The id is assigned by the server unless given.",
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ServiceProfile.class))))
    @ApiResponse(responseCode = "201", description = "Created",
            headers = {@Header(name = "Location", description = "URL of the new service profile"),
                    @Header(name = "ETag", description = "the revision")},
            content = @Content(schema = @Schema(implementation = ServiceProfile.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    @ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
    public Response create(ServiceProfile body, @Context UriInfo uri, @Context SecurityContext security) {
        return endpoint.create(checked(body), uri, security);
    }

    /**
     * Replaces a service profile. Status: 200 (with ETag), 400, 404, 412 (stale If-Match), 413, 415, 422,
     * 503 (the partners' definitions cannot be consulted).
     */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a service profile",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the revision this change is based on"),
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ServiceProfile.class))))
    @ApiResponse(responseCode = "200", description = "Replaced",
            headers = @Header(name = "ETag", description = "the new revision"),
            content = @Content(schema = @Schema(implementation = ServiceProfile.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    @ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
    public Response replace(@PathParam("id") String id, ServiceProfile body, @Context HttpHeaders headers,
                            @Context SecurityContext security) {
        return endpoint.replace(id, checked(body), headers, security);
    }

    /** Deletes a service profile. Status: 204, 404, 409 (still in use), 412 (stale If-Match). */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a service profile",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the revision this change is based on"))
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers,
                           @Context SecurityContext security) {
        return endpoint.delete(id, headers, security);
    }

    /** The profile, once its definition and values pass the partners' check (422 with the fields otherwise). */
    private ServiceProfile checked(ServiceProfile body) {
        List<Violation> violations = validator.validate(Http.body(body));
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return body;
    }
}
