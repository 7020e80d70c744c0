package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.manager.ListQuery;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.Page;
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.AuditRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/** The change log: who changed what, when, with the object before and after. */
@Path("/v1/audit")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class AuditResource {

    private final ModelService models;
    private final ObjectMapper json = ModelJson.mapper();

    @Inject
    public AuditResource(ModelService models) {
        this.models = models;
    }

    /** Audit entries, newest first. Status: 200, 400. */
    @GET
    @Operation(summary = "Read the change log", description = "Newest first, paged with offset and limit.",
            parameters = {
                @Parameter(name = "offset", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "0")),
                @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "50", maximum = "1000"))})
    @ApiResponse(responseCode = "200", description = "A page of audit entries",
            content = @Content(schema = @Schema(implementation = AuditEntryPage.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    public Response audit(@Context UriInfo uri,
                          @Parameter(description = "only this kind (host, vm, group, service, policy, rule, setting, service-profile, "
                                  + "service-chain, redirection-policy, redirection-rule)") @QueryParam("kind") String kind,
                          @Parameter(description = "only this object id") @QueryParam("objectId") String objectId,
                          @Parameter(description = "only changes by this user") @QueryParam("principal") String principal) {
        int offset = Http.intParam(uri.getQueryParameters(), "offset", 0);
        int limit = Http.intParam(uri.getQueryParameters(), "limit", Http.DEFAULT_LIMIT);
        if (offset < 0 || limit < 1 || limit > ListQuery.MAX_LIMIT) {
            throw io.ringfence.rest.internal.Problems.badRequest(
                    "offset must not be negative and limit must be 1-" + ListQuery.MAX_LIMIT);
        }
        AuditPage page = models.audit(new AuditQuery(offset, limit, kind, objectId, principal));
        List<AuditEntry> entries = page.records().stream().map(this::entry).toList();
        return EntityEndpoint.paged(uri, new Page<>(page.total(), offset, limit, entries)).build();
    }

    private AuditEntry entry(AuditRecord r) {
        return new AuditEntry(r.revision(), r.time(), r.principal(), r.operation().name(), r.kind(), r.objectId(),
                tree(r.before()), tree(r.after()));
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit JSON is unreadable", e);
        }
    }

    /**
     * One change.
     *
     * @param revision  the global revision it committed
     * @param time      when
     * @param principal who
     * @param operation CREATE, UPDATE or DELETE
     * @param kind      host, vm, group, service, policy, rule or setting
     * @param objectId  the object's id
     * @param before    the object before (absent on CREATE)
     * @param after     the object after (absent on DELETE)
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record AuditEntry(long revision, Instant time, String principal, String operation, String kind,
                             String objectId, JsonNode before, JsonNode after) {
    }

    /** The shape of a page of audit entries, for the OpenAPI document. */
    record AuditEntryPage(long total, int offset, int limit, List<AuditEntry> items) {
    }
}
