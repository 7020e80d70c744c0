package io.ringfence.demo.internal;

import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the demo data center once the model services are up, if the installation is new. */
@Component(immediate = true, configurationPid = "io.ringfence.demo")
@Designate(ocd = OSGiDemoLoader.Configuration.class)
public final class OSGiDemoLoader {

    private static final Logger LOG = LoggerFactory.getLogger(OSGiDemoLoader.class);

    @ObjectClassDefinition(name = "Ringfence demo data center")
    public @interface Configuration {
        @AttributeDefinition(description = "Load the demo into a new installation")
        boolean enabled() default true;
    }

    @Activate
    public OSGiDemoLoader(@Reference ModelService models, @Reference ModelAdminService admin, Configuration config) {
        if (!config.enabled()) {
            return;
        }
        try {
            if (DemoDataCenter.read().loadInto(models, admin)) {
                LOG.info("Loaded the demo data center into the new installation");
            }
        } catch (RuntimeException e) {
            // the demo is a convenience: a failure must not take the component (or Karaf) down
            LOG.error("The demo data center could not be loaded", e);
        }
    }
}
