package io.ringfence.move;

import org.osgi.annotation.versioning.ProviderType;

/** Moves VMs between hosts with their connections. */
@ProviderType
public interface VmMoveService {

    /**
     * Moves a VM to another host and returns once it runs there: its rule sets realized on the destination,
     * its tracked flows carried over (those the destination's rules no longer allow are cut), its traffic
     * cut over, its new host committed to the model (audited as a change of the VM by {@code principal}) and
     * its state gone from the source. Moves are one at a time; the VM's packets wait (they are not dropped)
     * while its flows change host. On any failure nothing has changed: the VM stays where it was, with its
     * flows.
     *
     * @param vmId             the VM
     * @param hostId           the host it moves to
     * @param expectedRevision the VM's revision the move is based on, or null
     * @param principal        who moves it, for the audit log
     * @throws io.ringfence.manager.NotFoundException         no such VM
     * @throws io.ringfence.manager.ValidationException       no such host (the violation points at {@code /hostId})
     * @throws io.ringfence.manager.RevisionMismatchException the VM is not at {@code expectedRevision}
     * @throws VmMoveRefusedException                        the VM is on that host already, or moving
     * @throws IllegalStateException                          the data plane cannot realize the move (e.g. the
     *                                                        destination has no agent); nothing changed
     * @throws io.ringfence.store.StoreException              the new host could not be made durable; nothing changed
     */
    VmMove move(String vmId, String hostId, Long expectedRevision, String principal);
}
