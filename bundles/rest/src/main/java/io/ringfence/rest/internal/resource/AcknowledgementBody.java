package io.ringfence.rest.internal.resource;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import java.util.Objects;

/**
 * An appliance's answer to an update, as it posts it: what it realized, or why it failed.
 *
 * @param sequence the update answered
 * @param realized on success, the generation now enforced per vNIC the update carried
 * @param error    on failure, why nothing of the update was applied
 */
@Schema(description = "An appliance's acknowledgement of an update: realized generations, or an error")
public record AcknowledgementBody(
        @Schema(description = "the sequence of the update answered", requiredMode = Schema.RequiredMode.REQUIRED)
        Long sequence,
        @Schema(description = "vNIC id -> generation now enforced (success)") Map<String, Long> realized,
        @Schema(description = "why the update failed; code, message, retryable") TargetError error) {

    /** @throws IllegalArgumentException if the sequence is missing or an error comes with realized generations */
    public AcknowledgementBody {
        if (sequence == null || sequence < 1) {
            throw new IllegalArgumentException("sequence must be the positive sequence of the update answered");
        }
        realized = realized == null ? Map.of() : realized;
        if (realized.values().stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("realized generations must be numbers");
        }
        if (error != null && !realized.isEmpty()) {
            throw new IllegalArgumentException("a failed update realizes nothing: send either realized or error");
        }
        if (error != null && (error.code() == null || error.code().isBlank())) {
            throw new IllegalArgumentException("an error needs a code");
        }
    }

    Acknowledgement acknowledgement() {
        return new Acknowledgement(sequence, realized, error);
    }
}
