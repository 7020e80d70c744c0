package io.ringfence.enforcement;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import java.time.Instant;
import java.util.Map;

/**
 * What the framework sent one enforcement target and what it heard back.
 *
 * @param targetId        the target
 * @param sequence        the last update sent (0: none yet)
 * @param inFlight        that update is not answered yet
 * @param desired         the generation each vNIC of the target's hosts should have
 * @param realized        the generation each vNIC has on the target, as its acknowledgements say
 * @param acknowledgement the last successful acknowledgement, or null
 * @param acknowledgedAt  when it arrived, or null
 * @param error           the last failure (refused, failed, timed out), or null; it stays after a
 *                        later success so that admins can see it, {@code failedAt} tells which is newer
 * @param failedAt        when it happened, or null
 */
public record TargetFeedStatus(String targetId, long sequence, boolean inFlight, Map<String, Long> desired,
                               Map<String, Long> realized, Acknowledgement acknowledgement, Instant acknowledgedAt,
                               TargetError error, Instant failedAt) {

    public TargetFeedStatus {
        desired = Map.copyOf(desired);
        realized = Map.copyOf(realized);
    }

    /** True when every vNIC has the generation it should, and nothing is pending. */
    public boolean inSync() {
        return !inFlight && desired.equals(realized);
    }
}
