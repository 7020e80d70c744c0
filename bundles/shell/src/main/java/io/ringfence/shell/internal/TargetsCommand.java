package io.ringfence.shell.internal;

import io.ringfence.enforcement.EnforcementService;
import io.ringfence.enforcement.TargetFeedStatus;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The enforcement targets the framework feeds and what each has realized. */
@Service
@Command(scope = "ringfence", name = "targets", description = "Lists the enforcement targets with the vNICs "
        + "realized and pending, and the last error")
public class TargetsCommand extends RingfenceCommand {

    @Option(name = "--resync", description = "First send this target its full state again")
    String resync;

    @Reference
    EnforcementService enforcement;

    @Override
    void run() throws Exception {
        if (resync != null && !enforcement.resync(resync)) {
            throw refused("no enforcement target " + resync);
        }
        List<TargetFeedStatus> targets = enforcement.targets();
        ShellTable table = new ShellTable();
        table.column("Target");
        table.column("vNICs").alignRight();
        table.column("Realized").alignRight();
        table.column("Update");
        table.column("Last error");
        for (TargetFeedStatus t : targets) {
            long realized = t.desired().entrySet().stream()
                    .filter(e -> e.getValue().equals(t.realized().get(e.getKey()))).count();
            String error = t.error() == null ? "-"
                    : t.error().code() + " at " + time(t.failedAt()) + ": " + t.error().message();
            table.addRow().addContent(t.targetId(), t.desired().size(), realized,
                    t.sequence() + (t.inFlight() ? " (in flight)" : ""), error);
        }
        print(targets, table);
    }
}
