package io.ringfence.shell.internal;

import io.ringfence.dataplane.agent.HostStats;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Host;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The hosts with their data plane's counters. */
@Service
@Command(scope = "ringfence", name = "hosts", description = "Lists the hosts with the vNICs their data plane "
        + "enforces, tracked flows, evictions and drops for vNICs without tables")
public class HostsCommand extends RingfenceCommand {

    @Reference
    ModelService models;

    @Reference
    DataPlaneService dataPlane;

    /**
     * One host's line.
     *
     * @param stats null when the host has no agent
     */
    record HostLine(String hostId, String name, HostStats stats) {
    }

    @Override
    void run() throws Exception {
        List<HostLine> lines = new ArrayList<>();
        models.snapshot().hosts().stream().sorted(Comparator.comparing(Host::id))
                .forEach(h -> lines.add(new HostLine(h.id(), h.name(), dataPlane.hostStats(h.id()).orElse(null))));
        ShellTable table = new ShellTable();
        table.column("Host");
        table.column("Name");
        table.column("vNICs").alignRight();
        table.column("Flows").alignRight();
        table.column("Evictions").alignRight();
        table.column("No-table drops").alignRight();
        for (HostLine l : lines) {
            HostStats s = l.stats();
            if (s == null) {
                table.addRow().addContent(l.hostId(), l.name(), "-", "-", "-", "-");
            } else {
                table.addRow().addContent(l.hostId(), l.name(), s.vnics(), s.flows(), s.evictions(),
                        s.unknownVnicDrops());
            }
        }
        print(lines, table);
    }
}
