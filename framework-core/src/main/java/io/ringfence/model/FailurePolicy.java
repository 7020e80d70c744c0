package io.ringfence.model;

/**
 * What a service chain does with traffic when one of its functions cannot give a verdict: it is
 * missing (no healthy instance), throws, or misses the chain's deadline.
 */
public enum FailurePolicy {
    /** Fail-open: the traffic goes on without that function's verdict. */
    ALLOW,
    /** Fail-closed: the traffic is dropped. */
    BLOCK
}
