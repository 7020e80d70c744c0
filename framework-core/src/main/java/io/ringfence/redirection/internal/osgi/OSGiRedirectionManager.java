package io.ringfence.redirection.internal.osgi;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelListener;
import io.ringfence.model.Direction;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.redirection.RedirectionService;
import io.ringfence.redirection.internal.RedirectionManager;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The redirection table as an OSGi service and a model listener. It starts empty and takes the
 * model from the first event the model manager sends a new listener; referring to the model
 * service instead would make a cycle (the manager binds every model listener). Group membership
 * comes from the policy compiler, whichever of the two the manager tells of a change first.
 */
@Component(service = {RedirectionService.class, ModelListener.class})
public final class OSGiRedirectionManager implements RedirectionService, ModelListener {

    private final RedirectionManager manager;

    @Activate
    public OSGiRedirectionManager(@Reference PolicyCompilerService compiler) {
        this.manager = new RedirectionManager(compiler);
    }

    @Deactivate
    void deactivate() {
        manager.close();
    }

    @Override
    public void modelChanged(ModelChangeEvent event) {
        manager.modelChanged(event);
    }

    @Override
    public Optional<ChainSelection> select(String vnicId, Direction direction, Packet packet) {
        return manager.select(vnicId, direction, packet);
    }

    @Override
    public long revision() {
        return manager.revision();
    }
}
