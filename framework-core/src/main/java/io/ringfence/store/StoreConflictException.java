package io.ringfence.store;

/** A commit was computed against a revision that is no longer the stored one. Nothing was applied. */
public class StoreConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreConflictException(long expected, long actual) {
        super("store is at revision " + actual + ", change was computed against " + expected);
    }
}
