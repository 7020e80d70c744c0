package io.ringfence.enforcement.internal.osgi;

import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.TargetCounters;
import io.ringfence.enforcement.TargetRuleHits;
import io.ringfence.enforcement.internal.TargetCounterPoller;
import io.ringfence.spi.enforcement.EnforcementTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A {@link TargetCounterPoller} over every registered {@link EnforcementTarget}, as configured. */
@Component(service = TargetCounterService.class, configurationPid = "io.ringfence.enforcement.counters")
@Designate(ocd = OSGiTargetCounters.Configuration.class)
public final class OSGiTargetCounters implements TargetCounterService {

    @ObjectClassDefinition(name = "Ringfence target rule counters")
    public @interface Configuration {

        @AttributeDefinition(description = "How often the rule counters of every target are read, in milliseconds"
                + " (0: never)")
        long periodMillis() default 10_000;

        @AttributeDefinition(description = "How long the targets may take to answer a read, in milliseconds")
        long deadlineMillis() default 5_000;
    }

    private final TargetCounterPoller poller;

    @Activate
    public OSGiTargetCounters(Configuration config) {
        this.poller = new TargetCounterPoller(Duration.ofMillis(config.periodMillis()),
                Duration.ofMillis(config.deadlineMillis()), Clock.systemUTC());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTarget(EnforcementTarget target) {
        poller.add(target);
    }

    void removeTarget(EnforcementTarget target) {
        poller.remove(target);
    }

    @Deactivate
    void deactivate() {
        poller.close();
    }

    @Override
    public List<TargetCounters> readings() {
        return poller.readings();
    }

    @Override
    public List<TargetRuleHits> ruleHits(String ruleId) {
        return poller.ruleHits(ruleId);
    }

    @Override
    public Map<String, List<TargetRuleHits>> ruleHits() {
        return poller.ruleHits();
    }
}
