package io.ringfence.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ModelStore} in memory, for tests of the manager and of the modules built on it.
 *
 * <p>It keeps the contract of a real store: a commit is all or nothing, it is refused with
 * {@link StoreConflictException} unless its {@code previousRevision} is the stored revision, and
 * the audit log reads newest first with its filters and totals. It is also strict about what a
 * well-behaved manager sends: every upserted document and audit record must carry the commit's
 * revision. All methods are thread-safe.
 *
 * <p>{@link #failNextCommit()} makes the next commit throw a {@link StoreException} with nothing
 * applied, to check what a caller does when its change cannot be made durable;
 * {@link #failNextCommitAfterApplying()} applies it and then throws, as a connection lost while
 * committing can (the caller cannot tell whether its change was applied).
 */
public final class InMemoryModelStore implements ModelStore {

    private static final Comparator<DocumentKey> KEY_ORDER =
            Comparator.comparing(DocumentKey::kind).thenComparing(DocumentKey::id);

    private final TreeMap<DocumentKey, Document> documents = new TreeMap<>(KEY_ORDER);
    /** Oldest first. */
    private final List<AuditRecord> auditLog = new ArrayList<>();
    private final List<ModelChange> commits = new ArrayList<>();
    private long revision;
    private StoreException nextFailure;
    private boolean failAfterApplying;

    @Override
    public synchronized StoredModel load() {
        return new StoredModel(revision, new ArrayList<>(documents.values()));
    }

    @Override
    public synchronized void commit(ModelChange change) {
        Objects.requireNonNull(change, "change");
        StoreException failure = nextFailure;
        boolean afterApplying = failAfterApplying;
        nextFailure = null;
        failAfterApplying = false;
        if (failure != null && !afterApplying) {
            throw failure;
        }
        if (change.previousRevision() != revision) {
            throw new StoreConflictException(change.previousRevision(), revision);
        }
        for (Document d : change.upserts()) {
            if (d.revision() != change.revision()) {
                throw new IllegalArgumentException("document " + d.key() + " carries revision " + d.revision()
                        + " in a commit of revision " + change.revision());
            }
        }
        for (AuditRecord a : change.audit()) {
            if (a.revision() != change.revision()) {
                throw new IllegalArgumentException("audit record of " + a.kind() + " '" + a.objectId()
                        + "' carries revision " + a.revision() + " in a commit of revision " + change.revision());
            }
        }
        // all checks passed: apply everything
        for (DocumentKey k : change.deletes()) {
            documents.remove(k);
        }
        for (Document d : change.upserts()) {
            documents.put(d.key(), d);
        }
        auditLog.addAll(change.audit());
        commits.add(change);
        revision = change.revision();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized AuditPage audit(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<AuditRecord> matching = new ArrayList<>();
        for (int i = auditLog.size() - 1; i >= 0; i--) {
            AuditRecord r = auditLog.get(i);
            if ((query.kind() == null || query.kind().equals(r.kind()))
                    && (query.objectId() == null || query.objectId().equals(r.objectId()))
                    && (query.principal() == null || query.principal().equals(r.principal()))) {
                matching.add(r);
            }
        }
        int from = Math.min(query.offset(), matching.size());
        int to = (int) Math.min((long) from + query.limit(), matching.size());
        return new AuditPage(matching.size(), matching.subList(from, to));
    }

    // ---- for tests

    /** Makes the next {@link #commit} throw a {@link StoreException} and apply nothing. */
    public void failNextCommit() {
        failNextCommit(new StoreException("simulated store failure"));
    }

    /** Makes the next {@link #commit} throw {@code failure} and apply nothing. */
    public synchronized void failNextCommit(StoreException failure) {
        this.nextFailure = Objects.requireNonNull(failure, "failure");
        this.failAfterApplying = false;
    }

    /**
     * Makes the next {@link #commit} apply the change and then throw a {@link StoreException}: the
     * outcome a client sees when the connection drops during COMMIT. A refused commit (conflict)
     * still applies nothing and throws its {@link StoreConflictException}.
     */
    public synchronized void failNextCommitAfterApplying() {
        this.nextFailure = new StoreException("simulated failure after the change was applied");
        this.failAfterApplying = true;
    }

    /** The stored revision. */
    public synchronized long revision() {
        return revision;
    }

    /** The stored document with this key, if any. */
    public synchronized Optional<Document> document(String kind, String id) {
        return Optional.ofNullable(documents.get(new DocumentKey(kind, id)));
    }

    /** Every successful commit, oldest first. */
    public synchronized List<ModelChange> commits() {
        return List.copyOf(commits);
    }

    /** The whole audit log, newest first. */
    public synchronized List<AuditRecord> auditLog() {
        List<AuditRecord> out = new ArrayList<>(auditLog);
        java.util.Collections.reverse(out);
        return List.copyOf(out);
    }
}
