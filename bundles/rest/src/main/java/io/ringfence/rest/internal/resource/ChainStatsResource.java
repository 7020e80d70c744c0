package io.ringfence.rest.internal.resource;

import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.HopOutcome;
import io.ringfence.insertion.LatencyStats;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Kind;
import io.ringfence.rest.internal.InsertionRuntime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.TreeMap;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/** The counters of a service chain, over every flow the data plane steered through it. */
@Path("/v1/service-insertion/chains/{id}/stats")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class ChainStatsResource {

    private final ModelService models;
    private final InsertionRuntime runtime;

    @Inject
    public ChainStatsResource(ModelService models, InsertionRuntime runtime) {
        this.models = models;
        this.runtime = runtime;
    }

    /** The chain's counters (zeros before its first flow). Status: 200, 404 (no such chain), 503 (no runtime). */
    @GET
    @Operation(summary = "Counters of a service chain",
            description = "Packets decided and their verdicts (packets = passed + dropped + rejected + bypassed), "
                    + "decisions the failure policy took by cause, flows, and the time to decide a packet.")
    @ApiResponse(responseCode = "200", description = "The chain's counters",
            content = @Content(schema = @Schema(implementation = ChainStatsView.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public ChainStatsView get(@PathParam("id") String id) {
        models.find(Kind.SERVICE_CHAIN, id).orElseThrow(() -> new NotFoundException(Kind.SERVICE_CHAIN.name(), id));
        return ChainStatsView.of(runtime.insertion().chainStats(id)
                .orElseGet(() -> new ChainStats(id, 0, 0, 0, 0, 0, Map.of(), 0, 0, LatencyStats.NONE)));
    }

    /**
     * The counters of one chain. Every packet decided counts once in {@code packets} and once in
     * exactly one verdict; a snapshot reads each counter once, so under traffic the two sides may
     * be a few packets apart.
     *
     * @param chainId       the chain
     * @param packets       packets decided
     * @param passed        packets passed
     * @param dropped       packets dropped
     * @param rejected      packets rejected
     * @param bypassed      packets passed after which no function of the chain inspects their flow again
     * @param failures      hop decisions the failure policy took, by cause (a packet can count at several hops)
     * @param sessionsOpen  flows steered through the chain now
     * @param sessionsTotal flows steered through the chain so far
     * @param latency       time to decide a packet, whole chain
     */
    @Schema(description = "Counters of a service chain")
    public record ChainStatsView(String chainId, long packets, long passed, long dropped, long rejected,
                                 long bypassed,
                                 @Schema(description = "by cause: EXCEPTION, DEADLINE, NULL_VERDICT, "
                                         + "MISSING_INSTANCE, ABANDONED") Map<HopOutcome, Long> failures,
                                 long sessionsOpen, long sessionsTotal, LatencyView latency) {
        static ChainStatsView of(ChainStats s) {
            return new ChainStatsView(s.chainId(), s.packets(), s.passed(), s.dropped(), s.rejected(), s.bypassed(),
                    new TreeMap<>(s.failures()), s.sessionsOpen(), s.sessionsTotal(), LatencyView.of(s.latency()));
        }
    }
}
