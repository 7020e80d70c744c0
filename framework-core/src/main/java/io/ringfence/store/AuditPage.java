package io.ringfence.store;

import java.util.List;

/**
 * A page of audit records.
 *
 * @param total   how many records match the query in all
 * @param records the records of this page, newest first
 */
public record AuditPage(long total, List<AuditRecord> records) {
    public AuditPage {
        records = List.copyOf(records);
    }
}
