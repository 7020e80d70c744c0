package io.ringfence.shell.internal;

import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.RuleTraffic;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The traffic counters of the rules, summed over every host, in evaluation order. */
@Service
@Command(scope = "ringfence", name = "rule-stats", description = "Shows the traffic counters of the rules, "
        + "summed over every host, in evaluation order (the default rule last)")
public class RuleStatsCommand extends RingfenceCommand {

    /** Policies by category, then sequence (unsequenced last), then id: as the REST API lists them. */
    static final Comparator<Policy> EVALUATION_ORDER = Comparator.comparing(Policy::category)
            .thenComparing(Policy::sequence, Comparator.nullsLast(Integer::compare)).thenComparing(Policy::id);

    @Argument(name = "policy", description = "Only the rules of this policy")
    @Completion(PolicyCompleter.class)
    String policyId;

    @Reference
    ModelService models;

    @Reference
    DataPlaneService dataPlane;

    /**
     * One rule's line.
     *
     * @param policyId null for the default rule
     * @param wouldBe  the hits it would have had while staged; null for the default rule
     */
    record RuleLine(String policyId, String ruleId, boolean staged, RuleTraffic traffic, RuleTraffic wouldBe) {
    }

    @Override
    void run() throws Exception {
        ModelSnapshot model = models.snapshot();
        if (policyId != null && model.find(Kind.POLICY, policyId).isEmpty()) {
            throw refused("no policy " + policyId);
        }
        List<RuleLine> lines = new ArrayList<>();
        model.policies().stream()
                .filter(p -> policyId == null || p.id().equals(policyId))
                .sorted(EVALUATION_ORDER)
                .forEach(p -> {
                    for (Rule r : p.rules()) {
                        lines.add(new RuleLine(p.id(), r.id(), r.staged(), dataPlane.ruleStats(r.id()),
                                dataPlane.stagedRuleStats(r.id())));
                    }
                });
        if (policyId == null) {
            lines.add(new RuleLine(null, Verdict.DEFAULT, false, dataPlane.ruleStats(Verdict.DEFAULT), null));
        }
        ShellTable table = new ShellTable();
        table.column("Policy");
        table.column("Rule");
        table.column("Packets").alignRight();
        table.column("Bytes").alignRight();
        table.column("Sessions").alignRight();
        table.column("Last hit");
        table.column("Staged hits").alignRight();
        for (RuleLine l : lines) {
            RuleTraffic t = l.traffic();
            table.addRow().addContent(orDash(l.policyId()), l.ruleId() + (l.staged() ? " (staged)" : ""),
                    t.packets(), t.bytes(), t.sessions(), time(t.lastHit()),
                    l.wouldBe() == null ? "-" : l.wouldBe().packets());
        }
        print(lines, table);
    }
}
