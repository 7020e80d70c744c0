package io.ringfence.samples.ids.signature;

/** A rule that does not parse, or breaks a rule of the format; the message names where. */
public final class SignatureSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    SignatureSyntaxException(String origin, int line, int column, String detail) {
        super(origin + " line " + line + " column " + column + ": " + detail);
        this.line = line;
        this.column = column;
    }

    /** The line, from 1. */
    public int line() {
        return line;
    }

    /** The column, from 1. */
    public int column() {
        return column;
    }
}
