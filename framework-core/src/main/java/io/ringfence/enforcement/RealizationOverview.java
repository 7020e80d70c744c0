package io.ringfence.enforcement;

import java.util.List;

/**
 * Realization over all targets.
 *
 * @param targets        each target, ordered by id
 * @param vnics          (target, vNIC) pairs over all targets: a vNIC two targets enforce counts twice
 * @param realized       of those, realized
 * @param pending        pending
 * @param failed         failed
 * @param failingTargets targets whose last answer was a failure
 */
public record RealizationOverview(List<TargetRealization> targets, int vnics, int realized, int pending, int failed,
                                  int failingTargets) {

    public RealizationOverview {
        targets = List.copyOf(targets);
    }

    /** The totals of {@code targets}. */
    public static RealizationOverview of(List<TargetRealization> targets) {
        int vnics = 0;
        int realized = 0;
        int pending = 0;
        int failed = 0;
        int failing = 0;
        for (TargetRealization t : targets) {
            vnics += t.vnics();
            realized += t.realized();
            pending += t.pending();
            failed += t.failed();
            failing += t.failing() ? 1 : 0;
        }
        return new RealizationOverview(targets, vnics, realized, pending, failed, failing);
    }
}
