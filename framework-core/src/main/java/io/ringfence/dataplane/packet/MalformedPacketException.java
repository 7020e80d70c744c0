package io.ringfence.dataplane.packet;

/**
 * Thrown when bytes do not form a packet the data plane accepts: truncated headers, lengths that
 * disagree, bad checksums, unknown ethertypes or versions. The message names the specific reason,
 * so that drop counters and logs can tell malformed traffic apart.
 */
public class MalformedPacketException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String reason) {
        super(reason);
    }
}
