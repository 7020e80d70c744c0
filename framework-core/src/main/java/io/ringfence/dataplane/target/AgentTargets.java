package io.ringfence.dataplane.target;

import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.sim.AgentChannel;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel that feeds a data center's agents as enforcement targets: each agent connected
 * becomes an {@link AgentTarget} handed to a {@link Registry} (the enforcement side: in OSGi, the
 * registration of an {@code EnforcementTarget} service), and is taken back when disconnected. The
 * agents apply their updates on a small pool of threads of their own, so that a change touching
 * every host is applied on all cores, not one host after another on the feeds' thread; they share
 * the parsing of address groups ({@link ParsedAddressSets}).
 */
public final class AgentTargets implements AgentChannel, AutoCloseable {

    /** The enforcement side: feeds a target from its registration until it is unregistered. */
    public interface Registry {

        void register(EnforcementTarget target);

        void unregister(EnforcementTarget target);
    }

    private final Registry registry;
    private final ExecutorService executor;
    private final ParsedAddressSets addresses = new ParsedAddressSets();
    private final Map<HostAgent, AgentTarget> targets = new ConcurrentHashMap<>();

    /**
     * @param registry where the targets go
     * @param threads  the threads the agents apply their updates on
     */
    public AgentTargets(Registry registry, int threads) {
        this.registry = registry;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ringfence-agent-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void connect(HostAgent agent) {
        AgentTarget target = new AgentTarget(agent, executor, addresses);
        if (targets.putIfAbsent(agent, target) == null) {
            registry.register(target);
        }
    }

    @Override
    public void disconnect(HostAgent agent) {
        AgentTarget target = targets.remove(agent);
        if (target != null) {
            registry.unregister(target);
        }
    }

    /** Stops the agents' threads: an update in progress is abandoned (its feed times it out). */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
