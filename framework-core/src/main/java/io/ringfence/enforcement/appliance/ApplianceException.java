package io.ringfence.enforcement.appliance;

/** A request of or about an appliance that was refused; it changed nothing. */
public final class ApplianceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why, in terms a client can act on. */
    public enum Reason {
        /** No appliance is registered under this id (never, deregistered, or the manager restarted): register. */
        UNKNOWN_APPLIANCE,
        /** The registration names hosts the inventory does not have. */
        UNKNOWN_HOST,
        /** The appliance was registered by another user. */
        NOT_OWNER,
        /**
         * The request names a session that ended: the appliance registered again since (another process
         * of it, or this one after a restart it did not notice). Not to be answered by registering again,
         * which would end the other session in turn: a process told this stops.
         *
         * @since 0.2.0
         */
        SESSION_ENDED,
        /** The appliance let its lease run out: it must register again to get its full state. */
        LEASE_EXPIRED,
        /** An acknowledgement for an update that is not pending, or a poll after an update never sent. */
        UNKNOWN_SEQUENCE,
        /** An acknowledgement that does not fit its update (a vNIC the update did not carry). */
        INVALID_ACKNOWLEDGEMENT
    }

    private final Reason reason;

    public ApplianceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
