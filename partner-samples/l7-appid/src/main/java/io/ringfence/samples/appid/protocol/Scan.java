package io.ringfence.samples.appid.protocol;

/**
 * What a recognizer concludes from the bytes it has so far.
 *
 * @param outcome        match, need more bytes, or no match
 * @param identification for a match, what was recognized; else null
 */
public record Scan(Outcome outcome, Identification identification) {

    /** The three conclusions a recognizer can reach. */
    public enum Outcome {
        /** The bytes are this protocol, read completely. */
        MATCH,
        /** The bytes so far are a valid beginning of this protocol. */
        NEED_MORE,
        /** The bytes are not this protocol, or are this protocol malformed: more bytes will not change that. */
        NO_MATCH
    }

    public static final Scan NEED_MORE = new Scan(Outcome.NEED_MORE, null);
    public static final Scan NO_MATCH = new Scan(Outcome.NO_MATCH, null);

    static Scan match(App app, String host, String detail) {
        return new Scan(Outcome.MATCH, new Identification(app, host, detail));
    }
}
