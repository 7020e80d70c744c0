package io.ringfence.move;

/** A move that cannot start in the VM's current situation; nothing changed. */
public class VmMoveRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The VM runs on the destination host already. */
        SAME_HOST,
        /** Another move of the VM is under way. */
        MOVING
    }

    private final Reason reason;

    public VmMoveRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
