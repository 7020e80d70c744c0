package io.ringfence.compiler;

/**
 * A preview was asked for a proposed model derived from a committed revision other than the one
 * compiled now: comparing them would show the changes committed in between as part of the
 * proposal. Derive the proposal again from the current model.
 */
public class StalePreviewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StalePreviewException(long proposedFrom, long compiled) {
        super("the proposal was made against revision " + proposedFrom + " but revision " + compiled
                + " is compiled now");
    }
}
