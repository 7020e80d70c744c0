package io.ringfence.dataplane.target;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.internal.TargetFeed;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The enforcement side as the framework wires it (one {@link TargetFeed} per registered target,
 * subscribed to the compiler for the target's hosts, all on one feed thread), in plain Java for
 * tests: what {@code OSGiEnforcement} does with target services.
 */
public final class FeedRegistry implements AgentTargets.Registry, AutoCloseable {

    private final PolicyCompilerService compiler;
    private final ModelService models;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final Map<EnforcementTarget, TargetFeed> feeds = new ConcurrentHashMap<>();

    public FeedRegistry(PolicyCompilerService compiler, ModelService models) {
        this.compiler = compiler;
        this.models = models;
    }

    @Override
    public void register(EnforcementTarget target) {
        TargetFeed feed = new TargetFeed(target, (vmId, vnicId) -> models.find(Kind.VM, vmId).map(Vm::vnics)
                .flatMap(n -> n.stream().filter(v -> v.id().equals(vnicId)).findFirst()),
                Duration.ofSeconds(10), executor, Clock.systemUTC());
        feeds.put(target, feed);
        target.descriptor().hosts().forEach(h -> compiler.attach(h, feed));
    }

    @Override
    public void unregister(EnforcementTarget target) {
        TargetFeed feed = feeds.remove(target);
        if (feed != null) {
            target.descriptor().hosts().forEach(h -> compiler.detach(h, feed));
            feed.close();
        }
    }

    /** The status of the feed of target {@code id}. */
    public Optional<TargetFeedStatus> status(String id) {
        return feeds.values().stream().filter(f -> f.targetId().equals(id)).findFirst().map(TargetFeed::status);
    }

    /** True when every target has acknowledged everything it should enforce. */
    public boolean inSync() {
        return feeds.values().stream().allMatch(f -> f.status().inSync());
    }

    /** The manager side goes away: every feed is detached and closed; the targets hear nothing more. */
    @Override
    public void close() {
        feeds.keySet().forEach(this::unregister);
        executor.shutdownNow();
    }
}
