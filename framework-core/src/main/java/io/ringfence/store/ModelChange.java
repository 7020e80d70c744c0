package io.ringfence.store;

import java.util.List;

/**
 * One transaction's worth of change.
 *
 * @param previousRevision the revision this change was computed against
 * @param revision         the revision it commits ({@code previousRevision + 1})
 * @param upserts          documents written (created or replaced), each carrying {@code revision}
 * @param deletes          documents removed
 * @param audit            the audit records of the change
 */
public record ModelChange(long previousRevision, long revision, List<Document> upserts, List<DocumentKey> deletes,
                          List<AuditRecord> audit) {
    public ModelChange {
        if (revision != previousRevision + 1) {
            throw new IllegalArgumentException("revision must be previousRevision + 1");
        }
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
        audit = List.copyOf(audit);
    }
}
