package io.ringfence.redirection;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The redirection table of the data center: the service chain each new flow of each vNIC goes through. */
@ProviderType
public interface RedirectionService {

    /**
     * The chain for a new flow (meaning: see the package documentation). Cheap enough to call once
     * per new flow on the packet path; the flow should keep the answer rather than ask per packet.
     *
     * @param vnicId    the vNIC the flow crosses
     * @param direction IN (entering the vNIC) or OUT (leaving it)
     * @param packet    the flow's first packet as it crosses the vNIC
     * @return the chain and the rule that chose it; empty when the first matching rule is
     *         DO_NOT_REDIRECT, when no rule matches, and for a vNIC the model does not know
     * @throws IllegalArgumentException for IN_OUT
     */
    Optional<ChainSelection> select(String vnicId, Direction direction, Packet packet);

    /**
     * The model revision the answers of {@link #select} reflect. The table follows the model
     * shortly after each change, never on the caller's thread.
     */
    long revision();
}
