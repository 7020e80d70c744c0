package io.ringfence.rest.internal.resource;

import io.ringfence.dataplane.agent.HostStats;
import io.ringfence.dataplane.api.DataPlaneService;
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
 * The counters of a host's data plane: its connection table's occupancy and evictions, and the
 * packets it dropped for vNICs without tables.
 */
@Path("/v1/inventory/hosts/{id}/stats")
@Tag(name = "Statistics")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class HostStatsResource {

    private final ModelService models;
    private final DataPlaneService dataPlane;

    @Inject
    public HostStatsResource(ModelService models, DataPlaneService dataPlane) {
        this.models = models;
        this.dataPlane = dataPlane;
    }

    /** The counters of a host's agent. Status: 200, 404 (no such host). */
    @GET
    @Operation(summary = "Counters of a host's data plane", description = "The vNICs that have tables on the host, "
            + "the flows in its connection table, the flows evicted to make room, packets dropped because their "
            + "vNIC had no tables, and rule sets whose tables could not be built. A host without an agent (none "
            + "started yet) has zeros and running false.")
    @ApiResponse(responseCode = "200", description = "The host's counters",
            content = @Content(schema = @Schema(implementation = HostTraffic.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public HostTraffic host(@PathParam("id") String id) {
        models.find(Kind.HOST, id)
                .orElseThrow(() -> new NotFoundException(Kind.HOST.name(), id));
        return dataPlane.hostStats(id).map(s -> HostTraffic.of(id, s))
                .orElseGet(() -> new HostTraffic(id, false, 0, 0, 0, 0, 0));
    }

    /**
     * The counters of a host's agent.
     *
     * @param hostId           the host
     * @param running          the host has an agent
     * @param vnics            vNICs with tables
     * @param flows            flows in the connection table (expired ones not yet removed included)
     * @param evictions        flows evicted to make room
     * @param unknownVnicDrops packets of vNICs without tables yet, decided by the default rule (dropped unless it allows)
     * @param buildFailures    rule sets whose tables could not be built (the vNIC kept its previous tables)
     */
    public record HostTraffic(String hostId, boolean running, int vnics, int flows, long evictions,
                              long unknownVnicDrops, long buildFailures) {

        static HostTraffic of(String hostId, HostStats s) {
            return new HostTraffic(hostId, true, s.vnics(), s.flows(), s.evictions(), s.unknownVnicDrops(),
                    s.buildFailures());
        }
    }
}
