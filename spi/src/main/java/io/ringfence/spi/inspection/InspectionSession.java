package io.ringfence.spi.inspection;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** The inspection of one flow by one function. Never called concurrently with itself. */
@ConsumerType
public interface InspectionSession {

    /**
     * Inspects one packet of the flow (the packets of both sides, in the order the data plane sees them).
     *
     * @return the verdict for this packet; {@link Verdict#PASS_AND_BYPASS} also ends the session:
     *         the framework calls {@link #close()} and sends no more packets of this flow
     */
    Verdict inspect(InspectedPacket packet);

    /**
     * Exports the session's state so that a newer instance can take the flow over
     * (see {@link InspectionService#resume}). Called only when the descriptor says
     * {@link InspectionDescriptor#exportsState()}, after the last {@link #inspect} call this session gets.
     *
     * @return the state, or empty if there is nothing worth carrying over
     */
    default Optional<SessionState> exportState() {
        return Optional.empty();
    }

    /** The flow ended, was bypassed or moved: release what the session holds. Called once. */
    default void close() {
    }
}
