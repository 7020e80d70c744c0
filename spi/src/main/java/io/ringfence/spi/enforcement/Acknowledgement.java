package io.ringfence.spi.enforcement;

import java.util.Map;

/**
 * A target's answer to one update.
 *
 * @param sequence the update answered
 * @param realized on success, the generation now enforced per vNIC of the update (all of them);
 *                 empty on failure
 * @param error    null on success; else why nothing of the update was applied
 */
public record Acknowledgement(long sequence, Map<String, Long> realized, TargetError error) {

    public Acknowledgement {
        realized = Map.copyOf(realized);
        if (error != null && !realized.isEmpty()) {
            throw new IllegalArgumentException("a failed update realizes nothing");
        }
    }

    /** The update was applied. */
    public static Acknowledgement applied(long sequence, Map<String, Long> realized) {
        return new Acknowledgement(sequence, realized, null);
    }

    /** The update was refused or failed; nothing of it applies. */
    public static Acknowledgement failed(long sequence, TargetError error) {
        return new Acknowledgement(sequence, Map.of(), error);
    }

    /** True when the update was applied. */
    public boolean ok() {
        return error == null;
    }

    /**
     * Why an update failed.
     *
     * @param code      a stable, machine-readable reason, e.g. {@code unreachable}, {@code rejected-by-device},
     *                  {@code unsupported-rule}
     * @param message   for admins
     * @param retryable whether sending the same update again may succeed (network error, device busy)
     */
    public record TargetError(String code, String message, boolean retryable) {
    }
}
