package io.ringfence.rest.internal.resource;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.manager.Members;
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

/**
 * A group's effective members, computed from its criteria, static members, nesting and exclusions,
 * as the policy compiler's incremental membership engine has them (what the hosts enforce).
 */
@Path("/v1/groups/{id}/members")
@Tag(name = "Groups")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class GroupMembersResource {

    private final ModelService models;
    private final PolicyCompilerService compiler;

    @Inject
    public GroupMembersResource(ModelService models, PolicyCompilerService compiler) {
        this.models = models;
        this.compiler = compiler;
    }

    /** The group's member VMs and its address set (minimal prefixes). Status: 200, 404. */
    @GET
    @Operation(summary = "Effective members of a group",
            description = "As the policy compiler's incremental membership engine has them: what the hosts enforce.")
    @ApiResponse(responseCode = "200", description = "Member VMs and the group's address set",
            content = @Content(schema = @Schema(implementation = Members.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Members members(@PathParam("id") String id) {
        // the model says whether the group exists, whatever the engine answers for unknown ids
        if (models.find(Kind.GROUP, id).isEmpty()) {
            throw new NotFoundException(Kind.GROUP.name(), id);
        }
        return compiler.members(id);
    }
}
