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

/** Where a rule is realized (rules are addressed within their policy, as in the rules resource). */
@Path("/v1/policies/{policyId}/rules/{ruleId}/realization")
@Tag(name = "Realization")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class RuleRealizationResource {

    private final ModelService models;
    private final RealizationService realization;

    @Inject
    public RuleRealizationResource(ModelService models, RealizationService realization) {
        this.models = models;
        this.realization = realization;
    }

    /** Over the vNICs the rule lands on (none when disabled). Status: 200, 404 (no such policy or rule). */
    @GET
    @Operation(summary = "Realization of a rule",
            description = "On how many of the vNICs the rule lands on the current rule sets are realized, over all "
                    + "the targets that enforce them; the vNICs pending or failed, with host, target and since when.")
    @ApiResponse(responseCode = "200", description = "Where the rule is realized",
            content = @Content(schema = @Schema(implementation = Realization.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Realization rule(@PathParam("policyId") String policyId, @PathParam("ruleId") String ruleId) {
        models.find(Kind.POLICY, policyId).orElseThrow(() -> new NotFoundException(Kind.POLICY.name(), policyId));
        models.findRule(policyId, ruleId).orElseThrow(() -> new NotFoundException("rule", ruleId));
        return realization.ofRule(ruleId);
    }
}
