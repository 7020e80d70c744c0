package io.ringfence.spi.inspection;

/** The direction a flow crosses a vNIC in. */
public enum VnicDirection {
    /** Towards the VM: the VM is the responder. */
    IN,
    /** Away from the VM: the VM is the initiator. */
    OUT
}
