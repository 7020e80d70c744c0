package io.ringfence.insertion;

/** What a chain does with a packet when a function cannot decide it (missing, failed, hung). */
public enum FailurePolicy {
    /** Fail-open: the hop is skipped and the packet goes on. */
    ALLOW,
    /** Fail-closed: the packet is dropped. */
    BLOCK
}
