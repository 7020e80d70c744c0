package io.ringfence.shell.internal;

import io.ringfence.manager.ModelService;
import io.ringfence.model.Policy;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The firewall policies in evaluation order. */
@Service
@Command(scope = "ringfence", name = "policies", description = "Lists the firewall policies in evaluation order")
public class PoliciesCommand extends RingfenceCommand {

    @Reference
    ModelService models;

    @Override
    void run() throws Exception {
        List<Policy> policies = models.snapshot().policies().stream()
                .sorted(RuleStatsCommand.EVALUATION_ORDER)
                .toList();
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Category");
        table.column("Sequence").alignRight();
        table.column("Rules").alignRight();
        table.column("Name");
        policies.forEach(p -> table.addRow().addContent(p.id(), p.category(), orDash(p.sequence()), p.rules().size(),
                p.name()));
        print(policies, table);
    }
}
