package io.ringfence.dataplane.api;

import io.ringfence.model.Action;
import java.time.Instant;

/**
 * Filters of a flow-log read; a null filter matches everything.
 *
 * @param vmId   only records of this VM
 * @param ruleId only records of this rule ({@code "default"} for the default rule)
 * @param action only records with this verdict
 * @param since  only records at or after this time
 * @param staged only staged rules' would-be decisions (true) or only real decisions (false)
 * @param limit  at most this many records (positive)
 */
public record FlowLogQuery(String vmId, String ruleId, Action action, Instant since, Boolean staged, int limit) {

    public FlowLogQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    /** Everything, at most {@code limit} records. */
    public static FlowLogQuery all(int limit) {
        return new FlowLogQuery(null, null, null, null, null, limit);
    }

    /** True when {@code r} passes every filter. */
    public boolean matches(FlowLogRecord r) {
        return (vmId == null || vmId.equals(r.vmId())) && (ruleId == null || ruleId.equals(r.ruleId()))
                && (action == null || action == r.action()) && (since == null || !r.time().isBefore(since))
                && (staged == null || staged == r.staged());
    }
}
