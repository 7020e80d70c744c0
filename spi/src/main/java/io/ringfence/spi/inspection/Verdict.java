package io.ringfence.spi.inspection;

/** What a function decides for one packet. */
public enum Verdict {
    /** Let the packet go on (to the next function of the chain, then to its destination). */
    PASS,
    /** Discard the packet silently; the flow stays under inspection. */
    DROP,
    /** Discard the packet and answer its sender (TCP reset or ICMP unreachable); the flow ends. */
    REJECT,
    /** Let this packet and every later packet of the flow go on without sending them to this function again. */
    PASS_AND_BYPASS
}
