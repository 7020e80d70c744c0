package io.ringfence.samples.ids.signature;

/** What a signature asks for when it matches. */
public enum Action {
    /** Report the flow, let it go on. */
    ALERT,
    /** Report the flow and, when the profile is in {@code prevent} mode, block it. */
    DROP
}
