package io.ringfence.insertion;

import io.ringfence.spi.inspection.Verdict;

/** What a chain does with a packet when a function cannot decide it (missing, failed, hung). */
public enum FailurePolicy {
    /** Fail-open: the hop is skipped and the packet goes on. */
    ALLOW,
    /** Fail-closed: the packet is dropped. */
    BLOCK;

    /**
     * The verdict a hop gives in the function's stead: PASS (skipped) or DROP.
     *
     * @since 0.3.0
     */
    public Verdict verdict() {
        return this == ALLOW ? Verdict.PASS : Verdict.DROP;
    }
}
