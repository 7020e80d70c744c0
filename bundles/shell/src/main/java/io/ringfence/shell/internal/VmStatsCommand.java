package io.ringfence.shell.internal;

import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The traffic counters of a VM's vNICs. */
@Service
@Command(scope = "ringfence", name = "vm-stats", description = "Shows the traffic counters of a VM's vNICs")
public class VmStatsCommand extends RingfenceCommand {

    @Argument(name = "vm", required = true, description = "The VM")
    @Completion(VmCompleter.class)
    String vmId;

    @Reference
    ModelService models;

    @Reference
    DataPlaneService dataPlane;

    @Override
    void run() throws Exception {
        Vm vm = models.find(Kind.VM, vmId).orElseThrow(() -> refused("no VM " + vmId));
        List<VnicStats> stats = vm.vnics().stream().map(Vnic::id).map(dataPlane::vnicStats)
                .flatMap(Optional::stream).toList();
        ShellTable table = new ShellTable();
        table.column("vNIC");
        table.column("Allowed").alignRight();
        table.column("Dropped").alignRight();
        table.column("Invalid").alignRight();
        table.column("Rejected").alignRight();
        table.column("Flows").alignRight();
        table.column("Cut").alignRight();
        table.column("Evicted").alignRight();
        table.column("Steered").alignRight();
        for (VnicStats s : stats) {
            table.addRow().addContent(s.vnicId(), s.allowed(), s.dropped(), s.invalid(), s.rejected(),
                    s.flowsCreated(), s.flowsCut(), s.flowsEvicted(), s.steered());
        }
        print(stats, table);
    }
}
