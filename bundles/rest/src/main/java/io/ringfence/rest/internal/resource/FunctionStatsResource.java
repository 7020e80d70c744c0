package io.ringfence.rest.internal.resource;

import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.rest.internal.InsertionRuntime;
import io.ringfence.spi.inspection.Verdict;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/** The counters of every registered instance of a partner function. */
@Path("/v1/service-insertion/functions/stats")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class FunctionStatsResource {

    private final InsertionRuntime runtime;

    @Inject
    public FunctionStatsResource(InsertionRuntime runtime) {
        this.runtime = runtime;
    }

    /** The counters of each registered instance, by definition, newest first. Status: 200, 503 (no runtime). */
    @GET
    @Operation(summary = "Counters of the partner functions",
            description = "One entry per registered instance (a version of a definition), by definition id, newest "
                    + "first; an instance's counters leave with it.")
    @ApiResponse(responseCode = "200", description = "The counters of each instance",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = FunctionStatsView.class))))
    public List<FunctionStatsView> all() {
        return runtime.insertion().functionStats().stream().map(FunctionStatsView::of).toList();
    }

    /**
     * The counters of one registered instance of a function.
     *
     * @param definitionId    its service definition
     * @param version         its version
     * @param serviceId       its OSGi service id
     * @param packets         packets it was asked to inspect
     * @param verdicts        the verdicts it gave, by kind
     * @param failures        its calls that threw, missed their deadline or returned null, by cause
     * @param sessionsOpen    flows it inspects now
     * @param sessionsOpened  sessions opened fresh on it
     * @param sessionsResumed sessions it took over from an older instance with their state
     * @param statesExported  sessions that handed their state over when it left
     * @param breakerTrips    times its circuit breaker tripped
     * @param latency         time of its inspect calls as the data plane waited for them
     */
    @Schema(description = "Counters of a registered instance of a partner function")
    public record FunctionStatsView(String definitionId, String version, long serviceId, long packets,
                                    Map<Verdict, Long> verdicts,
                                    @Schema(description = "by cause: EXCEPTION, DEADLINE, NULL_VERDICT")
                                    Map<HopOutcome, Long> failures,
                                    long sessionsOpen, long sessionsOpened, long sessionsResumed, long statesExported,
                                    long breakerTrips, LatencyView latency) {
        static FunctionStatsView of(FunctionStats s) {
            return new FunctionStatsView(s.definitionId(), s.version(), s.serviceId(), s.packets(),
                    new TreeMap<>(s.verdicts()), new TreeMap<>(s.failures()), s.sessionsOpen(), s.sessionsOpened(),
                    s.sessionsResumed(), s.statesExported(), s.breakerTrips(), LatencyView.of(s.latency()));
        }
    }
}
