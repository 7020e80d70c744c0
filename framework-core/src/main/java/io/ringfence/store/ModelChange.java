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
        java.util.Set<DocumentKey> keys = new java.util.HashSet<>();
        for (Document d : upserts) {
            if (d.revision() != revision) {
                throw new IllegalArgumentException("upsert of " + d.key() + " carries revision " + d.revision()
                        + ", not the change's " + revision);
            }
            if (!keys.add(d.key())) {
                throw new IllegalArgumentException(d.key() + " is listed twice in one change");
            }
        }
        for (DocumentKey k : deletes) {
            if (!keys.add(k)) {
                throw new IllegalArgumentException(k + " is listed twice in one change");
            }
        }
        for (AuditRecord a : audit) {
            if (a.revision() != revision) {
                throw new IllegalArgumentException("audit record carries revision " + a.revision()
                        + ", not the change's " + revision);
            }
        }
    }
}
