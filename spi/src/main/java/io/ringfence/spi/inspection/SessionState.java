package io.ringfence.spi.inspection;

/**
 * The state of a session in progress, as one instance exports it and a newer instance of the same
 * definition imports it. The format is the partner's own; the framework only carries the bytes.
 *
 * @param format   names the format and its version, e.g. {@code ids-stream/1}, so that an importer can
 *                 refuse what it does not understand
 * @param data     the state; copied
 */
public record SessionState(String format, byte[] data) {

    /** Largest state the framework carries for one session (bytes). */
    public static final int MAX_SIZE = 64 * 1024;

    /** @throws IllegalArgumentException if format is blank or data larger than {@link #MAX_SIZE} */
    public SessionState {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("session state needs a format");
        }
        if (data == null || data.length > MAX_SIZE) {
            throw new IllegalArgumentException("session state must be at most " + MAX_SIZE + " bytes");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
