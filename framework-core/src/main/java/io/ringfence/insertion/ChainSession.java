package io.ringfence.insertion;

import io.ringfence.spi.inspection.InspectedPacket;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One flow steered through one chain. Thread-safe: packets of the flow may come from several
 * threads (they are decided one at a time, in the order they take the session's lock).
 */
@ProviderType
public interface ChainSession {

    /**
     * Decides one packet of the flow: the forward hops for {@link io.ringfence.spi.inspection.PacketSide#ORIGINAL}
     * packets, the reverse hops for replies. Returns within about the chain's deadline per hop the packet
     * reaches (plus the time spent waiting for another packet of the same flow being decided).
     *
     * <p>Functions get a read-only view of the payload. A call abandoned at its deadline may read it after
     * this method returned, so the payload must not be overwritten afterwards (hand over a buffer of its own).
     *
     * @return the verdict; never null, and this method never throws (a failure inside the runtime applies
     *         the chain's failure policy to the packet)
     */
    ChainVerdict process(InspectedPacket packet);

    /** The flow ended: closes the hops' sessions. Later packets get the failure policy. Idempotent. */
    void close();
}
