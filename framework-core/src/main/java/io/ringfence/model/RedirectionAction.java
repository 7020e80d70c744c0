package io.ringfence.model;

/** What a redirection rule does with a matching flow (one the firewall allowed). */
public enum RedirectionAction {
    /** Steer the flow through the rule's service chain. */
    REDIRECT,
    /** Leave the flow uninspected, whatever later rules say. */
    DO_NOT_REDIRECT
}
