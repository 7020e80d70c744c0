package io.ringfence.rest.internal.resource;

import io.ringfence.insertion.RecentAlert;
import io.ringfence.rest.internal.InsertionRuntime;
import io.ringfence.rest.internal.Problems;
import io.ringfence.spi.inspection.Alert;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
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
import javax.ws.rs.core.MediaType;

/**
 * What partner functions found in the flows they inspect, lately. The runtime keeps a bounded ring
 * of recent alerts per definition (the oldest are overwritten) and logs each one as well.
 */
@Path("/v1/service-insertion/alerts")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class AlertResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final InsertionRuntime runtime;

    @Inject
    public AlertResource(InsertionRuntime runtime) {
        this.runtime = runtime;
    }

    /** Recent alerts, newest first. Status: 200, 400 (bad limit), 503 (no runtime). */
    @GET
    @Operation(summary = "Recent alerts of the partner functions",
            description = "Newest first, of one definition or of all; a definition's alerts outlive its instances. "
                    + "Each definition keeps a bounded number of recent alerts.")
    @ApiResponse(responseCode = "200", description = "The alerts, newest first",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = AlertView.class))))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    public List<AlertView> read(
            @Parameter(description = "only the alerts of this service definition, vendor/name")
            @QueryParam("definition") String definition,
            @Parameter(description = "at most this many alerts",
                    schema = @Schema(type = "integer", defaultValue = "100", minimum = "1", maximum = "1000"))
            @QueryParam("limit") String limit) {
        int n = limit == null ? DEFAULT_LIMIT : limit(limit);
        List<RecentAlert> alerts = definition == null
                ? runtime.insertion().recentAlerts(n)
                : runtime.insertion().recentAlerts(definition, n);
        return alerts.stream().map(AlertView::of).toList();
    }

    private static int limit(String limit) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw Problems.badRequest("limit must be 1-" + MAX_LIMIT + ": " + limit);
        }
        return n;
    }

    /**
     * An alert a function reported about a flow.
     *
     * @param time         when it was reported
     * @param definitionId the function's service definition
     * @param version      the version of the instance that reported it
     * @param chainId      the chain the flow is steered through
     * @param profileId    the profile of the chain's hop
     * @param flowId       the flow
     * @param vnicId       the vNIC the flow crosses
     * @param vmId         the VM owning the vNIC
     * @param signature    what matched, in the function's own terms (a signature id, an application)
     * @param message      one line for admins
     * @param severity     INFO, LOW, MEDIUM, HIGH or CRITICAL
     * @param blocked      the function blocked the flow for it, rather than only reporting it
     */
    @Schema(description = "An alert a partner function reported about a flow")
    public record AlertView(Instant time, String definitionId, String version, String chainId, String profileId,
                            long flowId, String vnicId, String vmId, String signature, String message,
                            Alert.Severity severity, boolean blocked) {
        static AlertView of(RecentAlert a) {
            return new AlertView(a.time(), a.definitionId(), a.version(), a.chainId(), a.profileId(), a.flowId(),
                    a.vnicId(), a.vmId(), a.alert().signature(), a.alert().message(), a.alert().severity(),
                    a.alert().blocked());
        }
    }
}
