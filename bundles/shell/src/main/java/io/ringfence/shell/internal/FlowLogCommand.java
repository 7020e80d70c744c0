package io.ringfence.shell.internal;

import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.model.Action;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/** The flow log of every host, newest first, as {@code GET /api/v1/flow-log} filters it. */
@Service
@Command(scope = "ringfence", name = "flow-log", description = "Shows the flow log of every host, newest first")
public class FlowLogCommand extends RingfenceCommand {

    @Option(name = "--vm", description = "Only records of this VM's vNICs")
    @Completion(VmCompleter.class)
    String vmId;

    @Option(name = "--rule", description = "Only records decided by this rule (default for the default rule)")
    String ruleId;

    @Option(name = "--verdict", description = "Only records with this verdict: allow, drop or reject")
    @Completion(value = StringsCompleter.class, values = {"allow", "drop", "reject"})
    String verdict;

    @Option(name = "--since", description = "Only records from this time on: an ISO instant "
            + "(2026-01-31T12:00:00Z) or a duration back from now (PT10M)")
    String since;

    @Option(name = "-n", aliases = "--limit", description = "At most this many records (default 50)")
    int limit = 50;

    @Reference
    DataPlaneService dataPlane;

    @Override
    void run() throws Exception {
        if (limit <= 0 || limit > 10_000) {
            throw refused("--limit must be between 1 and 10000");
        }
        Action action = null;
        if (verdict != null) {
            try {
                action = Action.valueOf(verdict.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw refused("unknown verdict " + verdict + ": allow, drop or reject");
            }
        }
        List<FlowLogRecord> records = dataPlane.flowLog(new FlowLogQuery(vmId, ruleId, action, since(), null, limit));
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("Host");
        table.column("VM");
        table.column("Dir");
        table.column("Flow");
        table.column("Verdict");
        table.column("Rule");
        for (FlowLogRecord r : records) {
            table.addRow().addContent(time(r.time()), r.hostId(), orDash(r.vmId()), r.direction(),
                    FlowsCommand.protocol(r.protocol()) + " " + r.source() + ":" + r.sourcePort() + " -> "
                            + r.destination() + ":" + r.destinationPort(),
                    r.staged() ? r.action() + " (staged; actual " + r.actualAction() + ")" : r.action(),
                    orDash(r.ruleId()));
        }
        print(records, table);
    }

    private Instant since() {
        if (since == null) {
            return null;
        }
        try {
            return since.startsWith("P") || since.startsWith("p")
                    ? Instant.now().minus(Duration.parse(since)) : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw refused("--since: not an ISO instant or duration: " + since);
        }
    }
}
