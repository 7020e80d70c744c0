package io.ringfence.enforcement;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Realization status: per target and vNIC, desired generation against realized generation, and
 * the same seen from a policy, a rule or a VM. Every answer is read now, from the feeds' state; an
 * id the compiled state does not know gives an empty answer, not an error (the caller knows
 * whether the object exists).
 *
 * @since 0.2.0
 */
@ProviderType
public interface RealizationService {

    /** Every target's summary, with totals. */
    RealizationOverview overview();

    /** One target's summary. */
    Optional<TargetRealization> realization(String targetId);

    /** The vNICs of one target, ordered by vNIC id; empty for an unknown target. */
    Optional<List<VnicRealization>> vnics(String targetId);

    /** Over the vNICs the policy's enabled rules land on. */
    Realization ofPolicy(String policyId);

    /** Over the vNICs the rule lands on (none when it is disabled). */
    Realization ofRule(String ruleId);

    /** Over the VM's vNICs. */
    Realization ofVm(String vmId);

    /**
     * Sends the target its full state as its next update (after the one in flight, if any), at
     * once, even while the reconciler waits to retry.
     *
     * @return false for an unknown target
     */
    boolean resync(String targetId);
}
