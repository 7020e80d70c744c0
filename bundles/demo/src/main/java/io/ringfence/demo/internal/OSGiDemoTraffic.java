package io.ringfence.demo.internal;

import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.manager.ModelService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the demo's synthetic traffic ({@link DemoTraffic}) through the data plane once per period
 * while active. Everything stays in memory: no packet reaches a network.
 */
@Component(immediate = true, configurationPid = "io.ringfence.demo.traffic")
@Designate(ocd = OSGiDemoTraffic.Configuration.class)
public final class OSGiDemoTraffic {

    private static final Logger LOG = LoggerFactory.getLogger(OSGiDemoTraffic.class);

    @ObjectClassDefinition(name = "Ringfence demo traffic")
    public @interface Configuration {
        @AttributeDefinition(description = "Play synthetic traffic between the demo VMs")
        boolean enabled() default true;

        @AttributeDefinition(description = "Milliseconds between two rounds of traffic")
        long periodMillis() default 1000;
    }

    private final ScheduledExecutorService scheduler;

    @Activate
    public OSGiDemoTraffic(@Reference DataPlaneService dataPlane, @Reference ModelService models,
                           Configuration config) {
        if (!config.enabled() || config.periodMillis() <= 0) {
            this.scheduler = null;
            return;
        }
        DemoTraffic traffic = new DemoTraffic(dataPlane, models::snapshot);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringfence-demo-traffic");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                traffic.tick();
            } catch (RuntimeException e) {
                // a failed round is reported and the next one runs (a throwing task would never run again)
                LOG.warn("A round of demo traffic failed", e);
            }
        }, config.periodMillis(), config.periodMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("A round of demo traffic did not end within 5 s of deactivation");
            }
        }
    }
}
