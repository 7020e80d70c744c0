package io.ringfence.shell.internal;

import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Where a policy, a rule or a VM is realized, and which vNICs are not yet. */
@Service
@Command(scope = "ringfence", name = "realization", description = "Shows on how many vNICs a policy, rule or VM "
        + "is realized, and the vNICs pending or failed with their target, host and error")
public class RealizationCommand extends RingfenceCommand {

    @Option(name = "--policy", description = "The policy")
    @Completion(PolicyCompleter.class)
    String policyId;

    @Option(name = "--rule", description = "The rule")
    String ruleId;

    @Option(name = "--vm", description = "The VM")
    @Completion(VmCompleter.class)
    String vmId;

    @Reference
    ModelService models;

    @Reference
    RealizationService realization;

    @Override
    void run() throws Exception {
        int given = (policyId != null ? 1 : 0) + (ruleId != null ? 1 : 0) + (vmId != null ? 1 : 0);
        if (given != 1) {
            throw refused("give one of --policy, --rule or --vm");
        }
        Realization r;
        if (policyId != null) {
            models.find(Kind.POLICY, policyId).orElseThrow(() -> refused("no policy " + policyId));
            r = realization.ofPolicy(policyId);
        } else if (vmId != null) {
            models.find(Kind.VM, vmId).orElseThrow(() -> refused("no VM " + vmId));
            r = realization.ofVm(vmId);
        } else {
            if (models.snapshot().policies().stream().flatMap(p -> p.rules().stream())
                    .noneMatch(rule -> rule.id().equals(ruleId))) {
                throw refused("no rule " + ruleId);
            }
            r = realization.ofRule(ruleId);
        }
        if (json) {
            print(r, null);
            return;
        }
        out().println(r.summary());
        if (!r.notRealized().isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Target");
            table.column("Host");
            table.column("VM");
            table.column("vNIC");
            table.column("State");
            table.column("Generation (realized/desired)");
            table.column("Since");
            table.column("Error");
            for (VnicRealization v : r.notRealized()) {
                table.addRow().addContent(v.targetId(), v.hostId(), v.vmId(), v.vnicId(), v.state(),
                        v.realizedGeneration() + "/" + v.desiredGeneration(), time(v.pendingSince()),
                        v.lastError() == null ? "-" : v.lastError().code() + ": " + v.lastError().message());
            }
            table.print(out());
        }
    }
}
