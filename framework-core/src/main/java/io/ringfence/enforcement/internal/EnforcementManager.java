package io.ringfence.enforcement.internal;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.enforcement.EnforcementService;
import io.ringfence.enforcement.Realization;
import io.ringfence.enforcement.RealizationOverview;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.TargetFeedStatus;
import io.ringfence.enforcement.TargetRealization;
import io.ringfence.enforcement.VnicRealization;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;

/**
 * The feeds of the registered targets: one {@link TargetFeed} per target, subscribed to the
 * compiler for each host of the target's descriptor; a target that leaves is unsubscribed before
 * its feed closes, and one that comes again gets a new feed, whose first update is full.
 */
public final class EnforcementManager implements EnforcementService, RealizationService, AutoCloseable {

    private final PolicyCompilerService compiler;
    private final VnicDirectory directory;
    private final ReconcilerSettings settings;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final DoubleSupplier jitter;
    private final Map<EnforcementTarget, TargetFeed> feeds = new ConcurrentHashMap<>();

    /**
     * @param executor runs the feeds: calls the targets, handles their answers and the timers; the
     *                 caller shuts it down after {@link #close}
     * @param jitter   random numbers in [0, 1] that spread the retries
     */
    public EnforcementManager(PolicyCompilerService compiler, VnicDirectory directory, ReconcilerSettings settings,
                              ScheduledExecutorService executor, Clock clock, DoubleSupplier jitter) {
        this.compiler = compiler;
        this.directory = directory;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
        this.jitter = jitter;
    }

    /** Starts feeding a target: its hosts' full state first. */
    public void addTarget(EnforcementTarget target) {
        TargetFeed feed = new TargetFeed(target, directory, settings, executor, clock, jitter);
        if (feeds.putIfAbsent(target, feed) == null) {
            feed.descriptor().hosts().forEach(host -> compiler.attach(host, feed));
        }
    }

    /** Stops feeding a target; it keeps what it has (fail static). */
    public void removeTarget(EnforcementTarget target) {
        TargetFeed feed = feeds.remove(target);
        if (feed != null) {
            feed.descriptor().hosts().forEach(host -> compiler.detach(host, feed));
            feed.close();
        }
    }

    /** Stops feeding every target. */
    @Override
    public void close() {
        List.copyOf(feeds.keySet()).forEach(this::removeTarget);
    }

    // ---- EnforcementService

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

    // ---- RealizationService

    @Override
    public RealizationOverview overview() {
        return RealizationOverview.of(feeds.values().stream().map(TargetFeed::realization)
                .sorted(Comparator.comparing(TargetRealization::targetId)).toList());
    }

    @Override
    public Optional<TargetRealization> realization(String targetId) {
        return feed(targetId).map(TargetFeed::realization);
    }

    @Override
    public Optional<List<VnicRealization>> vnics(String targetId) {
        return feed(targetId).map(TargetFeed::vnics);
    }

    @Override
    public Realization ofPolicy(String policyId) {
        return report(compiler.ruleSetsOfPolicy(policyId));
    }

    @Override
    public Realization ofRule(String ruleId) {
        return report(compiler.ruleSetsOfRule(ruleId));
    }

    @Override
    public Realization ofVm(String vmId) {
        return report(compiler.ruleSetsOfVm(vmId));
    }

    private Realization report(List<VnicRuleSet> ruleSets) {
        Map<String, List<TargetFeed>> byHost = new HashMap<>();
        for (TargetFeed feed : feeds.values()) {
            feed.descriptor().hosts().forEach(h -> byHost.computeIfAbsent(h, k -> new ArrayList<>()).add(feed));
        }
        return RealizationReport.over(ruleSets, h -> byHost.getOrDefault(h, List.of()));
    }

    private Optional<TargetFeed> feed(String targetId) {
        return feeds.values().stream().filter(f -> f.targetId().equals(targetId)).findFirst();
    }
}
