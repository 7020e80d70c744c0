package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.StalePreviewException;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Entity;
import io.ringfence.model.Kind;
import io.ringfence.model.Rule;
import io.ringfence.model.json.ModelJson;
import io.ringfence.rest.internal.Problem;
import io.ringfence.rest.internal.resource.PolicyPreviewRequest.ObjectKind;
import io.ringfence.rest.internal.resource.PolicyPreviewRequest.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Previews a change: validates it exactly as the real change would be, against a scratch copy of
 * the model, and answers what it would do to the vNICs' compiled rule tables. Nothing is
 * committed, audited or sent to a host. It submits a change, so it needs a write role.
 */
@Path("/v1/policy-preview")
@Tag(name = "Policies")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class PolicyPreviewResource {

    private static final String OBJECT = "/object";

    private final ModelService models;
    private final ModelAdminService admin;
    private final PolicyCompilerService compiler;
    private final ObjectMapper json = ModelJson.mapper();

    @Inject
    public PolicyPreviewResource(ModelService models, ModelAdminService admin, PolicyCompilerService compiler) {
        this.models = models;
        this.admin = admin;
        this.compiler = compiler;
    }

    /**
     * What the change would do. Status: 200, 400 (malformed), 404 (the object to replace or delete,
     * or the rule's policy, does not exist), 409 (id taken; still in use), 413, 415, 422 (incomplete
     * request, or the change is invalid: fields as JSON pointers into the request, e.g. /object/hostId).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @io.swagger.v3.oas.annotations.Operation(summary = "Preview a change",
            description = "Validates the change exactly as the real one (same 404/409/422 problems) and answers which "
                    + "vNICs' rule tables and which address groups it would change. Nothing is changed. "
                    + "Needs a write role.",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = PolicyPreviewRequest.class))))
    @ApiResponse(responseCode = "200", description = "What the change would do",
            content = @Content(schema = @Schema(implementation = PolicyPreviewResult.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    @ApiResponse(responseCode = "503", description = "Changes kept being committed while the preview was computed; retry",
            content = @Content(mediaType = "application/problem+json"))
    public PolicyPreviewResult preview(PolicyPreviewRequest body, @Context SecurityContext security)
            throws JsonProcessingException {
        PolicyPreviewRequest request = Http.body(body);
        Consumer<ModelAdminService> change = change(request, Http.principal(security));
        // a change committed between the what-if and the preview makes the preview stale: try again
        for (int attempt = 1; ; attempt++) {
            ModelSnapshot current = models.snapshot();
            ModelSnapshot proposed;
            try {
                proposed = admin.whatIf(change);
            } catch (ValidationException e) {
                throw withinObject(e);
            }
            try {
                return PolicyPreviewResult.of(compiler.preview(proposed), proposed, current);
            } catch (StalePreviewException e) {
                if (attempt == ATTEMPTS) {
                    throw new WebApplicationException(Response.status(503).header("Retry-After", "1")
                            .type(Problem.MEDIA_TYPE).entity(Problem.of("model-changing", "The model is changing", 503,
                                    "changes kept being committed while the preview was computed; retry")).build());
                }
            }
        }
    }

    /** Previews that meet a concurrent commit before one completes. */
    private static final int ATTEMPTS = 3;

    /** The change the request describes, as calls on the admin service; 422 when the request is incomplete. */
    private Consumer<ModelAdminService> change(PolicyPreviewRequest r, String principal) throws JsonProcessingException {
        checkComplete(r);
        String id = r.id();
        String policyId = r.policyId();
        if (r.kind() == ObjectKind.DEFAULT_RULE) {
            DefaultRule rule = object(r, DefaultRule.class);
            return a -> a.setDefaultRule(rule, null, principal);
        }
        if (r.kind() == ObjectKind.RULE) {
            return switch (r.operation()) {
                case CREATE -> {
                    Rule rule = object(r, Rule.class);
                    yield a -> a.createRule(policyId, rule, principal);
                }
                case REPLACE -> {
                    Rule rule = object(r, Rule.class);
                    yield a -> a.replaceRule(policyId, id, rule, null, principal);
                }
                case DELETE -> a -> a.deleteRule(policyId, id, null, principal);
            };
        }
        return entityChange(r.kind().entityKind(), r, principal);
    }

    private <T extends Entity> Consumer<ModelAdminService> entityChange(Kind<T> kind, PolicyPreviewRequest r,
                                                                      String principal) throws JsonProcessingException {
        return switch (r.operation()) {
            case CREATE -> {
                T object = object(r, kind.type());
                yield a -> a.create(kind, object, principal);
            }
            case REPLACE -> {
                T object = object(r, kind.type());
                yield a -> a.replace(kind, r.id(), object, null, principal);
            }
            case DELETE -> a -> a.delete(kind, r.id(), null, principal);
        };
    }

    /** Refuses (422) a request that does not say completely what the change is, naming every missing or extra field. */
    private static void checkComplete(PolicyPreviewRequest r) {
        List<Violation> v = new ArrayList<>();
        Operation op = r.operation();
        ObjectKind kind = r.kind();
        boolean hasObject = r.object() != null && !r.object().isNull();
        boolean hasId = r.id() != null && !r.id().isBlank();
        boolean hasPolicyId = r.policyId() != null && !r.policyId().isBlank();
        if (op == null) {
            v.add(new Violation("/operation", "required: one of " + List.of(Operation.values())));
        }
        if (kind == null) {
            v.add(new Violation("/kind", "required: one of " + List.of(ObjectKind.values())));
        }
        if (kind == ObjectKind.DEFAULT_RULE) {
            if (op != null && op != Operation.REPLACE) {
                v.add(new Violation("/operation", "the default rule can only be replaced (REPLACE)"));
            }
            if (hasId) {
                v.add(new Violation("/id", "not used for the default rule"));
            }
        } else if (op == Operation.CREATE && hasId) {
            v.add(new Violation("/id", "not used with CREATE: give the new object's id in the object"));
        } else if (op != null && op != Operation.CREATE && !hasId) {
            v.add(new Violation("/id", "required with " + op + ": the object to " + op.name().toLowerCase()));
        }
        if (op != null && op != Operation.DELETE && !hasObject) {
            v.add(new Violation(OBJECT, "required with " + op + ": the object as for "
                    + (op == Operation.CREATE ? "POST" : "PUT")));
        }
        if (op == Operation.DELETE && hasObject) {
            v.add(new Violation(OBJECT, "not used with DELETE"));
        }
        if (kind == ObjectKind.RULE && !hasPolicyId) {
            v.add(new Violation("/policyId", "required for rules: the rule's policy"));
        }
        if (kind != null && kind != ObjectKind.RULE && hasPolicyId) {
            v.add(new Violation("/policyId", "only for rules"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** The request's object read as {@code type}, strictly, with errors pointing into {@code /object}. */
    private <T> T object(PolicyPreviewRequest r, Class<T> type) throws JsonProcessingException {
        JsonNode node = r.object();
        try {
            return json.treeToValue(node, type);
        } catch (JsonMappingException e) {
            e.prependPath(r, "object");
            throw e;
        }
    }

    /** The change's violations, with their fields moved into {@code /object} where the request carries them. */
    private static ValidationException withinObject(ValidationException e) {
        ValidationException moved = new ValidationException(e.violations().stream()
                .map(v -> new Violation(OBJECT + (v.field() == null ? "" : v.field()), v.message())).toList());
        moved.initCause(e);
        return moved;
    }
}
