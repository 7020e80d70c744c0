package io.ringfence.rest.internal.resource;

import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.Traceflow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * Traceflow: what the data plane would do with one packet from a VM or vNIC to another or to an
 * address, step by step, service chains included. It changes nothing (no counter, no flow, no session
 * of a steered flow), so a read role suffices; the functions of a chain do see the packet, in
 * throwaway sessions.
 */
@Path("/v1/traceflow")
@Tag(name = "Data plane")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class TraceflowResource {

    private final DataPlaneService dataPlane;

    @Inject
    public TraceflowResource(DataPlaneService dataPlane) {
        this.dataPlane = dataPlane;
    }

    /**
     * Traces the packet. Status: 200, 400 (malformed JSON), 413, 415, 422 (unknown source or
     * destination, a source without a vNIC or an address of the needed family, ports out of range or
     * with ICMP, missing protocol: fields as JSON pointers into the request, e.g. /destinationPort).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trace a packet",
            description = "What the data plane would decide for a packet that opens a connection from the source "
                    + "vNIC: at the source vNIC (OUT) and, when that allows it and the destination is a vNIC, at the "
                    + "destination vNIC (IN); each step names its host, the rule-set generation, what decided (flow "
                    + "table, rule, default rule, no rule set) and the action, and, when a staged rule would have "
                    + "decided the packet instead, that rule and its verdict (staged). When the firewall allows the "
                    + "packet and the redirection policy steers its flow through a service chain, the step also names "
                    + "the redirection rule and the chain, what each function of the chain made of the packet (its "
                    + "version, INSPECTED with its verdict, or why the chain's failure policy decided) and the action "
                    + "after the chain (steering); the trace stops at a step whose chain drops or rejects the packet. "
                    + "Changes no counter, no flow and no session of a steered flow (the functions see the packet in "
                    + "throwaway sessions); a read role suffices.",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = TraceflowRequest.class))))
    @ApiResponse(responseCode = "200", description = "The steps and the final verdict",
            content = @Content(schema = @Schema(implementation = Traceflow.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/TooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Invalid")
    public Traceflow trace(TraceflowRequest body) {
        return dataPlane.trace(Http.body(body).toRequest());
    }
}
