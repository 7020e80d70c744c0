package io.ringfence.insertion.internal;

import io.ringfence.insertion.RecentAlert;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceDefinitionListener;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInstance;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The registered function instances, by definition: fed by whoever sees partners come and go (the
 * OSGi wiring, tests), read by chain sessions on every new flow.
 *
 * <h2>Snapshot</h2>
 * Changes are serialized and publish an immutable map from definition id to its instances, newest
 * first ({@link InspectionDescriptor#compareVersions}, then higher service ranking, then lower
 * service id); the packet path reads it without a lock and takes the first instance that accepts
 * flows.
 *
 * <h2>Leaving</h2>
 * {@link #remove} first takes the instance out of the snapshot and marks it removed (no new flow
 * goes there), then moves its sessions off one flow at a time ({@link HopSession#leave}), then stops
 * its threads (once the last session it opened is closed). It returns when every session has
 * exported its state: after that the partner's bundle may be gone.
 *
 * <h2>Health</h2>
 * {@code descriptor()} and {@code health()} are partner code too: they run on the instance's health
 * thread, and a poll that takes longer than the timeout counts as DOWN (and is not repeated while it
 * hangs). Polls run on registration and then periodically on the registry's own thread, never on
 * the packet path, which only reads the cached value.
 */
public final class FunctionRegistry implements ServiceDefinitionRegistry, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FunctionRegistry.class.getName());

    private static final Comparator<FunctionInstance> NEWEST_FIRST =
            Comparator.<FunctionInstance, String>comparing(FunctionInstance::version, InspectionDescriptor::compareVersions)
                    .thenComparingInt(FunctionInstance::ranking)
                    .reversed()
                    .thenComparingLong(FunctionInstance::serviceId);

    private final InsertionConfig config;
    private final Clock clock;
    private final LongSupplier ticker;
    private final List<ServiceDefinitionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, AlertLog> alerts = new ConcurrentHashMap<>();
    private final Map<Long, FunctionInstance> instances = new HashMap<>(); // guarded by this
    private final ScheduledExecutorService poller;
    private volatile Map<String, FunctionInstance[]> byDefinition = Map.of();
    private boolean closed; // guarded by this

    /**
     * @param clock  the time of alerts
     * @param ticker nanoseconds, for circuit breakers' cool-downs
     */
    public FunctionRegistry(InsertionConfig config, Clock clock, LongSupplier ticker) {
        this.config = config;
        this.clock = clock;
        this.ticker = ticker;
        if (config.healthPeriod().isZero()) {
            this.poller = null;
        } else {
            this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ringfence-insertion-health");
                t.setDaemon(true);
                return t;
            });
            long period = config.healthPeriod().toNanos();
            poller.scheduleWithFixedDelay(this::pollHealth, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /** A registry with the system clocks. */
    public FunctionRegistry(InsertionConfig config) {
        this(config, Clock.systemUTC(), System::nanoTime);
    }

    InsertionConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Registers an instance. Reads its descriptor and polls its health first (each within the health
     * timeout); an instance whose descriptor cannot be read is refused and logged.
     *
     * @return false when refused (descriptor failed, service id already registered, registry closed)
     */
    public boolean add(InspectionService service, long serviceId, int ranking) {
        ExecutorService healthThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ringfence-health-" + serviceId);
            t.setDaemon(true);
            return t;
        });
        InspectionDescriptor descriptor;
        try {
            descriptor = await(healthThread.submit(service::descriptor));
            if (descriptor == null) {
                throw new IllegalStateException("descriptor() returned null");
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "inspection service " + serviceId + " refused: its descriptor cannot be read", e);
            healthThread.shutdownNow();
            return false;
        }
        String threads = "ringfence-fn-" + descriptor.vendor() + "-" + descriptor.name() + "-" + descriptor.version()
                + "-" + serviceId;
        FunctionInstance instance = new FunctionInstance(service, descriptor, serviceId, ranking,
                new PartnerCalls(threads, config.threadsPerInstance(), config.queuePerInstance(),
                        config.callerSpin().toNanos(), config.workerSpin().toNanos()),
                healthThread, new CircuitBreaker(config.breakerThreshold(), config.breakerCoolDown().toNanos(), ticker));
        instance.health(polled(instance));
        synchronized (this) {
            if (closed || instances.containsKey(serviceId)) {
                instance.shutdown();
                return false;
            }
            instances.put(serviceId, instance);
            publish();
        }
        LOG.log(System.Logger.Level.INFO, () -> "inspection function " + instance + " registered, " + instance.health());
        notifyListeners(descriptor.definitionId());
        return true;
    }

    /**
     * Unregisters an instance: no new flow goes to it, its sessions move off (exporting their state when
     * the function exports state) and park until the flow's next packet finds a successor, then its threads stop.
     */
    public void remove(long serviceId) {
        FunctionInstance gone;
        synchronized (this) {
            gone = instances.remove(serviceId);
            if (gone == null) {
                return;
            }
            gone.markRemoved();
            publish();
        }
        int moved = gone.evacuate();
        gone.retire();
        LOG.log(System.Logger.Level.INFO, () -> "inspection function " + gone + " left; " + moved
                + " sessions moved off");
        notifyListeners(gone.definitionId());
    }

    /** Polls every instance's health (in parallel, each within the timeout) and tells listeners of changes. */
    public void pollHealth() {
        Map<FunctionInstance, Future<Health>> polls = new HashMap<>();
        for (FunctionInstance i : instances()) {
            polls.put(i, i.pollHealth());
        }
        Set<String> changed = new LinkedHashSet<>();
        long deadline = System.nanoTime() + config.healthTimeout().toNanos();
        polls.forEach((i, poll) -> {
            if (i.health(result(i, poll, deadline))) {
                changed.add(i.definitionId());
                LOG.log(System.Logger.Level.INFO, () -> "inspection function " + i + " is " + i.health());
            }
        });
        changed.forEach(this::notifyListeners);
    }

    private Health polled(FunctionInstance i) {
        return result(i, i.pollHealth(), System.nanoTime() + config.healthTimeout().toNanos());
    }

    private static Health result(FunctionInstance i, Future<Health> poll, long deadline) {
        try {
            Health h = poll.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return h == null ? Health.DOWN : h;
        } catch (TimeoutException e) {
            return Health.DOWN;
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "health() of " + i + " failed", e.getCause());
            return Health.DOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.DOWN;
        }
    }

    private <T> T await(Future<T> f) throws Exception {
        try {
            return f.get(config.healthTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /** The newest instance of a definition that accepts new flows, or null. Lock-free. */
    FunctionInstance newestAccepting(String definitionId) {
        FunctionInstance[] candidates = byDefinition.get(definitionId);
        if (candidates != null) {
            for (FunctionInstance i : candidates) {
                if (i.acceptsFlows()) {
                    return i;
                }
            }
        }
        return null;
    }

    /** Every registered instance, by definition id, newest first. */
    List<FunctionInstance> instances() {
        List<FunctionInstance> all = new ArrayList<>();
        new TreeMap<>(byDefinition).values().forEach(a -> all.addAll(Arrays.asList(a)));
        return all;
    }

    AlertLog alertLog(String definitionId) {
        return alerts.computeIfAbsent(definitionId, id -> new AlertLog(config.alertsPerDefinition()));
    }

    List<RecentAlert> recentAlerts(String definitionId, int limit) {
        AlertLog log = alerts.get(definitionId);
        return log == null ? List.of() : log.newest(limit);
    }

    /** The newest alerts of every definition, merged by time, newest first. */
    List<RecentAlert> recentAlerts(int limit) {
        List<RecentAlert> all = new ArrayList<>();
        alerts.values().forEach(log -> all.addAll(log.newest(limit)));
        all.sort(Comparator.comparing(RecentAlert::time).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    @Override
    public List<ServiceDefinition> definitions() {
        List<ServiceDefinition> all = new ArrayList<>();
        new TreeMap<>(byDefinition).values().forEach(a -> all.add(describe(a)));
        return all;
    }

    @Override
    public Optional<ServiceDefinition> definition(String id) {
        FunctionInstance[] a = byDefinition.get(id);
        return a == null ? Optional.empty() : Optional.of(describe(a));
    }

    private static ServiceDefinition describe(FunctionInstance[] newestFirst) {
        InspectionDescriptor d = newestFirst[0].descriptor();
        List<ServiceInstance> described = new ArrayList<>();
        for (FunctionInstance i : newestFirst) {
            described.add(i.describe());
        }
        return new ServiceDefinition(d.definitionId(), d.vendor(), d.name(), d.description(), d.profileSchema(),
                described);
    }

    @Override
    public void addListener(ServiceDefinitionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(ServiceDefinitionListener listener) {
        listeners.remove(listener);
    }

    private void notifyListeners(String definitionId) {
        for (ServiceDefinitionListener l : listeners) {
            try {
                l.definitionChanged(definitionId);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a service definition listener failed on " + definitionId, e);
            }
        }
    }

    private void publish() {
        Map<String, List<FunctionInstance>> grouped = new HashMap<>();
        for (FunctionInstance i : instances.values()) {
            grouped.computeIfAbsent(i.definitionId(), id -> new ArrayList<>()).add(i);
        }
        Map<String, FunctionInstance[]> next = new HashMap<>();
        grouped.forEach((id, list) -> {
            list.sort(NEWEST_FIRST);
            next.put(id, list.toArray(FunctionInstance[]::new));
        });
        byDefinition = Map.copyOf(next);
    }

    /**
     * Stops everything: health polls and every instance's threads. Sessions are not moved (the runtime
     * is going away); a chain session used after this applies its failure policy.
     */
    @Override
    public void close() {
        List<FunctionInstance> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(instances.values());
            all.forEach(FunctionInstance::markRemoved);
            instances.clear();
            publish();
        }
        if (poller != null) {
            poller.shutdownNow();
        }
        all.forEach(FunctionInstance::shutdown);
    }
}
