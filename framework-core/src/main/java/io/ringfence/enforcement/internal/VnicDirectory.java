package io.ringfence.enforcement.internal;

import io.ringfence.manager.ModelService;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import java.util.Optional;

/**
 * Where a feed finds a vNIC's MAC and addresses, which compiled rule sets do not carry. Asked on
 * the compiler's thread while it delivers a change, so the model it reads is the one compiled.
 */
@FunctionalInterface
public interface VnicDirectory {

    /** The vNIC {@code vnicId} of VM {@code vmId}, if the model has it. */
    Optional<Vnic> vnic(String vmId, String vnicId);

    /** The vNICs of the VMs {@code models} holds. */
    static VnicDirectory of(ModelService models) {
        return (vmId, vnicId) -> models.find(Kind.VM, vmId).map(Vm::vnics)
                .flatMap(vnics -> vnics.stream().filter(n -> n.id().equals(vnicId)).findFirst());
    }
}
