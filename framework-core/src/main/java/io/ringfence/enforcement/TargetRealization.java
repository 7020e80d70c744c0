package io.ringfence.enforcement;

import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import java.time.Instant;
import java.util.List;

/**
 * How far one target has realized its desired state, and how its reconciler stands.
 *
 * @param targetId           the target
 * @param kind               hypervisor, virtual appliance or hardware
 * @param description        the target's own line
 * @param hosts              the hosts whose vNICs it enforces
 * @param vnics              vNICs it should enforce
 * @param realized           of those, realized
 * @param pending            pending
 * @param failed             failed
 * @param failing            its last answer was a failure: every vNIC not realized is FAILED
 * @param failedAttempts     updates that failed in a row (0 after a success)
 * @param nextRetryAt        when the reconciler sends the full state again, or null when no retry is due
 *                           (not failing, or waiting for a change after a refusal, see the package description)
 * @param lastError          the last failure, or null; it stays after a later success
 * @param lastAcknowledgedAt when the last successful acknowledgement arrived, or null
 * @param lastFullAt         when the last full update was sent, or null
 * @param sequence           the last update sent (0: none yet)
 * @param inFlight           that update is not answered yet
 */
public record TargetRealization(String targetId, TargetKind kind, String description, List<String> hosts, int vnics,
                                int realized, int pending, int failed, boolean failing, int failedAttempts,
                                Instant nextRetryAt, RealizationError lastError, Instant lastAcknowledgedAt,
                                Instant lastFullAt, long sequence, boolean inFlight) {

    public TargetRealization {
        hosts = List.copyOf(hosts);
    }
}
