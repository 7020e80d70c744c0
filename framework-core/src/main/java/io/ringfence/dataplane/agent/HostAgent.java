package io.ringfence.dataplane.agent;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.HostRuleSetConsumer;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.conntrack.Flow;
import io.ringfence.dataplane.conntrack.Lookup;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.dataplane.packet.RejectPackets;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.net.AddressSet;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The data plane of one hypervisor (DESIGN, "How a packet is decided"): it holds the compiled tables
 * of the host's vNICs, fed by the compiler through {@link #accept}, and decides packets with
 * {@link #process}: connection tracking first, then first-match classification of new flows, then,
 * for an allowed packet of a flow steered through a service chain, the chain.
 *
 * <p>Steering is off until a {@link FlowSteering} is set. With one, each new flow the firewall allows
 * asks it for a chain; a steered flow carries its {@link SteeredFlow} in the connection tracker, and
 * every packet of it the firewall allows (the opening one, the replies, flow-table hits; not the ICMP
 * errors about it, which pass as RELATED) goes through the chain: PASS keeps the ALLOW, DROP drops the
 * packet (the flow stays), REJECT rejects it and removes the flow, PASS_AND_BYPASS allows it and takes
 * the flow out of steering. The opening packet goes through the chain before its flow is created
 * (nothing of the flow can come back before it passed): a rejected one creates no flow, a bypassed
 * one an unsteered flow. The tracker tells the steered flow when the flow is removed, whatever
 * removes it, which closes its chain session. An unsteered flow's packets pay one field read for this.
 *
 * <p>Thread-safety: {@link #process} may run concurrently on any number of threads, for the same
 * or different vNICs; {@link #accept} may run concurrently with them (it is serialized with itself).
 * Each vNIC's tables are one immutable {@link VnicTables}, held with the vNIC's counters in one
 * immutable {@link Vnic} in a {@link ConcurrentHashMap} (and in the vNIC's {@link VnicPort}, if one was
 * handed out), replaced with one {@code put}: a packet reads the reference once (one lookup, or one field
 * read through the port) and decides and counts on it, so it sees the old or the new tables,
 * never a mix, and no packet waits for a rebuild. Tables are built before they are published; a table
 * that a run of small updates left carrying many changes on its core is compiled afresh off the update
 * path (on the agent's compaction executor) and swapped in if it is still the vNIC's, with the same
 * rule set and answers ({@link VnicTables#compactionDue}), so that no update waits for a build. The
 * per-packet counters take no atomic operation ({@link ThreadCells}: a cell per packet thread), the
 * others are {@link LongAdder}s. The address groups and the rule sets are only touched
 * under the agent's lock, from {@link #accept}.
 *
 * <p>A flow a packet thread creates from tables that were replaced meanwhile could escape the
 * revalidation of the new tables; after creating a flow, {@code process} therefore re-checks it
 * when the vNIC's tables changed under it (a rare path).
 *
 * <p>No unfiltered window: a vNIC that has no tables (its rule set has not arrived, or it left) is
 * decided by the default rule alone, as every delta states it (DROP until the first delta says
 * otherwise), with the verdict, counters and flow log naming {@link Verdict#DEFAULT}. Flows the
 * default rule allowed there are revalidated when the vNIC's own tables arrive or the default rule
 * changes. Fail-static: the agent changes its tables only when a delta says so; a feed that stops
 * (the manager went away) leaves it enforcing the last tables it had.
 */
public final class HostAgent implements HostRuleSetConsumer {

    private final String hostId;
    private final ConnectionTracker tracker;
    /** The vNICs that have tables. Written only under {@link #lock}, with {@link #publish}. */
    private final ConcurrentHashMap<String, Vnic> vnics = new ConcurrentHashMap<>();
    /**
     * The ports handed out ({@link #port}), each following its vNIC's entry in {@link #vnics}; a port
     * leaves with its vNIC. Written only under {@link #lock}.
     */
    private final Map<String, VnicPort> ports = new HashMap<>();
    private final ConcurrentHashMap<String, Counters.Rule> ruleCounters = new ConcurrentHashMap<>();
    /** Would-be hits of staged rules, apart from {@link #ruleCounters}: a staged rule decides nothing. */
    private final ConcurrentHashMap<String, Counters.Rule> stagedCounters = new ConcurrentHashMap<>();
    private final LongAdder unknownVnicDrops = new LongAdder();
    private final LongAdder buildFailures = new LongAdder();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the address sets of the host's address groups, by id. */
    private final Map<String, AddressSet> addressGroups = new HashMap<>();
    private final FlowLog flowLog;
    private final LongFunction<Instant> time;
    /** Compiles afresh the tables whose compaction is due. */
    private final Executor compactions;
    /**
     * What a vNIC without tables enforces: no entry, the default rule, generation -1. Replaced under
     * {@link #lock} when a delta brings another default rule.
     */
    private volatile VnicTables defaultTables = defaultTables(Action.DROP, false);
    /** vNICs without tables on which the default rule allowed flows: revalidated when their tables change. */
    private final Set<String> defaultAllowed = ConcurrentHashMap.newKeySet();
    /** Consulted for each new flow allowed; null: steering is off. */
    private volatile FlowSteering steering;

    /**
     * What a packet needs of a vNIC that has tables, found with one lookup: its id, its tables and its
     * counters. The counters live as long as the vNIC (replaced only when it is handed over to another
     * host); a removed vNIC's entry is unreachable, so a late packet that holds it cannot bring its
     * counters back. The id is the instance the vNIC's flows are created with, so that a packet's flow
     * lookup compares the id by identity even when the caller's string is only equal to it.
     */
    record Vnic(String id, VnicTables tables, Counters.Vnic counters) {
    }

    /**
     * An agent with a flow log of {@link FlowLog#DEFAULT_CAPACITY} records, its times taken as
     * {@link System#nanoTime} readings.
     *
     * @param hostId  the host this agent enforces; deltas for other hosts are refused
     * @param tracker the host's connection table (the agent shares it with nobody else)
     */
    public HostAgent(String hostId, ConnectionTracker tracker) {
        this(hostId, tracker, new FlowLog(FlowLog.DEFAULT_CAPACITY), systemTime());
    }

    /**
     * @param hostId  the host this agent enforces; deltas for other hosts are refused
     * @param tracker the host's connection table (the agent shares it with nobody else)
     * @param flowLog where the decisions of logged rules on new flows go
     * @param time    converts a time of the packet clock (nanoseconds) to an instant
     */
    public HostAgent(String hostId, ConnectionTracker tracker, FlowLog flowLog, LongFunction<Instant> time) {
        this(hostId, tracker, flowLog, time, ForkJoinPool.commonPool());
    }

    /**
     * @param hostId      the host this agent enforces; deltas for other hosts are refused
     * @param tracker     the host's connection table (the agent shares it with nobody else)
     * @param flowLog     where the decisions of logged rules on new flows go
     * @param time        converts a time of the packet clock (nanoseconds) to an instant
     * @param compactions where tables whose compaction is due are compiled afresh, off the update path
     * @since 0.6.0
     */
    public HostAgent(String hostId, ConnectionTracker tracker, FlowLog flowLog, LongFunction<Instant> time,
                     Executor compactions) {
        this.hostId = hostId;
        this.tracker = tracker;
        this.flowLog = flowLog;
        this.time = time;
        this.compactions = compactions;
        // a flow evicted from the full table counts at its vNIC (one lookup, on the rare eviction path)
        tracker.onEviction(f -> {
            Vnic vnic = vnics.get(f.vnicId());
            if (vnic != null) {
                vnic.counters().flowsEvicted.increment();
            }
        });
    }

    private static LongFunction<Instant> systemTime() {
        Instant epoch = Instant.now();
        long epochNanos = System.nanoTime();
        return nanos -> epoch.plusNanos(nanos - epochNanos);
    }

    /** The host this agent enforces. */
    public String hostId() {
        return hostId;
    }

    /**
     * Steers the new flows allowed from now on as {@code steering} says; null (the default) steers none.
     * Flows steered already keep their steering until they end.
     *
     * @since 0.4.0
     */
    public void steering(FlowSteering steering) {
        this.steering = steering;
    }

    /**
     * The host left: drops every vNIC's tables and every flow, telling what is attached to the flows (a
     * steered flow closes its chain session). Packets decided afterwards find no tables.
     *
     * @since 0.4.0
     */
    public void close() {
        synchronized (lock) {
            vnics.clear();
            ports.values().forEach(p -> p.vnic = null);
            ports.clear();
            defaultAllowed.clear();
            tracker.clear();
        }
    }

    // ---- control plane

    /**
     * Applies what the compiler sent, as {@link #apply}; a delta whose tables cannot all be built
     * changes nothing and counts as a build failure (fail-static: the previous tables stay).
     *
     * @throws IllegalArgumentException for a delta of another host
     */
    @Override
    public void accept(HostDelta delta) {
        checkHost(delta);
        try {
            apply(delta);
        } catch (IllegalArgumentException e) {
            buildFailures.increment();
        }
    }

    /**
     * Applies a delta atomically as a whole: rebuilds the tables of every vNIC whose rule set is in
     * the delta and of every vNIC already here that names an address group in the delta, removes the
     * vNICs that left (with their flows), adopts the delta's default rule, and cuts the flows the
     * new tables no longer allow. A full delta replaces everything. Every table is built before any
     * is published: when one cannot be (a rule set names an address group the host does not have),
     * nothing changes.
     *
     * @throws IllegalArgumentException for a delta of another host, or one whose tables cannot all be
     *                                  built (nothing applied)
     * @since 0.5.0
     */
    public void apply(HostDelta delta) {
        checkHost(delta);
        synchronized (lock) {
            Map<String, AddressSet> groups = delta.full() ? new HashMap<>() : new HashMap<>(addressGroups);
            Set<String> removed = new HashSet<>(delta.removedVnics());
            if (delta.full()) {
                removed.addAll(vnics.keySet());
            }
            delta.removedAddressGroups().forEach(groups::remove);
            Set<String> changedGroups = new HashSet<>();
            for (AddressGroup g : delta.addressGroups()) {
                groups.put(g.id(), g.addresses());
                changedGroups.add(g.id());
            }
            Map<String, VnicRuleSet> rebuild = new HashMap<>();
            if (!delta.full()) {
                // tables embed the addresses of the groups they name: rebuild them with the new addresses
                vnics.forEach((vnic, v) -> {
                    if (changedGroups.stream().anyMatch(v.tables()::refersTo)) {
                        rebuild.put(vnic, v.tables().ruleSet());
                    }
                });
            }
            for (VnicRuleSet rs : delta.ruleSets()) {
                rebuild.put(rs.vnicId(), rs);
                removed.remove(rs.vnicId());
            }
            Map<String, VnicTables> built = new HashMap<>();
            for (VnicRuleSet rs : rebuild.values()) {
                built.put(rs.vnicId(), build(rs, groups));
            }
            addressGroups.clear();
            addressGroups.putAll(groups);
            removed.forEach(this::remove);
            built.forEach((vnic, tables) -> install(vnic, tables, groups));
            adoptDefaultRule(delta.defaultAction(), delta.defaultLogged());
        }
    }

    private void checkHost(HostDelta delta) {
        if (!hostId.equals(delta.hostId())) {
            throw new IllegalArgumentException("delta for host " + delta.hostId() + " sent to agent of " + hostId);
        }
    }

    private VnicTables defaultTables(Action action, boolean logged) {
        return VnicTables.build(new VnicRuleSet(null, null, hostId, -1, List.of(), List.of(), action, logged),
                group -> {
                    throw new IllegalArgumentException("the default rule names no address group");
                });
    }

    private void adoptDefaultRule(Action action, boolean logged) {
        VnicRuleSet current = defaultTables.ruleSet();
        if (current.defaultAction() == action && current.defaultLogged() == logged) {
            return;
        }
        VnicTables next = defaultTables(action, logged);
        defaultTables = next;
        for (String vnic : List.copyOf(defaultAllowed)) {
            if (!vnics.containsKey(vnic)) {
                revalidate(vnic, next);
            }
        }
    }

    private void remove(String vnic) {
        // stop routing new packets to the tables first, then drop the flows
        publish(vnic, null);
        ports.remove(vnic); // a holder of the port finds the vNIC by id from now on
        defaultAllowed.remove(vnic);
        tracker.remove(vnic);
    }

    /** Makes {@code vnic} the vNIC's entry (null: it has no tables), for lookups by id and through its port. */
    private void publish(String vnicId, Vnic vnic) {
        if (vnic == null) {
            vnics.remove(vnicId);
        } else {
            vnics.put(vnicId, vnic);
        }
        VnicPort port = ports.get(vnicId);
        if (port != null) {
            port.vnic = vnic;
        }
    }

    /** The tables of {@code ruleSet}, built from the vNIC's current ones when it has some. */
    private VnicTables build(VnicRuleSet ruleSet, Map<String, AddressSet> groups) {
        VnicTables current = tablesOf(ruleSet.vnicId());
        Function<String, AddressSet> addresses = id -> {
            AddressSet set = groups.get(id);
            if (set == null) {
                throw new IllegalArgumentException("the rule set of vNIC " + ruleSet.vnicId()
                        + " names address group " + id + ", which host " + hostId + " does not have");
            }
            return set;
        };
        // from the current tables when there are some: a change of a few entries then costs
        // microseconds, not a rebuild of the whole table
        return current == null ? VnicTables.build(ruleSet, addresses) : VnicTables.update(current, ruleSet, addresses);
    }

    /** Installs the vNIC's new tables, compiled with {@code groups} (which nobody changes any more). */
    private void install(String vnic, VnicTables built, Map<String, AddressSet> groups) {
        Vnic current = vnics.get(vnic);
        publish(vnic, current == null ? new Vnic(vnic, built, new Counters.Vnic())
                : new Vnic(current.id(), built, current.counters()));
        VnicTables previous = current == null ? null : current.tables();
        // the first tables of a vNIC meet flows only if the default rule allowed some before
        if (previous != null || defaultAllowed.remove(vnic)) {
            revalidate(vnic, built);
        }
        if (built.compactionDue()) {
            try {
                compactions.execute(() -> compact(vnic, built, groups));
            } catch (RejectedExecutionException e) {
                // the executor is shutting down: the tables stay as they are, correct and a little slower
            }
        }
    }

    /**
     * Compiles {@code tables} afresh and swaps the result in if they are still the vNIC's: the same rule
     * set, generation and answers, so flows stay as they are. Tables replaced meanwhile are left alone
     * (their successor, if due, has its own compaction coming).
     */
    private void compact(String vnic, VnicTables tables, Map<String, AddressSet> groups) {
        // a burst of updates queues a compaction each: all but the last find their tables replaced
        // already, and skip the build
        Vnic before = vnics.get(vnic);
        if (before == null || before.tables() != tables) {
            return;
        }
        VnicTables compacted = tables.compacted(groups::get);
        synchronized (lock) {
            Vnic current = vnics.get(vnic);
            if (current != null && current.tables() == tables) {
                publish(vnic, new Vnic(current.id(), compacted, current.counters()));
            }
        }
    }

    /**
     * Cuts the vNIC's flows that {@code current} would not allow any more. Run for any rebuild, not
     * only a new generation: an address-group change can cut flows too.
     */
    private void revalidate(String vnic, VnicTables current) {
        int cut = tracker.revalidate(vnic,
                f -> current.decide(f.key().direction(), FlowProbes.of(f.key())) == Action.ALLOW);
        Counters.Vnic c = countersOf(vnic);
        if (c != null) {
            c.flowsCut.add(cut);
        }
    }

    // ---- a VM moving host

    /**
     * True when the vNIC's tables here are of generation {@code generation} or a newer one: the rule set the
     * compiler had for it then is enforced here.
     *
     * @since 0.5.0
     */
    public boolean enforces(String vnicId, long generation) {
        VnicTables t = tablesOf(vnicId);
        return t != null && t.generation() >= generation;
    }

    /**
     * True when this agent has the address group (some of its tables refer to it), so that a delta
     * bringing tables that refer to it need not bring it again.
     *
     * @since 0.5.0
     */
    public boolean hasAddressGroup(String id) {
        synchronized (lock) {
            return addressGroups.containsKey(id);
        }
    }

    /**
     * Hands the vNIC over to another host's agent, its VM moving there: its flows as the connection table
     * hands them over (with what is attached to them, e.g. their steering), and its counters, which start
     * again from zero here. The tables and the flows stay until the compiler removes the vNIC from this
     * host; the caller keeps the vNIC's packets away from this agent from now on (a packet decided here
     * would move a flow that left).
     *
     * @since 0.5.0
     */
    public VnicHandover exportVnic(String vnicId, long now) {
        synchronized (lock) {
            Vnic vnic = vnics.get(vnicId);
            VnicStats taken = new VnicStats(vnicId, 0, 0, 0, 0, 0, 0);
            if (vnic != null) {
                taken = vnic.counters().snapshot(vnicId);
                publish(vnicId, new Vnic(vnic.id(), vnic.tables(), new Counters.Vnic()));
            }
            return new VnicHandover(vnicId, taken, tracker.exportFlows(vnicId, now));
        }
    }

    /**
     * Takes over a vNIC another host's agent handed over ({@link #exportVnic}): its flows join this host's
     * connection table and its counters add to the vNIC's here. The flows are then checked against this
     * host's tables, as after any change of them: those the tables do not allow are cut (and counted so).
     *
     * @return how many of the flows were kept
     * @throws IllegalStateException when this agent has no tables for the vNIC: its rule set must be
     *                               realized here before its flows come
     * @since 0.5.0
     */
    public int importVnic(VnicHandover handover, long now) {
        String vnic = handover.vnicId();
        synchronized (lock) {
            Vnic v = vnics.get(vnic);
            if (v == null) {
                throw new IllegalStateException("host " + hostId + " has no rule set for vNIC " + vnic
                        + ": its flows cannot come before it");
            }
            int imported = tracker.importFlows(handover.flows(), now);
            Counters.Vnic c = v.counters();
            c.add(handover.counters());
            long cutBefore = c.flowsCut.sum();
            revalidate(vnic, v.tables());
            return imported - (int) (c.flowsCut.sum() - cutBefore);
        }
    }

    // ---- data plane

    /**
     * Decides one packet crossing {@code vnicId} in {@code direction} at {@code now} (nanoseconds,
     * the tracker's clock).
     */
    public Verdict process(String vnicId, Direction direction, Packet packet, long now) {
        return process(vnics.get(vnicId), vnicId, direction, packet, now);
    }

    /** The full path, for {@code vnic} as found when the packet came (null: the vNIC has no tables). */
    private Verdict process(Vnic vnic, String vnicId, Direction direction, Packet packet, long now) {
        if (vnic == null) {
            unknownVnicDrops.increment();
            return decide(vnicId, direction, packet, now, defaultTables);
        }
        Verdict v = decide(vnic.id(), direction, packet, now, vnic.tables());
        vnic.counters().count(v);
        return v;
    }

    /**
     * Decides one parsed frame as {@link #process(String, Direction, Packet, long)} would: the fast
     * path. A packet valid for a tracked flow is decided from the flow table (state, flow, rule and
     * vNIC counters) without allocating; any other packet is made a {@link Packet} and takes the full
     * path. The view is not kept. A packet of a steered flow leaves the fast path after tracking, for its
     * chain.
     */
    public Verdict process(String vnicId, Direction direction, PacketView packet, long now) {
        return process(vnics.get(vnicId), vnicId, direction, packet, now);
    }

    /**
     * Decides one parsed frame crossing the port's vNIC as {@link #process(String, Direction, PacketView, long)}
     * does, finding the vNIC's tables and counters through the port: the path for a packet source that
     * serves one vNIC.
     *
     * @since 0.6.0
     */
    public Verdict process(VnicPort port, Direction direction, PacketView packet, long now) {
        Vnic vnic = port.vnic;
        // null: the vNIC has no tables, or the port is one of a vNIC that left (it may have come back)
        return process(vnic != null ? vnic : vnics.get(port.vnicId()), port.vnicId(), direction, packet, now);
    }

    /**
     * A port for the vNIC's packets ({@link VnicPort}): the same one while the vNIC stays on this host,
     * whether or not it has tables yet.
     *
     * @since 0.6.0
     */
    public VnicPort port(String vnicId) {
        synchronized (lock) {
            return ports.computeIfAbsent(vnicId, id -> {
                Vnic vnic = vnics.get(id);
                return new VnicPort(vnic == null ? id : vnic.id(), vnic);
            });
        }
    }

    /** The fast path for {@code vnic} as found when the packet came (null: the vNIC has no tables). */
    private Verdict process(Vnic vnic, String vnicId, Direction direction, PacketView packet, long now) {
        if (vnic != null) {
            Flow flow = tracker.track(vnic.id(), direction, packet, now);
            if (flow != null) {
                Verdict v = tracked(flow.ruleId(), packet.length(), now, vnic.tables());
                if (flow.attachment() != null) { // the one check an unsteered flow pays
                    v = steer(vnic.id(), direction, flow, packet, v);
                }
                vnic.counters().count(v);
                return v;
            }
        }
        return process(vnic, vnicId, direction, packet.toPacket(), now);
    }

    private Verdict decide(String vnicId, Direction direction, Packet packet, long now, VnicTables t) {
        Lookup lookup = tracker.lookup(vnicId, direction, packet, now);
        switch (lookup.kind()) {
            case TRACKED, RELATED -> {
                Verdict v = tracked(lookup.flow().ruleId(), packet.length(), now, t);
                // an ICMP error about a steered flow (RELATED) is not a packet of the flow: no chain for it
                Flow flow = lookup.flow();
                if (lookup.kind() == Lookup.Kind.TRACKED && flow.attachment() instanceof SteeredFlow steered) {
                    v = steer(vnicId, direction, flow, steered, packet, v);
                }
                return v;
            }
            case INVALID -> {
                return new Verdict(Action.DROP, Verdict.INVALID, lookup.flow() != null, null, t.generation());
            }
            default -> {
                return classify(vnicId, direction, packet, now, t);
            }
        }
    }

    /** A packet of (or an ICMP error about) a tracked flow: counted to the rule that allowed the flow. */
    private Verdict tracked(String ruleId, int length, long now, VnicTables t) {
        Counters.Rule rule = ruleCounter(ruleId);
        rule.hit(length, now);
        return rule.trackedVerdict(ruleId, t.generation());
    }

    private Verdict classify(String vnicId, Direction direction, Packet packet, long now, VnicTables t) {
        VnicTables.Match match = t.classify(direction, packet);
        CompiledRule entry = match.entry();
        Action action = entry == null ? t.ruleSet().defaultAction() : entry.action();
        String ruleId = entry == null ? Verdict.DEFAULT : entry.ruleId();
        Counters.Rule rule = ruleCounter(ruleId);
        rule.hit(packet.length(), now);
        // the default rule logs its drops always, its allows when its logged flag is set
        boolean logged = entry == null ? action != Action.ALLOW || t.ruleSet().defaultLogged() : entry.logged();
        if (action == Action.ALLOW) {
            Verdict v = new Verdict(Action.ALLOW, ruleId, false, null, t.generation());
            FlowSteering steers = steering;
            SteeredFlow steered = steers == null ? null : steers.steer(vnicId, direction, packet);
            if (steered != null) {
                // through the chain before the flow exists: nothing of the flow can come back before this passed
                v = inspect(vnicId, steered, packet, PacketSide.ORIGINAL, v);
            }
            boolean attach = steered != null && v.inspection() != io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS;
            Flow flow = v.action() == Action.REJECT ? null
                    : createFlow(vnicId, direction, packet, now, t, ruleId, attach ? steered : null);
            if (attach && (flow == null || flow.attachment() != steered)) {
                steered.flowRemoved(); // rejected, or another thread's flow holds the tuple: the session ends here
            }
            // sessions count flows this packet opened; if another thread won the race, it counted
            boolean opened = flow != null && flow.created() == now && flow.ruleId().equals(ruleId);
            if (opened) {
                rule.sessions.increment();
                Counters.Vnic c = countersOf(vnicId);
                if (c != null) {
                    c.flowsCreated.increment();
                }
            }
            if (logged && opened) {
                log(vnicId, direction, packet, now, t, action, entry);
            }
            stagedHit(match.staged(), vnicId, direction, packet, now, t, action, ruleId, opened);
            return v;
        }
        if (logged) {
            log(vnicId, direction, packet, now, t, action, entry);
        }
        stagedHit(match.staged(), vnicId, direction, packet, now, t, action, ruleId, false);
        Packet reject = action == Action.REJECT ? reject(packet) : null;
        return new Verdict(action, ruleId, false, reject, t.generation());
    }

    private void log(String vnicId, Direction direction, Packet p, long now, VnicTables t, Action action,
                     CompiledRule entry) {
        flowLog.append(record(vnicId, direction, p, now, t, action, entry == null ? Verdict.DEFAULT : entry.ruleId(),
                entry == null ? null : entry.policyId(), entry == null ? null : entry.tag(), null, null));
    }

    /**
     * Counts (and logs, if its rule is logged) the would-be hit of a staged entry on a packet that
     * opened a new flow, decided for real by {@code actualRuleId} with {@code actual}. Like a real
     * decision, it is logged once per flow: for an allowed flow by the packet that opened it.
     */
    private void stagedHit(CompiledRule staged, String vnicId, Direction direction, Packet p, long now, VnicTables t,
                           Action actual, String actualRuleId, boolean opened) {
        if (staged == null) {
            return;
        }
        Counters.Rule c = stagedCounters.computeIfAbsent(staged.ruleId(), r -> new Counters.Rule());
        c.hit(p.length(), now);
        if (opened) {
            c.sessions.increment();
        }
        if (staged.logged() && (actual != Action.ALLOW || opened)) {
            flowLog.append(record(vnicId, direction, p, now, t, staged.action(), staged.ruleId(), staged.policyId(),
                    staged.tag(), actual, actualRuleId));
        }
    }

    private FlowLogRecord record(String vnicId, Direction direction, Packet p, long now, VnicTables t, Action action,
                                 String ruleId, String policyId, String tag, Action actual, String actualRuleId) {
        return new FlowLogRecord(time.apply(now), hostId, vnicId, t.ruleSet().vmId(), direction, p.protocol(),
                p.source().toString(), p.destination().toString(), p.sourcePort(), p.destinationPort(), p.icmpType(),
                p.icmpCode(), action, ruleId, policyId, tag, actual != null, actual, actualRuleId);
    }

    /**
     * Creates the flow, with {@code steered} attached when it is new; the flow holding the packet's tuple
     * (possibly created by another thread first), or null when the packet cannot open one.
     */
    private Flow createFlow(String vnicId, Direction direction, Packet packet, long now, VnicTables t, String ruleId,
                            SteeredFlow steered) {
        Flow flow;
        try {
            flow = tracker.create(vnicId, direction, packet, now, ruleId, t.generation(), steered);
        } catch (IllegalArgumentException e) {
            return null; // a TCP packet that cannot open a flow (the tracker reports those INVALID first)
        }
        if (flow != null && t.ruleSet().vnicId() == null) { // the default tables, which name no vNIC
            defaultAllowed.add(vnicId); // before the check below: an install from now on revalidates it
        }
        VnicTables current = tablesOf(vnicId);
        if (current == null) {
            current = defaultTables;
        }
        if (current != t) {
            // tables were swapped while we classified: the swap's revalidation may have missed this flow
            revalidate(vnicId, current);
        }
        return flow;
    }

    /**
     * A packet of the fast path whose flow has an attachment: through the flow's chain, as a packet of its
     * own (the view's frame may be reused once the call returns, a function's abandoned call may not).
     * Out of {@link #process(String, Direction, PacketView, long)}, to keep that method small.
     */
    private Verdict steer(String vnicId, Direction direction, Flow flow, PacketView packet, Verdict allowed) {
        return flow.attachment() instanceof SteeredFlow steered
                ? steer(vnicId, direction, flow, steered, packet.toPacket(), allowed) : allowed;
    }

    /**
     * A packet of a tracked, steered flow that the firewall allowed ({@code allowed}): through the flow's
     * chain. DROP keeps the flow; REJECT ends it; PASS_AND_BYPASS takes the flow out of steering (the
     * steered flow closed its session), so that its next packets take the fast path again.
     */
    private Verdict steer(String vnicId, Direction direction, Flow flow, SteeredFlow steered, Packet packet,
                          Verdict allowed) {
        Verdict v = inspect(vnicId, steered, packet,
                direction == flow.direction() ? PacketSide.ORIGINAL : PacketSide.REPLY, allowed);
        if (v.inspection() == io.ringfence.spi.inspection.Verdict.PASS_AND_BYPASS) {
            flow.detach(steered);
        } else if (v.action() == Action.REJECT) {
            tracker.remove(flow);
        }
        return v;
    }

    /** The verdict after the chain on a packet the firewall allowed, counted at the vNIC. */
    private Verdict inspect(String vnicId, SteeredFlow steered, Packet packet, PacketSide side, Verdict allowed) {
        ChainVerdict decided = steered.process(packet, side);
        io.ringfence.spi.inspection.Verdict inspection = decided.verdict();
        Counters.Vnic c = countersOf(vnicId);
        if (c != null) {
            c.steered(inspection);
        }
        Action action = SteeringTrace.actionOf(inspection);
        return new Verdict(action, allowed.ruleId(), allowed.fromFlowTable(),
                action == Action.REJECT ? reject(packet) : null, allowed.generation(), steered.chainId(), inspection);
    }

    /** The vNIC's tables; null when it has none. */
    private VnicTables tablesOf(String vnicId) {
        Vnic v = vnics.get(vnicId);
        return v == null ? null : v.tables();
    }

    /** The vNIC's counters; null when it has no tables. */
    private Counters.Vnic countersOf(String vnicId) {
        Vnic v = vnics.get(vnicId);
        return v == null ? null : v.counters();
    }

    private Counters.Rule ruleCounter(String ruleId) {
        // get first: it inlines into the packet path, computeIfAbsent (too big for the JIT to inline) does not
        Counters.Rule c = ruleCounters.get(ruleId);
        return c != null ? c : ruleCounters.computeIfAbsent(ruleId, r -> new Counters.Rule());
    }

    /** The RST or ICMP unreachable for a rejected packet; null when the packet must not be answered. */
    private static Packet reject(Packet p) {
        try {
            return p.isTcp() ? RejectPackets.tcpReset(p) : RejectPackets.unreachable(p, PacketWriter.toIp(p));
        } catch (RuntimeException e) {
            return null; // a reset, an ICMP error, or a packet that cannot be quoted: dropped silently
        }
    }

    /**
     * What {@link #process} would decide for {@code packet} crossing {@code vnicId} in
     * {@code direction} at {@code now}, without side effects: the flow table is only peeked at (no
     * flow created, moved, counted or removed) and no counter changes. When the firewall allows the
     * packet and its flow is (or would be) steered, the step says what the chain's functions make of it,
     * asked in throwaway sessions that count nothing (the functions do see the packet).
     */
    public TraceStep trace(String vnicId, Direction direction, Packet packet, long now) {
        VnicTables t = tablesOf(vnicId);
        if (t == null) {
            t = defaultTables;
        }
        Lookup lookup = tracker.peek(vnicId, direction, packet, now);
        switch (lookup.kind()) {
            case TRACKED, RELATED -> {
                Flow flow = lookup.flow();
                String ruleId = flow.ruleId();
                SteeringTrace steered = null;
                if (lookup.kind() == Lookup.Kind.TRACKED && flow.attachment() instanceof SteeredFlow f) {
                    steered = f.trace(packet, direction == flow.direction() ? PacketSide.ORIGINAL : PacketSide.REPLY);
                }
                return new TraceStep(hostId, vnicId, direction, t.generation(), TraceStep.DecidedBy.FLOW_TABLE, ruleId,
                        policyOf(t, ruleId), Action.ALLOW, null, steered);
            }
            case INVALID -> {
                return new TraceStep(hostId, vnicId, direction, t.generation(), TraceStep.DecidedBy.INVALID,
                        Verdict.INVALID, null, Action.DROP, null);
            }
            default -> {
                VnicTables.Match match = t.classify(direction, packet);
                CompiledRule entry = match.entry();
                CompiledRule s = match.staged();
                TraceStep.StagedDecision staged = s == null ? null
                        : new TraceStep.StagedDecision(s.ruleId(), s.policyId(), s.action());
                Action action = entry == null ? t.ruleSet().defaultAction() : entry.action();
                FlowSteering steers = steering;
                SteeringTrace steered = action == Action.ALLOW && steers != null
                        ? steers.trace(vnicId, direction, packet) : null;
                if (entry == null) {
                    return new TraceStep(hostId, vnicId, direction, t.generation(), TraceStep.DecidedBy.DEFAULT_RULE,
                            Verdict.DEFAULT, null, action, staged, steered);
                }
                return new TraceStep(hostId, vnicId, direction, t.generation(), TraceStep.DecidedBy.RULE,
                        entry.ruleId(), entry.policyId(), action, staged, steered);
            }
        }
    }

    /** The policy of a rule of the tables; null for the default rule or a rule no longer in them. */
    private static String policyOf(VnicTables t, String ruleId) {
        for (List<CompiledRule> entries : List.of(t.ruleSet().in(), t.ruleSet().out())) {
            for (CompiledRule e : entries) {
                if (e.ruleId().equals(ruleId)) {
                    return e.policyId();
                }
            }
        }
        return null;
    }

    // ---- read side

    /** The tables a vNIC is enforced with, if it has any. */
    public Optional<VnicTables> tables(String vnicId) {
        return Optional.ofNullable(tablesOf(vnicId));
    }

    /** The vNICs that have tables. */
    public Set<String> vnics() {
        return Set.copyOf(vnics.keySet());
    }

    /** The counters of a rule (zero when it never decided a packet here). */
    public RuleStats ruleStats(String ruleId) {
        Counters.Rule c = ruleCounters.get(ruleId);
        return c == null ? new RuleStats(ruleId, 0, 0, 0, Long.MIN_VALUE) : c.snapshot(ruleId);
    }

    /** The counters of every rule that decided a packet here. */
    public List<RuleStats> ruleStats() {
        return ruleCounters.entrySet().stream().map(e -> e.getValue().snapshot(e.getKey())).toList();
    }

    /**
     * The would-be hits of a staged rule here (zero when it never had one), kept apart from its real
     * counters. {@code packets} and {@code bytes} count the packets classified as new flows that it
     * would have decided (only those: established flows are not re-evaluated for staged rules),
     * {@code sessions} the flows among them that the data plane did open (for a staged DROP or
     * REJECT: the flows it would have stopped), {@code lastHit} the latest such packet. Counts
     * stay after the rule is enforced or deleted, like real counters.
     */
    public RuleStats stagedRuleStats(String ruleId) {
        Counters.Rule c = stagedCounters.get(ruleId);
        return c == null ? new RuleStats(ruleId, 0, 0, 0, Long.MIN_VALUE) : c.snapshot(ruleId);
    }

    /** The counters of a vNIC that has tables. */
    public Optional<VnicStats> vnicStats(String vnicId) {
        return Optional.ofNullable(countersOf(vnicId)).map(c -> c.snapshot(vnicId));
    }

    /** Host-wide counters. */
    public HostStats stats() {
        return new HostStats(vnics.size(), tracker.size(), tracker.evictions(), unknownVnicDrops.sum(),
                buildFailures.sum());
    }

    /** The host's flow log records matching {@code q}, newest first. */
    public List<FlowLogRecord> flowLog(FlowLogQuery q) {
        return flowLog.read(q);
    }

    /** The host's flow log. */
    public FlowLog flowLog() {
        return flowLog;
    }

    /** The host's connection table. */
    public ConnectionTracker tracker() {
        return tracker;
    }
}
