package io.ringfence.store;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Durable storage of the model: documents (one per object, as JSON), the global revision and
 * the audit log.
 *
 * <p>Implementations must make {@link #commit} atomic and durable before it returns, and must
 * refuse a commit whose {@link ModelChange#previousRevision()} is not the stored revision
 * (another writer got there first), so that two managers sharing one database cannot interleave.
 */
@ConsumerType
public interface ModelStore {

    /** Everything committed so far; revision 0 and no documents for a new store. */
    StoredModel load();

    /**
     * Applies one change in a single transaction: upserts, deletes, the audit records and the new
     * revision, all or nothing.
     *
     * @throws StoreConflictException if the stored revision is not {@code change.previousRevision()}
     * @throws StoreException         if the change could not be made durable (nothing was applied)
     */
    void commit(ModelChange change);

    /** A page of the audit log, newest first (by revision, then the reverse of a change's record order). */
    AuditPage audit(AuditQuery query);
}
