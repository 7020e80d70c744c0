package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.rest.internal.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.GenericEntity;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * The flow log of the data plane: new flows decided by logged rules and by the default rule, and the
 * would-be decisions of logged staged rules, all hosts.
 */
@Path("/v1/flow-log")
@Tag(name = "Statistics")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class FlowLogResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Response header: how many records the hosts' rings have overwritten, so a reader knows the log has a gap. */
    static final String OVERWRITTEN = "Ringfence-Flow-Log-Overwritten";

    private final ModelService models;
    private final DataPlaneService dataPlane;

    @Inject
    public FlowLogResource(ModelService models, DataPlaneService dataPlane) {
        this.models = models;
        this.dataPlane = dataPlane;
    }

    /**
     * Flow-log records matching the filters, newest first, with the number of records the hosts
     * have overwritten in a header. Status: 200, 400 (bad parameter), 404 (no such VM).
     */
    @GET
    @Operation(summary = "Read the flow log", description = "New flows decided by logged rules, every flow the "
            + "default rule dropped, and the would-be decisions of logged staged rules (marked staged, with the "
            + "verdict and rule that actually decided), across all hosts, newest first. Each host keeps a bounded "
            + "ring: the oldest records are overwritten, and the " + OVERWRITTEN + " header says how many were.")
    @ApiResponse(responseCode = "200", description = "The matching records, newest first",
            headers = @Header(name = OVERWRITTEN, description = "records the hosts' flow logs have overwritten so "
                    + "far, whatever the filters; above zero, the oldest records are gone",
                    schema = @Schema(type = "integer", format = "int64")),
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = FlowLogView.class))))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response read(
            @Parameter(description = "only flows of this VM") @QueryParam("vm") String vm,
            @Parameter(description = "only flows decided by this rule (default for the default rule; for staged "
                    + "records, the staged rule)") @QueryParam("rule") String rule,
            @Parameter(description = "only flows with this verdict (for staged records, the would-be verdict)",
                    schema = @Schema(allowableValues = {"ALLOW", "DROP", "REJECT"})) @QueryParam("verdict") String verdict,
            @Parameter(description = "only flows at or after this ISO-8601 instant, e.g. 2024-05-01T00:00:00Z")
            @QueryParam("since") String since,
            @Parameter(description = "true: only staged rules' would-be decisions; false: only real decisions; "
                    + "absent: both", schema = @Schema(type = "boolean")) @QueryParam("staged") String staged,
            @Parameter(description = "at most this many records",
                    schema = @Schema(type = "integer", defaultValue = "100", minimum = "1", maximum = "1000"))
            @QueryParam("limit") String limit) {
        Action action = verdict == null ? null : action(verdict);
        Instant from = since == null ? null : instant(since);
        Boolean onlyStaged = staged == null ? null : bool(staged);
        int n = limit == null ? DEFAULT_LIMIT : limit(limit);
        if (vm != null) {
            models.find(Kind.VM, vm).orElseThrow(() -> new NotFoundException(Kind.VM.name(), vm));
        }
        // read the count first: records overwritten while the log is read then show in the next read's count
        long overwritten = dataPlane.flowLogOverwritten();
        List<FlowLogView> records = dataPlane.flowLog(new FlowLogQuery(vm, rule, action, from, onlyStaged, n)).stream()
                .map(FlowLogView::of).toList();
        return Response.ok(new GenericEntity<>(records) {
        }).header(OVERWRITTEN, overwritten).build();
    }

    private static Boolean bool(String staged) {
        return switch (staged) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw Problems.badRequest("staged must be true or false: " + staged);
        };
    }

    private static Action action(String verdict) {
        try {
            return Action.valueOf(verdict);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("verdict must be ALLOW, DROP or REJECT: " + verdict);
        }
    }

    private static Instant instant(String since) {
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest("since must be an ISO-8601 instant such as 2024-05-01T00:00:00Z: " + since);
        }
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
     * One logged flow.
     *
     * @param time            when its first packet was decided
     * @param hostId          the host that decided it
     * @param vnicId          the vNIC it crossed
     * @param vmId            the vNIC's VM
     * @param direction       IN or OUT
     * @param protocol        IANA protocol number
     * @param source          source address
     * @param destination     destination address
     * @param sourcePort      source port (absent without ports)
     * @param destinationPort destination port (absent without ports)
     * @param icmpType        ICMP type (absent for other protocols)
     * @param icmpCode        ICMP code (absent for other protocols)
     * @param verdict         ALLOW, DROP or REJECT; for a staged record, the verdict the staged rule would have given
     * @param ruleId          the deciding rule, or {@code default}; for a staged record, the staged rule
     * @param policyId        its policy (absent for the default rule)
     * @param tag             the rule's tag (absent if none)
     * @param staged          the record is a staged rule's would-be decision, not what happened to the flow
     * @param actualVerdict   for a staged record, the verdict the flow actually got (absent otherwise)
     * @param actualRuleId    for a staged record, the rule that actually decided, or {@code default} (absent otherwise)
     */
    public record FlowLogView(Instant time, String hostId, String vnicId, String vmId, Direction direction,
                              int protocol, String source, String destination, Integer sourcePort,
                              Integer destinationPort, Integer icmpType, Integer icmpCode, Action verdict,
                              String ruleId, String policyId, String tag, boolean staged,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Action actualVerdict,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String actualRuleId) {
        static FlowLogView of(FlowLogRecord r) {
            boolean icmp = r.icmpType() >= 0;
            return new FlowLogView(r.time(), r.hostId(), r.vnicId(), r.vmId(), r.direction(), r.protocol(),
                    r.source(), r.destination(), icmp ? null : r.sourcePort(), icmp ? null : r.destinationPort(),
                    icmp ? r.icmpType() : null, icmp ? r.icmpCode() : null, r.action(), r.ruleId(), r.policyId(),
                    r.tag(), r.staged(), r.actualAction(), r.actualRuleId());
        }
    }
}
