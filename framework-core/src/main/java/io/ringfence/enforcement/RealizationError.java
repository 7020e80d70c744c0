package io.ringfence.enforcement;

import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import java.time.Instant;

/**
 * A failure of a target, as admins see it.
 *
 * @param code      the target's stable reason ({@code unreachable}, {@code device-error},
 *                  {@code rejected-by-device}...), or the framework's ({@code timeout},
 *                  {@code exception}, {@code bad-acknowledgement})
 * @param message   for admins, in the target's own words
 * @param retryable whether the same update may succeed when sent again (see the reconciler in the
 *                  package description for how each kind is retried)
 * @param at        when it happened
 */
public record RealizationError(String code, String message, boolean retryable, Instant at) {

    /** A target's error as it happened at {@code at}. */
    public static RealizationError of(TargetError error, Instant at) {
        return new RealizationError(error.code(), error.message(), error.retryable(), at);
    }
}
