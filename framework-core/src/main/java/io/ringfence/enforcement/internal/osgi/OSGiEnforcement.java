package io.ringfence.enforcement.internal.osgi;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.enforcement.EnforcementService;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.internal.TargetFeed;
import io.ringfence.enforcement.internal.VnicDirectory;
import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * One {@link TargetFeed} per registered {@link EnforcementTarget}, subscribed to the compiler for
 * each host of the target's descriptor; a target that leaves is unsubscribed before its feed closes.
 * Immediate: targets are fed whether or not anyone asks for their status.
 */
@Component(service = EnforcementService.class, configurationPid = "io.ringfence.enforcement", immediate = true)
@Designate(ocd = OSGiEnforcement.Configuration.class)
public final class OSGiEnforcement implements EnforcementService {

    @ObjectClassDefinition(name = "Ringfence enforcement targets")
    public @interface Configuration {

        @AttributeDefinition(description = "How long a target may take to answer an update, in milliseconds")
        long acknowledgementTimeoutMillis() default 30_000;
    }

    private final PolicyCompilerService compiler;
    private final VnicDirectory directory;
    private final Duration timeout;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ringfence-target-feeds");
        t.setDaemon(true);
        return t;
    });
    private final Map<EnforcementTarget, TargetFeed> feeds = new ConcurrentHashMap<>();

    @Activate
    public OSGiEnforcement(@Reference PolicyCompilerService compiler, @Reference ModelService models,
                           Configuration config) {
        this.compiler = compiler;
        this.directory = (vmId, vnicId) -> models.find(Kind.VM, vmId).map(Vm::vnics)
                .flatMap(vnics -> vnics.stream().filter(n -> n.id().equals(vnicId)).findFirst());
        this.timeout = Duration.ofMillis(config.acknowledgementTimeoutMillis());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTarget(EnforcementTarget target) {
        TargetFeed feed = new TargetFeed(target, directory, timeout, executor, Clock.systemUTC());
        if (feeds.putIfAbsent(target, feed) == null) {
            target.descriptor().hosts().forEach(host -> compiler.attach(host, feed));
        }
    }

    void removeTarget(EnforcementTarget target) {
        TargetFeed feed = feeds.remove(target);
        if (feed != null) {
            target.descriptor().hosts().forEach(host -> compiler.detach(host, feed));
            feed.close();
        }
    }

    @Deactivate
    void deactivate() {
        List.copyOf(feeds.keySet()).forEach(this::removeTarget);
        executor.shutdownNow();
    }

    @Override
    public List<TargetFeedStatus> targets() {
        return feeds.values().stream().map(TargetFeed::status)
                .sorted(Comparator.comparing(TargetFeedStatus::targetId)).toList();
    }

    @Override
    public Optional<TargetFeedStatus> target(String targetId) {
        return feed(targetId).map(TargetFeed::status);
    }

    @Override
    public boolean resync(String targetId) {
        Optional<TargetFeed> feed = feed(targetId);
        feed.ifPresent(TargetFeed::resync);
        return feed.isPresent();
    }

    private Optional<TargetFeed> feed(String targetId) {
        return feeds.values().stream().filter(f -> f.targetId().equals(targetId)).findFirst();
    }
}
