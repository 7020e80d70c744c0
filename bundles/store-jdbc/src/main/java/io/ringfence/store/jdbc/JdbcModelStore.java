package io.ringfence.store.jdbc;

import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.AuditRecord;
import io.ringfence.store.Document;
import io.ringfence.store.DocumentKey;
import io.ringfence.store.ModelChange;
import io.ringfence.store.ModelStore;
import io.ringfence.store.StoreConflictException;
import io.ringfence.store.StoredModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The model in a relational database (H2 or PostgreSQL, schema by {@link SchemaMigrator}), through
 * portable SQL only: documents, a one-row global revision and the audit log.
 *
 * <p>Writers serialize on the revision row ({@code SELECT ... FOR UPDATE}), which is also how a
 * stale {@link ModelChange#previousRevision()} is detected, across processes sharing one database.
 * Because of that lock an upsert can be a plain delete + insert: nobody else can insert the same
 * key in between, and no dialect-specific MERGE / ON CONFLICT is needed.
 *
 * <p>Durability on return is the database's: PostgreSQL's defaults give it; H2 needs
 * {@code WRITE_DELAY=0} in the URL (otherwise it writes commits to its file up to 500 ms later).
 * Audit times are kept to the microsecond, the precision PostgreSQL stores.
 */
public final class JdbcModelStore implements ModelStore {

    private static final String LOCK_REVISION = "SELECT revision FROM model_revision WHERE id = 1 FOR UPDATE";
    private static final int LOCK_TIMEOUT_SECONDS = 30;
    private static final String AUDIT_COLUMNS =
            "revision, changed_at, principal, operation, kind, object_id, before_json, after_json";

    private final DataSource dataSource;

    /** A store on a database already migrated by {@link SchemaMigrator}. */
    public JdbcModelStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Takes the writers' lock while reading, so the revision and the documents belong together
     * on both databases (H2's REPEATABLE READ would not keep out rows committed meanwhile).
     */
    @Override
    public StoredModel load() {
        return Transactions.run(dataSource, Connection.TRANSACTION_READ_COMMITTED, "load the model", c -> {
            long revision = lockRevision(c);
            List<Document> documents = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, id, revision, json FROM documents ORDER BY kind, id")) {
                ps.setFetchSize(256); // PostgreSQL would otherwise buffer the whole result twice
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        documents.add(new Document(new DocumentKey(rs.getString(1), rs.getString(2)), rs.getLong(3),
                                rs.getString(4)));
                    }
                }
            }
            return new StoredModel(revision, documents);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>READ COMMITTED is enough: the row lock serializes writers, and after waiting for it
     * PostgreSQL and H2 both read the revision the previous writer committed. Should the
     * connection fail during the final COMMIT itself, the outcome is unknown to any client; the
     * caller gets a StoreException and should reload before trying again.
     *
     * <p>A change cannot contradict itself (a document listed twice, a revision other than the
     * change's): {@link ModelChange} refuses those when it is made.
     */
    @Override
    public void commit(ModelChange change) {
        Transactions.run(dataSource, Connection.TRANSACTION_READ_COMMITTED, "commit revision " + change.revision(), c -> {
            long stored = lockRevision(c);
            if (stored != change.previousRevision()) {
                throw new StoreConflictException(change.previousRevision(), stored);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE kind = ? AND id = ?")) {
                for (DocumentKey key : change.deletes()) {
                    addKey(ps, key);
                }
                for (Document d : change.upserts()) {
                    addKey(ps, d.key());
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO documents (kind, id, revision, json) VALUES (?, ?, ?, ?)")) {
                for (Document d : change.upserts()) {
                    ps.setString(1, d.key().kind());
                    ps.setString(2, d.key().id());
                    ps.setLong(3, d.revision());
                    ps.setString(4, d.json());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_log (seq, " + AUDIT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int seq = 0;
                for (AuditRecord r : change.audit()) {
                    ps.setInt(1, seq++);
                    ps.setLong(2, r.revision());
                    ps.setObject(3, r.time() == null ? null : r.time().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
                    ps.setString(4, r.principal());
                    ps.setString(5, r.operation() == null ? null : r.operation().name());
                    ps.setString(6, r.kind());
                    ps.setString(7, r.objectId());
                    ps.setString(8, r.before());
                    ps.setString(9, r.after());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE model_revision SET revision = ? WHERE id = 1")) {
                ps.setLong(1, change.revision());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The count and the page both stop at the revision read first, so they agree even when a
     * commit lands in between, without a snapshot (which H2 does not give across statements) and
     * without holding up writers.
     */
    @Override
    public AuditPage audit(AuditQuery query) {
        return Transactions.run(dataSource, Connection.TRANSACTION_READ_COMMITTED, "read the audit log", c -> {
            List<Object> args = new ArrayList<>();
            StringBuilder where = new StringBuilder(" WHERE revision <= ?");
            try (PreparedStatement ps = c.prepareStatement("SELECT revision FROM model_revision WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                args.add(rs.next() ? rs.getLong(1) : 0L);
            }
            filter(where, args, "kind", query.kind());
            filter(where, args, "object_id", query.objectId());
            filter(where, args, "principal", query.principal());

            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_log" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditRecord> records = new ArrayList<>();
            if (query.limit() > 0 && query.offset() < total) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + AUDIT_COLUMNS + " FROM audit_log" + where
                        + " ORDER BY revision DESC, seq DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                    bind(ps, args);
                    ps.setInt(args.size() + 1, query.offset());
                    ps.setInt(args.size() + 2, query.limit());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            records.add(auditRecord(rs));
                        }
                    }
                }
            }
            return new AuditPage(total, records);
        });
    }

    /** Takes the writers' lock; waits at most {@value #LOCK_TIMEOUT_SECONDS} s behind another writer. */
    private static long lockRevision(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_REVISION)) {
            ps.setQueryTimeout(LOCK_TIMEOUT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("model_revision has no row: the schema was not migrated");
                }
                return rs.getLong(1);
            }
        }
    }

    private static void addKey(PreparedStatement ps, DocumentKey key) throws SQLException {
        ps.setString(1, key.kind());
        ps.setString(2, key.id());
        ps.addBatch();
    }

    private static void filter(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    private static AuditRecord auditRecord(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                AuditRecord.Operation.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8));
    }
}
