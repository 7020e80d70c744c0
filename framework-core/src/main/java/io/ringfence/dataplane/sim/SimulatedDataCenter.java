package io.ringfence.dataplane.sim;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.agent.FlowLog;
import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.HostStats;
import io.ringfence.dataplane.agent.RuleStats;
import io.ringfence.dataplane.agent.TraceStep;
import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.api.FlowEntry;
import io.ringfence.dataplane.api.FlowLogQuery;
import io.ringfence.dataplane.api.FlowLogRecord;
import io.ringfence.dataplane.api.RuleTraffic;
import io.ringfence.dataplane.api.TraceRequest;
import io.ringfence.dataplane.api.Traceflow;
import io.ringfence.dataplane.conntrack.ConnectionTracker;
import io.ringfence.dataplane.conntrack.Flow;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.steering.ChainSteering;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelListener;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Host;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.redirection.RedirectionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One {@link HostAgent} per host of the model, each fed its rule sets through an {@link AgentChannel}
 * (as an enforcement target, or subscribed to the compiler directly), and the routing of packets to
 * the agent of their vNIC's host. As a {@link ModelListener} it follows the hosts of the model: an
 * agent is added and connected when a host appears, disconnected, closed (its flows end) and dropped
 * when the host is deleted. The connection tables of all agents are expired periodically (when a period is
 * given).
 *
 * <p>Steering through service chains is off until {@link #steer} gives it the redirection table and
 * the service-insertion runtime; then every agent steers the flows it allows through a
 * {@link ChainSteering} that follows the model (see {@code io.ringfence.dataplane.steering}).
 *
 * <p>Thread-safety: packets may be processed concurrently with model changes. The routing state
 * (agents and the vNIC → host index) is one immutable {@link Routing} swapped atomically; a packet
 * reads it once. Model events arrive serialized (with the model's write lock held); they and the
 * changes of steering are serialized with each other, so that every agent steers with the current
 * steering and the steering has the current model.
 *
 * <p>A VM moving host ({@link VmMover}) hands its vNICs over ({@link #handover}): their packets wait
 * before routing while its flows change agent, then go to the new host's agent until the model says the VM
 * is there. Other packets pay a look into an empty map and a striped count for this
 * ({@link VnicHandovers}).
 */
public final class SimulatedDataCenter implements DataPlaneService, HostDataPlanes, ModelListener, AutoCloseable {

    /**
     * Configuration.
     *
     * @param maxFlowsPerHost capacity of each host's connection table
     * @param expiryPeriod    how often the connection tables are expired; null: never by itself
     *                        (call {@link #expire()})
     * @param flowLogCapacity records each host's flow log keeps
     */
    public record Config(int maxFlowsPerHost, Duration expiryPeriod, int flowLogCapacity) {

        /** A configuration with a flow log of {@link FlowLog#DEFAULT_CAPACITY} records per host. */
        public Config(int maxFlowsPerHost, Duration expiryPeriod) {
            this(maxFlowsPerHost, expiryPeriod, FlowLog.DEFAULT_CAPACITY);
        }

        public Config {
            if (flowLogCapacity <= 0) {
                throw new IllegalArgumentException("flowLogCapacity must be positive: " + flowLogCapacity);
            }
            if (maxFlowsPerHost <= 0) {
                throw new IllegalArgumentException("maxFlowsPerHost must be positive: " + maxFlowsPerHost);
            }
            if (expiryPeriod != null && (expiryPeriod.isNegative() || expiryPeriod.isZero())) {
                throw new IllegalArgumentException("expiryPeriod must be positive: " + expiryPeriod);
            }
        }

        /** 100,000 flows per host, expired every second. */
        public static Config defaults() {
            return new Config(100_000, Duration.ofSeconds(1));
        }
    }

    /** Agents by host and the host of each vNIC, as of one model revision. */
    private record Routing(Map<String, HostAgent> agents, Map<String, String> hostOfVnic, Map<String, Vm> vms) {
        static final Routing EMPTY = new Routing(Map.of(), Map.of(), Map.of());
    }

    private final AgentChannel channel;
    private final Config config;
    private final LongSupplier nanoClock;
    private final Instant epoch;
    private final long epochNanos;
    private final ScheduledExecutorService expiry;
    private final AtomicLong expired = new AtomicLong();
    private volatile Routing routing = Routing.EMPTY;
    private volatile boolean closed;
    /** Agents created for hosts, kept across revisions; touched only under {@link #lock}. */
    private final Map<String, HostAgent> agents = new ConcurrentHashMap<>();
    /** Serializes model events, changes of steering and close. */
    private final Object lock = new Object();
    /** The ids of steered flows, unique across the steerings that replace one another. */
    private final AtomicLong flowIds = new AtomicLong();
    private ModelSnapshot model = ModelSnapshot.EMPTY; // guarded by lock
    private ChainSteering steering;                    // guarded by lock; null: off
    /** The vNICs changing host: their packets held, then sent to the new host until the model says it. */
    private final VnicHandovers handovers = new VnicHandovers();

    /**
     * A data center on the system clocks whose agents are subscribed to the compiler directly; starts
     * its expiry if the configuration has a period.
     */
    public SimulatedDataCenter(PolicyCompilerService compiler, Config config) {
        this(AgentChannel.direct(compiler), config, System::nanoTime, Clock.systemUTC());
    }

    /**
     * A data center whose agents are subscribed to the compiler directly.
     *
     * @param nanoClock the clock packets are timed with (nanoseconds)
     * @param wallClock the clock reported times are converted to
     */
    public SimulatedDataCenter(PolicyCompilerService compiler, Config config, LongSupplier nanoClock, Clock wallClock) {
        this(AgentChannel.direct(compiler), config, nanoClock, wallClock);
    }

    /** A data center on the system clocks whose agents are fed through {@code channel}. */
    public SimulatedDataCenter(AgentChannel channel, Config config) {
        this(channel, config, System::nanoTime, Clock.systemUTC());
    }

    /**
     * @param channel   feeds the agents their rule sets
     * @param nanoClock the clock packets are timed with (nanoseconds)
     * @param wallClock the clock reported times are converted to
     */
    public SimulatedDataCenter(AgentChannel channel, Config config, LongSupplier nanoClock, Clock wallClock) {
        this.channel = channel;
        this.config = config;
        this.nanoClock = nanoClock;
        this.epochNanos = nanoClock.getAsLong();
        this.epoch = wallClock.instant();
        if (config.expiryPeriod() == null) {
            this.expiry = null;
        } else {
            this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ringfence-flow-expiry");
                t.setDaemon(true);
                return t;
            });
            long period = config.expiryPeriod().toNanos();
            expiry.scheduleAtFixedRate(this::expireQuietly, period, period, TimeUnit.NANOSECONDS);
        }
    }

    // ---- the model

    @Override
    public void modelChanged(ModelChangeEvent event) {
        synchronized (lock) {
            if (!closed) {
                follow(event.after());
            }
        }
    }

    private void follow(ModelSnapshot model) {
        this.model = model;
        if (steering != null) {
            steering.modelChanged(model);
        }
        Set<String> hosts = model.hosts().stream().map(Host::id).collect(Collectors.toSet());
        // hosts that left: stop routing to them first, then detach
        List<String> gone = agents.keySet().stream().filter(h -> !hosts.contains(h)).toList();
        Map<String, HostAgent> next = new HashMap<>(agents);
        gone.forEach(next::remove);
        List<HostAgent> added = new ArrayList<>();
        for (String host : hosts) {
            if (!next.containsKey(host)) {
                HostAgent agent = new HostAgent(host,
                        new ConnectionTracker(ConnectionTracker.Config.defaults(config.maxFlowsPerHost())),
                        new FlowLog(config.flowLogCapacity()), this::instant);
                agent.steering(steering);
                next.put(host, agent);
                added.add(agent);
            }
        }
        Map<String, String> hostOfVnic = new HashMap<>();
        Map<String, Vm> vms = new HashMap<>();
        for (Vm vm : model.vms()) {
            vms.put(vm.id(), vm);
            if (vm.hostId() != null) {
                for (Vnic nic : vm.vnics()) {
                    hostOfVnic.put(nic.id(), vm.hostId());
                }
            }
        }
        routing = new Routing(Map.copyOf(next), Map.copyOf(hostOfVnic), Map.copyOf(vms));
        for (String host : gone) {
            HostAgent agent = agents.remove(host);
            channel.disconnect(agent);
            agent.close();
        }
        for (HostAgent agent : added) {
            agents.put(agent.hostId(), agent);
            channel.connect(agent);
        }
    }

    // ---- steering

    /**
     * Steers the flows the agents allow from now on through the chains {@code redirection} selects, run
     * by {@code insertion} with the definitions of {@code definitions}; replaces the previous steering
     * (flows steered already keep theirs until they end).
     */
    public void steer(RedirectionService redirection, ServiceInsertion insertion,
                      ServiceDefinitionRegistry definitions) {
        ChainSteering previous;
        synchronized (lock) {
            if (closed) {
                return;
            }
            previous = steering;
            steering = new ChainSteering(redirection, insertion, definitions, flowIds::incrementAndGet, model);
            agents.values().forEach(a -> a.steering(steering));
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** New flows are steered no more (flows steered already keep their chain until they end). */
    public void stopSteering() {
        ChainSteering previous;
        synchronized (lock) {
            previous = steering;
            steering = null;
            agents.values().forEach(a -> a.steering(null));
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** The agent of a host, if the host is in the model. */
    @Override
    public Optional<HostAgent> agent(String hostId) {
        return Optional.ofNullable(routing.agents().get(hostId));
    }

    @Override
    public long now() {
        return nanoClock.getAsLong();
    }

    @Override
    public Handover handover(Collection<String> vnicIds) {
        return handovers.start(vnicIds);
    }

    /** The hosts that have an agent. */
    public Set<String> hosts() {
        return routing.agents().keySet();
    }

    // ---- packets

    @Override
    public Verdict process(String vnicId, Direction direction, Packet packet) {
        int epoch = handovers.enter();
        VnicHandovers.Entry moving = handovers.entry(vnicId);
        if (moving == null) {
            try {
                return route(vnicId, direction, packet, null);
            } finally {
                handovers.exit(epoch);
            }
        }
        handovers.exit(epoch);
        moving.gate.readLock().lock(); // its VM is changing host: wait while held, then go where the move says
        try {
            return route(vnicId, direction, packet, moving.host);
        } finally {
            moving.gate.readLock().unlock();
        }
    }

    /** To the agent of {@code host}, or (when null) of the vNIC's host in the model. */
    private Verdict route(String vnicId, Direction direction, Packet packet, String host) {
        Routing r = routing;
        String target = host != null ? host : r.hostOfVnic().get(vnicId);
        HostAgent agent = target == null ? null : r.agents().get(target);
        if (agent == null) {
            return new Verdict(Action.DROP, Verdict.NO_RULE_SET, false, null, -1);
        }
        return agent.process(vnicId, direction, packet, nanoClock.getAsLong());
    }

    @Override
    public Traceflow trace(TraceRequest request) {
        Routing r = routing;
        TracePacket resolved = TracePacket.resolve(request, r.vms());
        Vnic source = resolved.source();
        Vnic destination = resolved.destination();
        Packet packet = resolved.packet();
        long now = nanoClock.getAsLong();
        List<TraceStep> steps = new ArrayList<>();
        TraceStep out = step(r, source.id(), Direction.OUT, packet, now);
        steps.add(out);
        if (destination != null && out.allowed()) {
            steps.add(step(r, destination.id(), Direction.IN, packet, now));
        }
        Action verdict = steps.stream().filter(s -> !s.allowed()).map(TraceStep::finalAction).findFirst()
                .orElse(Action.ALLOW);
        return new Traceflow(source.id(), destination == null ? null : destination.id(), packet.protocol(),
                packet.source().toString(), packet.destination().toString(), packet.sourcePort(), packet.destinationPort(), steps, verdict);
    }

    private static TraceStep step(Routing r, String vnicId, Direction direction, Packet packet, long now) {
        String host = r.hostOfVnic().get(vnicId);
        HostAgent agent = host == null ? null : r.agents().get(host);
        if (agent == null) {
            return new TraceStep(host, vnicId, direction, -1, TraceStep.DecidedBy.NO_RULE_SET, Verdict.NO_RULE_SET,
                    null, Action.DROP, null);
        }
        return agent.trace(vnicId, direction, packet, now);
    }

    /** Expires the flows of every host at the current time; returns how many were removed. */
    public int expire() {
        long now = nanoClock.getAsLong();
        int n = 0;
        for (HostAgent agent : routing.agents().values()) {
            n += agent.tracker().expire(now);
        }
        expired.addAndGet(n);
        return n;
    }

    /** Flows removed by expiry so far. */
    public long expiredFlows() {
        return expired.get();
    }

    private void expireQuietly() {
        try {
            expire();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: keep expiring
        }
    }

    // ---- counters

    @Override
    public List<RuleTraffic> ruleStats() {
        Map<String, List<RuleStats>> byRule = new TreeMap<>();
        for (HostAgent agent : routing.agents().values()) {
            for (RuleStats s : agent.ruleStats()) {
                byRule.computeIfAbsent(s.ruleId(), k -> new ArrayList<>()).add(s);
            }
        }
        return byRule.entrySet().stream().map(e -> sum(e.getKey(), e.getValue())).toList();
    }

    @Override
    public RuleTraffic ruleStats(String ruleId) {
        return sum(ruleId, routing.agents().values().stream().map(a -> a.ruleStats(ruleId)).toList());
    }

    @Override
    public RuleTraffic stagedRuleStats(String ruleId) {
        return sum(ruleId, routing.agents().values().stream().map(a -> a.stagedRuleStats(ruleId)).toList());
    }

    private RuleTraffic sum(String ruleId, List<RuleStats> stats) {
        long packets = 0;
        long bytes = 0;
        long sessions = 0;
        long lastHit = Long.MIN_VALUE;
        for (RuleStats s : stats) {
            packets += s.packets();
            bytes += s.bytes();
            sessions += s.sessions();
            lastHit = Math.max(lastHit, s.lastHit());
        }
        return new RuleTraffic(ruleId, packets, bytes, sessions, lastHit == Long.MIN_VALUE ? null : instant(lastHit));
    }

    @Override
    public Optional<VnicStats> vnicStats(String vnicId) {
        Routing r = routing;
        String host = r.hostOfVnic().get(vnicId);
        HostAgent agent = host == null ? null : r.agents().get(host);
        return agent == null ? Optional.empty() : agent.vnicStats(vnicId);
    }

    @Override
    public Optional<HostStats> hostStats(String hostId) {
        return Optional.ofNullable(routing.agents().get(hostId)).map(HostAgent::stats);
    }

    @Override
    public List<FlowEntry> flows(String vmId) {
        Routing r = routing;
        Vm vm = r.vms().get(vmId);
        HostAgent agent = vm == null || vm.hostId() == null ? null : r.agents().get(vm.hostId());
        if (agent == null) {
            return List.of();
        }
        List<FlowEntry> flows = new ArrayList<>();
        for (Vnic nic : vm.vnics()) {
            for (Flow f : agent.tracker().flows(nic.id())) {
                flows.add(new FlowEntry(f.key(), f.state(), f.ruleId(), f.generation(), f.originalPackets(),
                        f.originalBytes(), f.replyPackets(), f.replyBytes(), instant(f.created()),
                        instant(f.lastSeen()), instant(f.expiresAt())));
            }
        }
        return flows;
    }

    // ---- flow log

    @Override
    public List<FlowLogRecord> flowLog(FlowLogQuery q) {
        List<FlowLogRecord> all = new ArrayList<>();
        for (HostAgent agent : routing.agents().values()) {
            all.addAll(agent.flowLog(q));
        }
        // each host's list is newest first and at most limit long: the merge needs only the top limit
        all.sort(Comparator.comparing(FlowLogRecord::time).reversed());
        return all.size() <= q.limit() ? all : List.copyOf(all.subList(0, q.limit()));
    }

    @Override
    public long flowLogOverwritten() {
        return routing.agents().values().stream().mapToLong(a -> a.flowLog().overwritten()).sum();
    }

    /** A time of the packet clock on the wall clock. */
    Instant instant(long nanos) {
        return epoch.plusNanos(nanos - epochNanos);
    }

    /**
     * Stops the expiry and steering, disconnects every agent and closes it: every flow ends, and with
     * it the chain session of every steered flow. (The data center, hence its hosts, goes away; an
     * agent whose feed stops while its host stays keeps enforcing its last tables.)
     */
    @Override
    public void close() {
        stopSteering();
        synchronized (lock) {
            closed = true;
            if (expiry != null) {
                expiry.shutdownNow();
            }
            routing = Routing.EMPTY;
            agents.forEach((host, agent) -> {
                channel.disconnect(agent);
                agent.close();
            });
            agents.clear();
        }
    }
}
