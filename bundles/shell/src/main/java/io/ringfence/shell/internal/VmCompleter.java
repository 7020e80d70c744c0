package io.ringfence.shell.internal;

import io.ringfence.manager.ModelService;
import io.ringfence.model.Entity;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes VM ids. */
@Service
public class VmCompleter implements Completer {

    @Reference
    ModelService models;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(models.snapshot().vms().stream().map(Entity::id).toList())
                .complete(session, commandLine, candidates);
    }
}
