package io.ringfence.dataplane.sim.osgi;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.sim.HostDataPlanes;
import io.ringfence.dataplane.sim.VmMover;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.move.VmMove;
import io.ringfence.move.VmMoveService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The VM mover of the in-JVM data center as an OSGi service. It refers to the model services and the data
 * center's agents (which the data center offers apart from its data-plane service), so it comes up once
 * they are all there; the data center itself does not refer to the model services (the model manager binds
 * it as a listener).
 */
@Component(service = VmMoveService.class)
public final class OSGiVmMover implements VmMoveService {

    private final VmMover mover;

    @Activate
    public OSGiVmMover(@Reference ModelService models, @Reference ModelAdminService admin,
                       @Reference PolicyCompilerService compiler, @Reference HostDataPlanes hosts) {
        this.mover = new VmMover(models, admin, compiler, hosts);
    }

    @Override
    public VmMove move(String vmId, String hostId, Long expectedRevision, String principal) {
        return mover.move(vmId, hostId, expectedRevision, principal);
    }
}
