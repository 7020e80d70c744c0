package io.ringfence.samples.ids.signature;

/**
 * The service ports a signature applies to: the responder's (destination) port of the flow.
 *
 * @param from lowest port, inclusive
 * @param to   highest port, inclusive
 */
public record PortRange(int from, int to) {

    /** Every port, and flows of protocols without ports (port 0). */
    public static final PortRange ANY = new PortRange(0, 65535);

    public PortRange {
        if (from < 0 || to > 65535 || from > to) {
            throw new IllegalArgumentException("not a port range: " + from + ":" + to);
        }
    }

    /** True when {@code port} is in the range. */
    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @Override
    public String toString() {
        return equals(ANY) ? "any" : from == to ? Integer.toString(from) : from + ":" + to;
    }
}
