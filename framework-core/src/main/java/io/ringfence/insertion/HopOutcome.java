package io.ringfence.insertion;

/** What became of one packet at one hop. */
public enum HopOutcome {
    /** The function inspected the packet and gave the hop's verdict. */
    INSPECTED,
    /** The function took the flow out of inspection earlier (PASS_AND_BYPASS): not called, the packet passes. */
    BYPASSED,
    /** The call threw: the session is abandoned and the failure policy decided. */
    EXCEPTION,
    /** The call missed its deadline (or could not even start within it): the session is abandoned. */
    DEADLINE,
    /** The call returned null: the session is abandoned. */
    NULL_VERDICT,
    /** No instance of the definition takes flows (none registered, all DOWN or tripped): the failure policy decided. */
    MISSING_INSTANCE,
    /** The hop's session failed on an earlier packet: the failure policy decided, the function was not called. */
    ABANDONED,
    /**
     * The hop's profile could not be validated when the chain was built ({@link ChainHop#unusable}): the
     * failure policy decided, no function is called at the hop.
     *
     * @since 0.2.0
     */
    INVALID_PROFILE;

    /** True when the failure policy, not the function, decided the packet. */
    public boolean underFailurePolicy() {
        return this != INSPECTED && this != BYPASSED;
    }
}
