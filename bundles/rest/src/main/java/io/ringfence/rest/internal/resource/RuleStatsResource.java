package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.RuleTraffic;
import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.TargetRuleHits;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * The traffic counters of the rules: the in-JVM data plane's, summed over its hosts, plus the hits the
 * enforcement targets counted themselves (e.g. the kernel's nftables counters), with each target's share.
 */
@Path("/v1/stats/rules")
@Tag(name = "Statistics")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class RuleStatsResource {

    private final ModelService models;
    private final DataPlaneService dataPlane;
    private final TargetCounterService targets;

    @Inject
    public RuleStatsResource(ModelService models, DataPlaneService dataPlane, TargetCounterService targets) {
        this.models = models;
        this.dataPlane = dataPlane;
        this.targets = targets;
    }

    /**
     * The counters of every rule of the model, in policy and rule order, then of the default rule.
     * Status: 200.
     */
    @GET
    @Operation(summary = "Traffic counters of all rules",
            description = "Every rule of the model (zeros when it saw no traffic), then the default rule. Packets and "
                    + "bytes are the in-JVM data plane's plus those the enforcement targets counted, whose shares "
                    + "are listed under targets. Each rule also has the would-be hits it had while staged, apart "
                    + "from its real counters.")
    @ApiResponse(responseCode = "200", description = "The counters of each rule",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = RuleStatsEntry.class))))
    public List<RuleStatsEntry> all() {
        ModelSnapshot model = models.snapshot();
        Map<String, List<TargetRuleHits>> onTargets = targets.ruleHits();
        List<RuleStatsEntry> entries = new ArrayList<>();
        List<Policy> policies = new ArrayList<>(model.policies());
        // evaluation order: category, then sequence (the rules of a policy are kept in order)
        policies.sort(java.util.Comparator.comparing(Policy::category)
                .thenComparing(Policy::sequence, java.util.Comparator.nullsLast(Integer::compare))
                .thenComparing(Policy::id));
        for (Policy p : policies) {
            for (Rule r : p.rules()) {
                entries.add(entry(p, r, onTargets.getOrDefault(r.id(), List.of())));
            }
        }
        entries.add(RuleStatsEntry.ofDefault(dataPlane.ruleStats(Verdict.DEFAULT),
                onTargets.getOrDefault(Verdict.DEFAULT, List.of())));
        return entries;
    }

    /** The counters of one rule ({@code default} for the default rule). Status: 200, 404 (no such rule). */
    @GET
    @Path("{id}")
    @Operation(summary = "Traffic counters of a rule",
            description = "Its real counters (the in-JVM data plane's plus the enforcement targets', with each "
                    + "target's share) and, apart, the would-be hits it had while staged.")
    @ApiResponse(responseCode = "200", description = "The counters of the rule",
            content = @Content(schema = @Schema(implementation = RuleStatsEntry.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public RuleStatsEntry one(@PathParam("id") String id) {
        if (Verdict.DEFAULT.equals(id)) {
            return RuleStatsEntry.ofDefault(dataPlane.ruleStats(id), targets.ruleHits(id));
        }
        for (Policy p : models.snapshot().policies()) {
            for (Rule r : p.rules()) {
                if (r.id().equals(id)) {
                    return entry(p, r, targets.ruleHits(id));
                }
            }
        }
        throw new NotFoundException("rule", id);
    }

    private RuleStatsEntry entry(Policy p, Rule r, List<TargetRuleHits> onTargets) {
        RuleTraffic real = dataPlane.ruleStats(r.id());
        RuleTraffic wouldBe = dataPlane.stagedRuleStats(r.id());
        return new RuleStatsEntry(r.id(), p.id(), real.packets() + packetsOn(onTargets),
                real.bytes() + bytesOn(onTargets), real.sessions(), real.lastHit(), r.staged(),
                new StagedHits(wouldBe.packets(), wouldBe.bytes(), wouldBe.sessions(), wouldBe.lastHit()), onTargets);
    }

    private static long packetsOn(List<TargetRuleHits> hits) {
        return hits.stream().mapToLong(TargetRuleHits::packets).sum();
    }

    private static long bytesOn(List<TargetRuleHits> hits) {
        return hits.stream().mapToLong(TargetRuleHits::bytes).sum();
    }

    /**
     * The counters of one rule over all hosts.
     *
     * @param ruleId     the rule ({@code default} for the default rule)
     * @param policyId   its policy (absent for the default rule)
     * @param packets    packets it decided, including those of the flows it allowed: the in-JVM data plane's
     *                   plus those of {@code targets}
     * @param bytes      their bytes
     * @param sessions   flows it allowed in the in-JVM data plane (targets count no flows)
     * @param lastHit    when it last decided a packet in the in-JVM data plane (absent if never)
     * @param staged     the rule is staged now: it decides nothing, so its real counters do not move
     * @param stagedHits what it would have decided while staged (absent for the default rule)
     * @param targets    the hits each enforcement target counted itself (e.g. the kernel's nftables counters),
     *                   as last read, by target id; empty when no target counts this rule
     */
    public record RuleStatsEntry(String ruleId, String policyId, long packets, long bytes, long sessions,
                                 Instant lastHit, boolean staged,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) StagedHits stagedHits,
                                 List<TargetRuleHits> targets) {
        static RuleStatsEntry ofDefault(RuleTraffic t, List<TargetRuleHits> onTargets) {
            return new RuleStatsEntry(t.ruleId(), null, t.packets() + packetsOn(onTargets),
                    t.bytes() + bytesOn(onTargets), t.sessions(), t.lastHit(), false, null, onTargets);
        }
    }

    /**
     * The would-be hits of a rule while it was staged, over all hosts, kept apart from its real
     * counters. Only the packet that opens a flow is evaluated for staged rules.
     *
     * @param packets  new-flow packets it would have decided, had it been enforced
     * @param bytes    their bytes
     * @param sessions the flows among them the data plane opened (for a staged DROP or REJECT: the
     *                 connections it would have stopped)
     * @param lastHit  the latest such packet (absent if none)
     */
    @Schema(description = "Would-be hits of a staged rule: the new flows it would have decided")
    public record StagedHits(long packets, long bytes, long sessions, Instant lastHit) {
    }
}
