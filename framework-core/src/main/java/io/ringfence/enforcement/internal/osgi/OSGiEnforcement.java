package io.ringfence.enforcement.internal.osgi;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.enforcement.EnforcementService;
import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationOverview;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.enforcement.internal.EnforcementManager;
import io.ringfence.enforcement.internal.ReconcilerSettings;
import io.ringfence.enforcement.internal.VnicDirectory;
import io.ringfence.manager.ModelService;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link EnforcementManager} as a DS component: every registered {@link EnforcementTarget}
 * gets a feed, and the reconciler's settings come from the configuration. Immediate: targets are
 * fed whether or not anyone asks for their status.
 */
@Component(service = {EnforcementService.class, RealizationService.class}, configurationPid = "io.ringfence.enforcement",
        immediate = true)
@Designate(ocd = OSGiEnforcement.Configuration.class)
public final class OSGiEnforcement implements EnforcementService, RealizationService {

    @ObjectClassDefinition(name = "Ringfence enforcement targets",
            description = "How the framework feeds the enforcement targets and reconciles them")
    public @interface Configuration {

        @AttributeDefinition(description = "How long a target may take to answer an update, in milliseconds; "
                + "an update not answered by then has failed (retryable)")
        long acknowledgementTimeoutMillis() default 30_000;

        @AttributeDefinition(description = "Wait before the first retry after a retryable failure, in milliseconds; "
                + "it doubles with each failure in a row, jittered down to between half and all of it")
        long initialBackoffMillis() default 100;

        @AttributeDefinition(description = "Longest wait between retries after retryable failures, in milliseconds")
        long maxBackoffMillis() default 30_000;

        @AttributeDefinition(description = "Wait before a target that refused an update (a non-retryable error) "
                + "gets its full state again without any change, in seconds; 0: only on a change or a resync")
        long refusedRetrySeconds() default 300;

        @AttributeDefinition(description = "A target gets its full state at least this often (anti-entropy, for "
                + "targets that lost their state unnoticed), in seconds; 0: never")
        long resyncIntervalSeconds() default 600;
    }

    private final EnforcementManager manager;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ringfence-target-feeds");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public OSGiEnforcement(@Reference PolicyCompilerService compiler, @Reference ModelService models,
                           Configuration config) {
        this.manager = new EnforcementManager(compiler, VnicDirectory.of(models), settings(config), executor,
                Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    static ReconcilerSettings settings(Configuration config) {
        return new ReconcilerSettings(Duration.ofMillis(config.acknowledgementTimeoutMillis()),
                Duration.ofMillis(config.initialBackoffMillis()), Duration.ofMillis(config.maxBackoffMillis()),
                Duration.ofSeconds(config.refusedRetrySeconds()), Duration.ofSeconds(config.resyncIntervalSeconds()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTarget(EnforcementTarget target) {
        manager.addTarget(target);
    }

    void removeTarget(EnforcementTarget target) {
        manager.removeTarget(target);
    }

    @Deactivate
    void deactivate() {
        manager.close();
        executor.shutdownNow();
    }

    @Override
    public List<TargetFeedStatus> targets() {
        return manager.targets();
    }

    @Override
    public Optional<TargetFeedStatus> target(String targetId) {
        return manager.target(targetId);
    }

    @Override
    public boolean resync(String targetId) {
        return manager.resync(targetId);
    }

    @Override
    public RealizationOverview overview() {
        return manager.overview();
    }

    @Override
    public Optional<TargetRealization> realization(String targetId) {
        return manager.realization(targetId);
    }

    @Override
    public Optional<List<VnicRealization>> vnics(String targetId) {
        return manager.vnics(targetId);
    }

    @Override
    public Realization ofPolicy(String policyId) {
        return manager.ofPolicy(policyId);
    }

    @Override
    public Realization ofRule(String ruleId) {
        return manager.ofRule(ruleId);
    }

    @Override
    public Realization ofVm(String vmId) {
        return manager.ofVm(vmId);
    }
}
