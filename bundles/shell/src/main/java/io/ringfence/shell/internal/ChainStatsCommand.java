package io.ringfence.shell.internal;

import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.ServiceInsertion;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The counters of the service chains: packets, verdicts, failures and latency. */
@Service
@Command(scope = "ringfence", name = "chain-stats", description = "Shows the counters of the service chains")
public class ChainStatsCommand extends RingfenceCommand {

    @Reference
    ServiceInsertion insertion;

    @Override
    void run() throws Exception {
        List<ChainStats> chains = insertion.chainStats();
        ShellTable table = new ShellTable();
        table.column("Chain");
        table.column("Packets").alignRight();
        table.column("Passed").alignRight();
        table.column("Dropped").alignRight();
        table.column("Rejected").alignRight();
        table.column("Bypassed").alignRight();
        table.column("Failures").alignRight();
        table.column("Sessions").alignRight();
        for (ChainStats c : chains) {
            long failures = c.failures().values().stream().mapToLong(Long::longValue).sum();
            table.addRow().addContent(c.chainId(), c.packets(), c.passed(), c.dropped(), c.rejected(), c.bypassed(),
                    failures, c.sessionsOpen());
        }
        print(chains, table);
    }
}
