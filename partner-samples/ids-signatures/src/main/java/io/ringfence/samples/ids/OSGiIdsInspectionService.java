package io.ringfence.samples.ids;

import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.SessionState;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Registers the IDS as an {@link InspectionService}. Its version is the bundle's, read at
 * activation: a {@code bundle:update} to a new build announces the new version with nothing to keep
 * in sync by hand.
 */
@Component(service = InspectionService.class)
public final class OSGiIdsInspectionService implements InspectionService {

    private final IdsInspectionService ids;

    @Activate
    public OSGiIdsInspectionService(BundleContext context) {
        // an OSGi version prints as major.minor.micro[.qualifier], the descriptor's version format
        this.ids = new IdsInspectionService(context.getBundle().getVersion().toString(),
                IdsInspectionService.builtInRules());
    }

    @Override
    public InspectionDescriptor descriptor() {
        return ids.descriptor();
    }

    @Override
    public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
        return ids.open(flow, profile, alerts);
    }

    @Override
    public InspectionSession resume(FlowContext flow, Profile profile, AlertSink alerts, SessionState state) {
        return ids.resume(flow, profile, alerts, state);
    }

    @Override
    public Health health() {
        return ids.health();
    }
}
