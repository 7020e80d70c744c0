package io.ringfence.spi.enforcement;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/** Something that enforces rule sets: registered as an OSGi service by the framework or by a vendor's bundle. */
@ConsumerType
public interface EnforcementTarget {

    /** What this target is and which hosts' vNICs it enforces; must not change for the life of the service. */
    TargetDescriptor descriptor();

    /**
     * Applies an update. The stage completes with an acknowledgement (success or a specific error);
     * completing exceptionally counts as a retryable error. The framework sends the next update only
     * after this one completed or timed out.
     */
    CompletionStage<Acknowledgement> apply(RuleSetUpdate update);

    /**
     * The hit counters of the rules this target enforces, if it can read them back (e.g. from the
     * kernel); empty otherwise. Read by the framework from time to time, off the update path.
     */
    default List<RuleCounter> counters() {
        return List.of();
    }
}
