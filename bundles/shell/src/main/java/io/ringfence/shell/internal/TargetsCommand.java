package io.ringfence.shell.internal;

import io.ringfence.enforcement.RealizationOverview;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.TargetRealization;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The enforcement targets the framework feeds and what each has realized, as {@code GET /api/v1/realization}. */
@Service
@Command(scope = "ringfence", name = "targets", description = "Lists the enforcement targets with their vNICs "
        + "realized, pending and failed, the next retry and the last error")
public class TargetsCommand extends RingfenceCommand {

    @Option(name = "--resync", description = "First send this target its full state again")
    String resync;

    @Reference
    RealizationService realization;

    @Override
    void run() throws Exception {
        if (resync != null && !realization.resync(resync)) {
            throw refused("no enforcement target " + resync);
        }
        RealizationOverview overview = realization.overview();
        ShellTable table = new ShellTable();
        table.column("Target");
        table.column("Kind");
        table.column("vNICs").alignRight();
        table.column("Realized").alignRight();
        table.column("Pending").alignRight();
        table.column("Failed").alignRight();
        table.column("Next retry");
        table.column("Last error");
        for (TargetRealization t : overview.targets()) {
            String error = t.lastError() == null ? "-"
                    : t.lastError().code() + " at " + time(t.lastError().at()) + ": " + t.lastError().message();
            table.addRow().addContent(t.targetId(), t.kind(), t.vnics(), t.realized(), t.pending(), t.failed(),
                    time(t.nextRetryAt()), error);
        }
        print(overview, table);
    }
}
