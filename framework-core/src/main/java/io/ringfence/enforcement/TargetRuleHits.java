package io.ringfence.enforcement;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * The hits of one rule as one enforcement target counted them, summed over its vNICs.
 *
 * @param targetId the target
 * @param packets  packets the rule matched on the target
 * @param bytes    their bytes
 * @param readAt   when the target's counters were read
 * @since 0.2.0
 */
@Schema(description = "The hits of a rule as one enforcement target counted them (e.g. the kernel's nftables "
        + "counters), summed over the target's vNICs, as of when they were read")
public record TargetRuleHits(String targetId, long packets, long bytes, Instant readAt) {
}
