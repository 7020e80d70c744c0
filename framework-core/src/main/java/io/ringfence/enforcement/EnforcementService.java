package io.ringfence.enforcement;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The enforcement targets the framework feeds, and what each has realized. */
@ProviderType
public interface EnforcementService {

    /** The status of every target, ordered by target id. */
    List<TargetFeedStatus> targets();

    /** The status of one target. */
    Optional<TargetFeedStatus> target(String targetId);

    /**
     * Sends the target its full state as its next update (after the one in flight, if any).
     *
     * @return false for an unknown target
     */
    boolean resync(String targetId);
}
