package io.ringfence.rest.internal.resource;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.net.IpPrefix;
import io.ringfence.rest.internal.Problem;
import io.ringfence.rest.internal.Problems;
import io.ringfence.rest.internal.resource.EffectiveRules.EffectiveRuleEntry;
import io.ringfence.rest.internal.resource.EffectiveRules.RemoteSide;
import io.ringfence.rest.internal.resource.EffectiveRules.VnicRuleTable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/** What a VM's vNICs enforce: the compiled rule table of each, as its host has it. */
@Path("/v1/inventory/vms/{id}/effective-rules")
@Tag(name = "Inventory")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
public class EffectiveRulesResource {

    /** Reads of the tables and their address groups that may meet a concurrent change before one is consistent. */
    private static final int ATTEMPTS = 3;

    private final ModelService models;
    private final PolicyCompilerService compiler;

    @Inject
    public EffectiveRulesResource(ModelService models, PolicyCompilerService compiler) {
        this.models = models;
        this.compiler = compiler;
    }

    /** The rule tables of the VM's vNICs. Status: 200, 404 (no such VM), 503 (the tables kept changing while read). */
    @GET
    @Operation(summary = "Effective rules of a VM",
            description = "Per vNIC: the compiled entries for each direction in evaluation order (first match wins), "
                    + "each remote side resolved to its addresses (minimal prefixes), then the default action. "
                    + "Entries of staged rules are in their place, marked staged: they decide nothing.")
    @ApiResponse(responseCode = "200", description = "The rule tables of the VM's vNICs",
            content = @Content(schema = @Schema(implementation = EffectiveRules.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "503", description = "The compiled state kept changing while it was read; retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EffectiveRules effectiveRules(@PathParam("id") String id) {
        Vm vm = models.find(Kind.VM, id).orElseThrow(() -> new NotFoundException(Kind.VM.name(), id));
        // the tables and the address groups they name are read separately: read again when a
        // change came between, so that the answer is one generation's
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long generation = compiler.generation();
            List<VnicRuleSet> ruleSets = compiler.ruleSetsOfVm(id);
            Map<String, AddressGroup> addressGroups = addressGroups(ruleSets);
            if (addressGroups != null && compiler.generation() == generation) {
                return new Resolver(models.snapshot(), addressGroups).effectiveRules(vm, generation, ruleSets);
            }
        }
        throw new WebApplicationException(Response.fromResponse(Problems.response(Problem.of("changing",
                "The compiled rules are changing", 503, "the rule tables changed while they were read; retry")))
                .header("Retry-After", "1").build());
    }

    /** The address groups the tables refer to, or null when one of them is gone (a change came between). */
    private Map<String, AddressGroup> addressGroups(List<VnicRuleSet> ruleSets) {
        Map<String, AddressGroup> groups = new HashMap<>();
        for (VnicRuleSet set : ruleSets) {
            for (List<CompiledRule> entries : List.of(set.in(), set.out())) {
                for (CompiledRule entry : entries) {
                    if (entry.remote() != null && !groups.containsKey(entry.remote())) {
                        Optional<AddressGroup> group = compiler.addressGroup(entry.remote());
                        if (group.isEmpty()) {
                            return null;
                        }
                        groups.put(entry.remote(), group.get());
                    }
                }
            }
        }
        return groups;
    }

    /** Encodes compiled tables for one request, naming rules and policies from one model snapshot. */
    private static final class Resolver {
        private final ModelSnapshot model;
        private final Map<String, AddressGroup> addressGroups;
        /** Many entries share an address group: its prefixes are computed once. */
        private final Map<String, List<IpPrefix>> prefixes = new HashMap<>();

        Resolver(ModelSnapshot model, Map<String, AddressGroup> addressGroups) {
            this.model = model;
            this.addressGroups = addressGroups;
        }

        EffectiveRules effectiveRules(Vm vm, long generation, List<VnicRuleSet> ruleSets) {
            return new EffectiveRules(vm.id(), vm.name(), generation, ruleSets.stream().map(this::table).toList());
        }

        private VnicRuleTable table(VnicRuleSet set) {
            return new VnicRuleTable(set.vnicId(), set.hostId(), set.generation(),
                    set.in().stream().map(this::entry).toList(), set.out().stream().map(this::entry).toList(),
                    set.defaultAction(), set.defaultLogged());
        }

        private EffectiveRuleEntry entry(CompiledRule r) {
            // names are for reading only: a policy or rule deleted since compiling simply has none
            String policyName = model.find(Kind.POLICY, r.policyId()).map(Policy::name).orElse(null);
            String ruleName = model.findRule(r.policyId(), r.ruleId()).map(Rule::name).orElse(null);
            return new EffectiveRuleEntry(r.policyId(), policyName, r.ruleId(), ruleName, r.category(),
                    r.policySequence(), r.ruleSequence(), r.action(), r.logged(), r.staged(), r.tag(), r.services(),
                    remote(r));
        }

        private RemoteSide remote(CompiledRule r) {
            if (r.remote() == null) {
                return RemoteSide.ANY;
            }
            AddressGroup group = addressGroups.get(r.remote());
            return new RemoteSide(false, group.id(), group.groupIds(), r.remoteNegated(),
                    prefixes.computeIfAbsent(group.id(), g -> group.addresses().toPrefixes()));
        }
    }
}
