package io.ringfence.shell.internal;

import io.ringfence.dataplane.agent.TraceStep;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.api.Traceflow;
import io.ringfence.insertion.HopResult;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Protocol;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * Pushes a synthetic packet through the real data plane, as {@code POST /api/v1/traceflow} does,
 * and shows each step with the rule (or flow-table hit) that decided it and the service chain it
 * went through.
 */
@Service
@Command(scope = "ringfence", name = "traceflow", description = "Traces a packet from a VM (or vNIC) to a VM, "
        + "vNIC or address through the data plane; changes no counter")
public class TraceflowCommand extends RingfenceCommand {

    @Argument(index = 0, name = "source", required = true, description = "The source VM or vNIC")
    @Completion(VmCompleter.class)
    String source;

    @Argument(index = 1, name = "destination", required = true,
            description = "The destination VM or vNIC, or an IP address outside the model")
    @Completion(VmCompleter.class)
    String destination;

    @Option(name = "-p", aliases = "--protocol", description = "tcp, udp, icmp or icmpv6 (default tcp)")
    @Completion(value = StringsCompleter.class, values = {"tcp", "udp", "icmp", "icmpv6"})
    String protocol = "tcp";

    @Option(name = "--port", description = "Destination port (TCP, UDP)")
    Integer port;

    @Option(name = "--source-port", description = "Source port (TCP, UDP; default "
            + TraceRequest.DEFAULT_SOURCE_PORT + ")")
    Integer sourcePort;

    @Option(name = "--icmp-type", description = "ICMP type (ICMP, ICMPv6)")
    Integer icmpType;

    @Option(name = "--icmp-code", description = "ICMP code (ICMP, ICMPv6)")
    Integer icmpCode;

    @Reference
    DataPlaneService dataPlane;

    @Override
    void run() throws Exception {
        Protocol p;
        try {
            p = Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw refused("unknown protocol " + protocol + ": tcp, udp, icmp or icmpv6");
        }
        boolean address = destination.indexOf(':') >= 0 || destination.chars().allMatch(c -> c == '.'
                || Character.isDigit(c));
        TraceRequest request = new TraceRequest(source, address ? null : destination, address ? destination : null, p,
                sourcePort, port, icmpType, icmpCode);
        Traceflow trace;
        try {
            trace = dataPlane.trace(request);
        } catch (ValidationException e) {
            throw refused(e.violations().stream().map(TraceflowCommand::describe).collect(Collectors.joining("; ")));
        }
        if (json) {
            print(trace, null);
            return;
        }
        out().println(FlowsCommand.protocol(trace.protocol()) + " " + trace.sourceAddress() + ":" + trace.sourcePort()
                + " -> " + trace.destinationAddress() + ":" + trace.destinationPort());
        ShellTable table = new ShellTable();
        table.column("Host");
        table.column("vNIC");
        table.column("Dir");
        table.column("Decided by");
        table.column("Rule");
        table.column("Action");
        table.column("Chain");
        for (TraceStep s : trace.steps()) {
            table.addRow().addContent(s.hostId(), s.vnicId(), s.direction(), s.decidedBy(), orDash(s.ruleId()),
                    s.action(), s.steering() == null ? "-" : chain(s));
        }
        table.print(out());
        out().println("Verdict: " + trace.verdict());
    }

    /** {@code chain: profile=PASS, profile=DROP -> DROP}. */
    private static String chain(TraceStep s) {
        return s.steering().chainId() + ": " + s.steering().hops().stream().map(TraceflowCommand::hop)
                .collect(Collectors.joining(", ")) + " -> " + s.steering().action();
    }

    private static String hop(HopResult h) {
        return h.profileId() + "=" + (h.verdict() != null ? h.verdict() : h.outcome());
    }

    /** A violation named by the option it comes from rather than by the REST body's JSON pointer. */
    private static String describe(Violation v) {
        return v.field().replaceFirst("^/", "") + ": " + v.message();
    }
}
