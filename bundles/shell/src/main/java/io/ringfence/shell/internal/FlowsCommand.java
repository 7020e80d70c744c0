package io.ringfence.shell.internal;

import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.FlowEntry;
import io.ringfence.dataplane.conntrack.FlowKey;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The live connection table of a VM's vNICs. */
@Service
@Command(scope = "ringfence", name = "flows", description = "Lists the tracked flows of a VM's vNICs")
public class FlowsCommand extends RingfenceCommand {

    @Argument(name = "vm", required = true, description = "The VM")
    @Completion(VmCompleter.class)
    String vmId;

    @Reference
    ModelService models;

    @Reference
    DataPlaneService dataPlane;

    @Override
    void run() throws Exception {
        if (models.find(Kind.VM, vmId).isEmpty()) {
            throw refused("no VM " + vmId);
        }
        List<FlowEntry> flows = dataPlane.flows(vmId);
        ShellTable table = new ShellTable();
        table.column("vNIC");
        table.column("Dir");
        table.column("Flow");
        table.column("State");
        table.column("Rule");
        table.column("Packets (orig/reply)").alignRight();
        table.column("Last seen");
        for (FlowEntry f : flows) {
            FlowKey k = f.key();
            table.addRow().addContent(k.vnicId(), k.direction(), flow(k), f.state(), orDash(f.ruleId()),
                    f.originalPackets() + "/" + f.replyPackets(), time(f.lastSeen()));
        }
        print(flows, table);
    }

    static String flow(FlowKey k) {
        return protocol(k.protocol()) + " " + endpoint(k.source(), k.sourcePort()) + " -> "
                + endpoint(k.destination(), k.destinationPort());
    }

    /** {@code 10.0.0.1:80}, {@code [2001:db8::1]:80}. */
    static String endpoint(IpPrefix address, int port) {
        String text = address.toString();
        int slash = text.indexOf('/');
        if (address.isHost() && slash >= 0) {
            text = text.substring(0, slash);
        }
        return (address.family() == IpFamily.IPV6 ? "[" + text + "]" : text) + ":" + port;
    }

    static String protocol(int number) {
        return switch (number) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            default -> Integer.toString(number);
        };
    }
}
