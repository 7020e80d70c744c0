package io.ringfence.dataplane.target;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.enforcement.internal.VnicDirectory;
import io.ringfence.manager.ModelService;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The enforcement side as the framework wires it, in plain Java for tests: the targets the agents
 * register go to an {@link EnforcementManager} (one feed per target, subscribed to the compiler for
 * the target's hosts, all on one feed thread), as {@code OSGiEnforcement} does with target services.
 */
public final class FeedRegistry implements AgentTargets.Registry, AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final EnforcementManager manager;

    public FeedRegistry(PolicyCompilerService compiler, ModelService models) {
        manager = new EnforcementManager(compiler, VnicDirectory.of(models),
                ReconcilerSettings.DEFAULT.withAcknowledgementTimeout(Duration.ofSeconds(10)), executor,
                Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void register(EnforcementTarget target) {
        manager.addTarget(target);
    }

    @Override
    public void unregister(EnforcementTarget target) {
        manager.removeTarget(target);
    }

    /** The status of the feed of target {@code id}. */
    public Optional<TargetFeedStatus> status(String id) {
        return manager.target(id);
    }

    /** True when every target has acknowledged everything it should enforce. */
    public boolean inSync() {
        return manager.targets().stream().allMatch(TargetFeedStatus::inSync);
    }

    /** The manager side goes away: every feed is detached and closed; the targets hear nothing more. */
    @Override
    public void close() {
        manager.close();
        executor.shutdownNow();
    }
}
