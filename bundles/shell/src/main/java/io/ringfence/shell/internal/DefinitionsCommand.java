package io.ringfence.shell.internal;

import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInstance;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The inspection functions partners registered, one line per running instance. */
@Service
@Command(scope = "ringfence", name = "definitions", description = "Lists the partners' inspection functions "
        + "with each running version, its health and open sessions")
public class DefinitionsCommand extends RingfenceCommand {

    @Reference
    ServiceDefinitionRegistry definitions;

    @Override
    void run() throws Exception {
        List<ServiceDefinition> all = definitions.definitions();
        ShellTable table = new ShellTable();
        table.column("Definition");
        table.column("Version");
        table.column("Health");
        table.column("New flows");
        table.column("Sessions").alignRight();
        for (ServiceDefinition d : all) {
            if (d.instances().isEmpty()) {
                table.addRow().addContent(d.id(), "-", "gone", "no", 0);
            }
            for (ServiceInstance i : d.instances()) {
                table.addRow().addContent(d.id(), i.version(), i.circuitOpen() ? i.health() + " (circuit open)"
                        : i.health(), i.acceptsFlows() ? "yes" : "no", i.sessionsOpen());
            }
        }
        print(all, table);
    }
}
