package io.ringfence.rest.internal.resource;

import io.ringfence.enforcement.appliance.ApplianceException;
import io.ringfence.enforcement.appliance.ApplianceException.Reason;
import io.ringfence.enforcement.appliance.ApplianceRegistration;
import io.ringfence.enforcement.appliance.ApplianceService;
import io.ringfence.enforcement.appliance.ApplianceStatus;
import io.ringfence.rest.internal.Problems;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

/**
 * Partner virtual appliances: they register here (role {@code appliance}), pull their slice of
 * policy and acknowledge it; admins list and remove them, auditors read them.
 */
@Path("/v1/enforcement/appliances")
@Tag(name = "Enforcement")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class ApplianceResource {

    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s)?");
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String SESSION = "the session the registration answered with (its 'session'): a request of a session "
            + "that ended, because the appliance registered again since, is refused with 409 session-ended";

    private final ApplianceService appliances;

    @Inject
    public ApplianceResource(ApplianceService appliances) {
        this.appliances = appliances;
    }

    /**
     * Registers an appliance, or registers it again after a restart or a lost lease: a new
     * session, whose first update is the appliance's full state. Status: 201 (with Location), 400,
     * 403 (registered by another user), 413, 415, 422 (malformed id, unknown hosts).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a virtual appliance (role appliance)",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = ApplianceRegistration.class))))
    @ApiResponse(responseCode = "201", description = "Registered; a new session begins",
            headers = @Header(name = "Location", description = "URL of the appliance"),
            content = @Content(schema = @Schema(implementation = ApplianceStatus.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response register(ApplianceRegistration body, @Context UriInfo uri, @Context SecurityContext security) {
        ApplianceStatus status = appliances.register(Http.body(body), Http.principal(security));
        return Response.created(Http.location(uri, status.id())).entity(status).build();
    }

    /** Lists the appliances with their status, by id. Status: 200. */
    @GET
    @Operation(summary = "List virtual appliances")
    @ApiResponse(responseCode = "200", description = "Every registered appliance",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApplianceStatus.class))))
    public List<ApplianceStatus> list() {
        return appliances.appliances();
    }

    /** Reads one appliance's status. Status: 200, 400 (malformed id), 404. */
    @GET
    @Path("{id}")
    @Operation(summary = "Read a virtual appliance's status")
    @ApiResponse(responseCode = "200", description = "The appliance",
            content = @Content(schema = @Schema(implementation = ApplianceStatus.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public ApplianceStatus get(@PathParam("id") String id) {
        return appliances.appliance(id(id)).orElseThrow(() -> unknown(id));
    }

    /** Deregisters an appliance: it is no longer an enforcement target. Status: 204, 400, 404. */
    @DELETE
    @Path("{id}")
    @Operation(summary = "Deregister a virtual appliance (role admin, or the appliance itself)")
    @ApiResponse(responseCode = "204", description = "Deregistered")
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response delete(@PathParam("id") String id) {
        if (!appliances.deregister(id(id))) {
            throw unknown(id);
        }
        return Response.noContent().build();
    }

    /**
     * The appliance's next update after {@code after}, waiting for one up to {@code wait} (long
     * poll; the server bounds the wait). Status: 200 (the update), 204 (none within the wait), 400,
     * 403 (another user's appliance), 404 (not registered: register), 409 (lease expired, or
     * {@code after} beyond what this session sent: register again; or the session named ended: stop).
     */
    @GET
    @Path("{id}/updates")
    @Operation(summary = "Pull the next update (role appliance; long poll)")
    @ApiResponse(responseCode = "200", description = "The update to apply, then acknowledge",
            content = @Content(schema = @Schema(implementation = RuleSetUpdate.class)))
    @ApiResponse(responseCode = "204", description = "No update within the wait; poll again")
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    public Response updates(@PathParam("id") String id,
                            @Parameter(description = "the last sequence the appliance has (0 after registering)")
                            @QueryParam("after") @DefaultValue("0") String after,
                            @Parameter(description = "how long to wait for an update, e.g. 25s or 500ms (at most the server's limit)")
                            @QueryParam("wait") @DefaultValue("25s") String wait,
                            @Parameter(description = SESSION) @QueryParam("session") String session,
                            @Context SecurityContext security) throws InterruptedException {
        Optional<RuleSetUpdate> update = appliances.poll(id(id), Http.principal(security), session(session),
                after(after), wait(wait));
        return update.map(u -> Response.ok(u)).orElseGet(Response::noContent).build();
    }

    /**
     * The appliance's answer to its pending update. Status: 204, 400, 403, 404, 409 (not the
     * pending update, lease expired, or the session named ended), 413, 415, 422 (malformed, or vNICs
     * the update did not carry).
     */
    @POST
    @Path("{id}/acknowledgements")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge an update (role appliance)",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = AcknowledgementBody.class))))
    @ApiResponse(responseCode = "204", description = "Recorded")
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Response acknowledge(@PathParam("id") String id, AcknowledgementBody body,
                                @Parameter(description = SESSION) @QueryParam("session") String session,
                                @Context SecurityContext security) {
        appliances.acknowledge(id(id), Http.principal(security), session(session), Http.body(body).acknowledgement());
        return Response.noContent().build();
    }

    private static String id(String id) {
        if (!ApplianceRegistration.wellFormed(id)) {
            throw Problems.badRequest("malformed appliance id: letters, digits, '.', '_', '-', at most 64");
        }
        return id;
    }

    /** Null when not given; a malformed one is refused rather than compared (it could never match). */
    private static String session(String session) {
        if (session == null) {
            return null;
        }
        if (!SESSION_ID.matcher(session).matches()) {
            throw Problems.badRequest("session must be the id the registration answered with, not '" + session + "'");
        }
        return session;
    }

    private static long after(String after) {
        try {
            long value = Long.parseLong(after);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problems.badRequest("after must be a sequence number (0 or more), not '" + after + "'");
    }

    /** {@code 25s}, {@code 500ms} or plain seconds; longer waits are cut to the service's limit. */
    private Duration wait(String wait) {
        Matcher m = WAIT.matcher(wait);
        if (!m.matches()) {
            throw Problems.badRequest("wait must be a duration such as 25s or 500ms, not '" + wait + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = "ms".equals(m.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        return d.compareTo(appliances.maxWait()) > 0 ? appliances.maxWait() : d;
    }

    private static ApplianceException unknown(String id) {
        return new ApplianceException(Reason.UNKNOWN_APPLIANCE, "no appliance is registered as " + id);
    }
}
