package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
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

/** The rules of a redirection policy, each addressable on its own (with its own revision and ETag). */
@Path("/v1/service-insertion/redirection-policies/{policyId}/rules")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class RedirectionRuleResource {

    private final ModelService models;
    private final ModelAdminService admin;

    @Inject
    public RedirectionRuleResource(ModelService models, ModelAdminService admin) {
        this.models = models;
        this.admin = admin;
    }

    /** The policy's rules in evaluation order. Status: 200, 404. */
    @GET
    @Operation(summary = "List the rules of a redirection policy", description = "In evaluation order (by sequence).")
    @ApiResponse(responseCode = "200", description = "The rules",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = RedirectionRule.class))))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public List<RedirectionRule> list(@PathParam("policyId") String policyId) {
        return policy(policyId).rules();
    }

    /** One rule. Status: 200 (with ETag), 304, 404. */
    @GET
    @Path("{ruleId}")
    @Operation(summary = "Read a redirection rule")
    @ApiResponse(responseCode = "200", description = "The rule", headers = @Header(name = "ETag", description = "the rule's revision"),
            content = @Content(schema = @Schema(implementation = RedirectionRule.class)))
    @ApiResponse(responseCode = "304", description = "Not modified since the ETag in If-None-Match")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response get(@PathParam("policyId") String policyId, @PathParam("ruleId") String ruleId,
                        @Context Request request) {
        RedirectionRule rule = rule(policyId, ruleId);
        Response notModified = Http.notModified(request, rule.revision());
        return notModified != null ? notModified : Response.ok(rule).tag(Http.etag(rule.revision())).build();
    }

    /** Adds a rule (after the last one unless a sequence is given). Status: 201, 400, 404, 409, 413, 415, 422. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a rule to a redirection policy", description = "Id assigned unless given; sequence after the last rule unless given.",
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RedirectionRule.class))))
    @ApiResponse(responseCode = "201", description = "Created",
            headers = {@Header(name = "Location", description = "URL of the new rule"), @Header(name = "ETag", description = "the rule's revision")},
            content = @Content(schema = @Schema(implementation = RedirectionRule.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response create(@PathParam("policyId") String policyId, RedirectionRule body, @Context UriInfo uri,
                           @Context SecurityContext security) {
        RedirectionRule created = admin.createRedirectionRule(policyId, Http.body(body), Http.principal(security));
        return Response.created(Http.location(uri, created.id())).tag(Http.etag(created.revision()))
                .entity(created).build();
    }

    /** Replaces a rule. Status: 200, 400, 404, 412, 413, 415, 422. */
    @PUT
    @Path("{ruleId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a redirection rule",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the rule revision this change is based on"),
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RedirectionRule.class))))
    @ApiResponse(responseCode = "200", description = "Replaced", headers = @Header(name = "ETag", description = "the rule's new revision"),
            content = @Content(schema = @Schema(implementation = RedirectionRule.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response replace(@PathParam("policyId") String policyId, @PathParam("ruleId") String ruleId, RedirectionRule body,
                            @Context HttpHeaders headers, @Context SecurityContext security) {
        Http.body(body);
        long current = models.findRedirectionRule(policyId, ruleId).map(RedirectionRule::revision).orElse(-1L);
        RedirectionRule replaced = admin.replaceRedirectionRule(policyId, ruleId, body, Http.ifMatch(headers, current), Http.principal(security));
        return Response.ok(replaced).tag(Http.etag(replaced.revision())).build();
    }

    /** Removes a rule. Status: 204, 404, 412. */
    @DELETE
    @Path("{ruleId}")
    @Operation(summary = "Delete a redirection rule",
            parameters = @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "ETag of the rule revision this change is based on"))
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    public Response delete(@PathParam("policyId") String policyId, @PathParam("ruleId") String ruleId,
                           @Context HttpHeaders headers, @Context SecurityContext security) {
        long current = models.findRedirectionRule(policyId, ruleId).map(RedirectionRule::revision).orElse(-1L);
        admin.deleteRedirectionRule(policyId, ruleId, Http.ifMatch(headers, current), Http.principal(security));
        return Response.noContent().build();
    }

    private RedirectionPolicy policy(String policyId) {
        return models.find(Kind.REDIRECTION_POLICY, policyId)
                .orElseThrow(() -> new NotFoundException(Kind.REDIRECTION_POLICY.name(), policyId));
    }

    private RedirectionRule rule(String policyId, String ruleId) {
        return policy(policyId).rules().stream().filter(r -> r.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new NotFoundException("redirection-rule", ruleId));
    }
}
