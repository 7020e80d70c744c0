package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.model.DefaultRule;
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
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/** Data-center-wide settings. */
@Path("/v1/settings")
@Tag(name = "Settings")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class SettingsResource {

    private final ModelService models;
    private final ModelAdminService admin;

    @Inject
    public SettingsResource(ModelService models, ModelAdminService admin) {
        this.models = models;
        this.admin = admin;
    }

    /** The default rule that ends every vNIC's table. Status: 200 (with ETag), 304. */
    @GET
    @Path("default-rule")
    @Operation(summary = "Read the default rule")
    @ApiResponse(responseCode = "200", description = "The default rule", headers = @Header(name = "ETag", description = "the revision"),
            content = @Content(schema = @Schema(implementation = DefaultRule.class)))
    public Response defaultRule(@Context Request request) {
        DefaultRule rule = models.defaultRule();
        Response notModified = Http.notModified(request, rule.revision());
        return notModified != null ? notModified : Response.ok(rule).tag(Http.etag(rule.revision())).build();
    }

    /** Sets the default action (ALLOW or DROP). Status: 200, 400, 412, 413, 415, 422. */
    @PUT
    @Path("default-rule")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the default rule", description = "action is ALLOW or DROP; DROP (default deny) is recommended.",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the revision this change is based on"),
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DefaultRule.class))))
    @ApiResponse(responseCode = "200", description = "Set", headers = @Header(name = "ETag", description = "the new revision"),
            content = @Content(schema = @Schema(implementation = DefaultRule.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response setDefaultRule(DefaultRule body, @Context HttpHeaders headers, @Context SecurityContext security) {
        Http.body(body);
        DefaultRule set = admin.setDefaultRule(body, Http.ifMatch(headers, models.defaultRule().revision()),
                Http.principal(security));
        return Response.ok(set).tag(Http.etag(set.revision())).build();
    }
}
