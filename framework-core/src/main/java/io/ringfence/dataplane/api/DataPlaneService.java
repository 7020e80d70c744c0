package io.ringfence.dataplane.api;

import io.ringfence.dataplane.agent.HostStats;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The data plane of every host of the model, seen as one. */
@ProviderType
public interface DataPlaneService {

    /**
     * Decides a packet crossing a vNIC in a direction ({@code IN} or {@code OUT}), on the agent of
     * the vNIC's host. A vNIC of no known host gets a {@code DROP} with {@link Verdict#NO_RULE_SET}.
     */
    Verdict process(String vnicId, Direction direction, Packet packet);

    /** The counters of every rule that decided a packet on some host, summed across hosts, by rule id. */
    List<RuleTraffic> ruleStats();

    /** The counters of a rule summed across hosts (zeros when it never decided a packet). */
    RuleTraffic ruleStats(String ruleId);

    /**
     * The would-be hits of a staged rule summed across hosts (zeros when it never had one): the
     * packets classified as new flows that it would have decided had it been enforced, and as
     * sessions the flows among them that were opened. Kept apart from {@link #ruleStats(String)}.
     *
     * @since 0.2.0
     */
    RuleTraffic stagedRuleStats(String ruleId);

    /** The counters of a vNIC on its host, if its host has tables for it. */
    Optional<VnicStats> vnicStats(String vnicId);

    /**
     * The host-wide counters of a host's agent (tracked flows, evictions, drops of packets for
     * vNICs without tables), if the host has an agent.
     *
     * @since 0.3.0
     */
    Optional<HostStats> hostStats(String hostId);

    /** The live flows of a VM's vNICs, in the VM's vNIC order; empty for an unknown VM. */
    List<FlowEntry> flows(String vmId);

    /**
     * The flow log of every host, merged: records matching the query's filters, newest first, at
     * most {@code q.limit()}.
     */
    List<FlowLogRecord> flowLog(FlowLogQuery q);

    /** Records the flow logs of all hosts overwrote (lost), summed. */
    long flowLogOverwritten();

    /**
     * Traces one packet from a source vNIC to a destination: what the agents would decide at the
     * source vNIC (OUT) and, when that allows it and the destination is a vNIC, at the destination
     * vNIC (IN). Changes no counter and no flow.
     *
     * @throws io.ringfence.manager.ValidationException for an unknown source or destination, a source
     *         without an address of the needed family, or ports or ICMP fields that do not fit the
     *         protocol; each violation names its field as a JSON pointer into the request
     */
    Traceflow trace(TraceRequest request);
}
