package io.ringfence.enforcement;

import java.util.List;

/**
 * Where the current desired state of a policy, a rule or a VM is realized: over the vNICs it
 * lands on, each over all the targets that enforce it. A vNIC is realized when every target that
 * enforces it realized its current rule set, failed when one of them failed, pending otherwise.
 *
 * @param vnics       vNICs it lands on
 * @param realized    of those, realized on every target that enforces them
 * @param pending     pending on a target, failed on none
 * @param failed      failed on a target
 * @param unenforced  enforced by no target (no target covers their host): nothing to realize
 * @param notRealized each (target, vNIC) pair pending or failed: failed first, then the oldest first
 * @param summary     one line for admins, e.g. {@code realized on 38 of 40 vNICs; 2 pending on host h7
 *                    since 12:01:03 UTC}
 */
public record Realization(int vnics, int realized, int pending, int failed, int unenforced,
                          List<VnicRealization> notRealized, String summary) {

    public Realization {
        notRealized = List.copyOf(notRealized);
    }
}
