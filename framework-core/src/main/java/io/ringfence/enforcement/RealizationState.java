package io.ringfence.enforcement;

/** Where a vNIC's desired rule set stands on a target. */
public enum RealizationState {
    /** The target acknowledged the desired generation. */
    REALIZED,
    /** The desired generation is newer than the realized one and the target is not failing: on its way. */
    PENDING,
    /**
     * The desired generation is newer than the realized one and the target's last answer was a
     * failure (refused, failed, timed out): the reconciler retries, the target keeps enforcing
     * what it realized before (fail static).
     */
    FAILED
}
