package io.ringfence.shell.internal;

import io.ringfence.manager.ModelService;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Kind;
import io.ringfence.move.VmMove;
import io.ringfence.move.VmMoveRefusedException;
import io.ringfence.move.VmMoveService;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * Moves a VM to another host with its connections, as {@code POST /api/v1/inventory/vms/{id}/move};
 * audited under the console user's name.
 */
@Service
@Command(scope = "ringfence", name = "vm-move", description = "Moves a VM to another host with its tracked "
        + "connections: rule sets realized on the destination first, traffic cut over, the new host committed")
public class VmMoveCommand extends RingfenceCommand {

    @Argument(index = 0, name = "vm", required = true, description = "The VM")
    @Completion(VmCompleter.class)
    String vmId;

    @Argument(index = 1, name = "host", required = true, description = "The host it moves to")
    @Completion(HostCompleter.class)
    String hostId;

    @Reference
    ModelService models;

    @Reference
    VmMoveService moves;

    /** The console session, for the user's name; null in tests. */
    @Reference(optional = true)
    Session session;

    @Override
    void run() throws Exception {
        models.find(Kind.VM, vmId).orElseThrow(() -> refused("no VM " + vmId));
        VmMove move;
        try {
            move = moves.move(vmId, hostId, null, principal());
        } catch (ValidationException e) {
            throw refused(e.violations().stream().map(Violation::message).collect(Collectors.joining("; ")));
        } catch (VmMoveRefusedException | IllegalStateException e) {
            throw refused(e.getMessage());
        }
        if (json) {
            print(move, null);
            return;
        }
        out().printf("%s moved from %s to %s: %d connections carried, %d cut, packets held %d µs%n", vmId,
                move.fromHostId(), move.vm().hostId(), move.flowsCarried(), move.flowsCut(),
                move.held().toNanos() / 1_000);
    }

    private String principal() {
        Object user = session == null ? null : session.get("USER");
        return user == null ? "console" : user.toString();
    }
}
