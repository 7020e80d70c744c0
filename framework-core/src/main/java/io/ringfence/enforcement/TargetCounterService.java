package io.ringfence.enforcement;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The rule hit counters that enforcement targets count themselves (a kernel's nftables counters, a
 * device's ACL counters), read back from every target from time to time, off the update path, and
 * kept as each target last answered. They add to the counters of the in-JVM data plane in the rule
 * statistics; a target whose hits the data plane counts already must not report them again.
 *
 * @since 0.2.0
 */
@ProviderType
public interface TargetCounterService {

    /** No targets: for an API served without enforcement targets. */
    TargetCounterService NONE = new TargetCounterService() {
        @Override
        public List<TargetCounters> readings() {
            return List.of();
        }

        @Override
        public List<TargetRuleHits> ruleHits(String ruleId) {
            return List.of();
        }

        @Override
        public Map<String, List<TargetRuleHits>> ruleHits() {
            return Map.of();
        }
    };

    /** The latest reading of every registered target (one that was not read yet has none), by target id. */
    List<TargetCounters> readings();

    /**
     * The hits of one rule ({@code default} for the default rule) on each target that counted it, summed
     * over the target's vNICs, by target id; empty when no target counts it.
     */
    List<TargetRuleHits> ruleHits(String ruleId);

    /** {@link #ruleHits(String)} of every rule some target counts, by rule id. */
    Map<String, List<TargetRuleHits>> ruleHits();
}
