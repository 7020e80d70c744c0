package io.ringfence.manager;

/** The object changed since the revision the client based its change on. */
public class RevisionMismatchException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final long expected;
    private final long actual;

    public RevisionMismatchException(String kind, String id, long expected, long actual) {
        super(kind + " '" + id + "' is at revision " + actual + ", not " + expected
                + "; read it again and reapply your change");
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
