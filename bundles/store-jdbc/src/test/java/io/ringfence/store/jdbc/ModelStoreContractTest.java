package io.ringfence.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.store.AuditPage;
import io.ringfence.store.AuditQuery;
import io.ringfence.store.AuditRecord;
import io.ringfence.store.AuditRecord.Operation;
import io.ringfence.store.Document;
import io.ringfence.store.DocumentKey;
import io.ringfence.store.ModelChange;
import io.ringfence.store.StoreConflictException;
import io.ringfence.store.StoreException;
import io.ringfence.store.StoredModel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ModelStore contract, run against each database by a subclass. Every test starts on a new,
 * migrated, empty database.
 */
abstract class ModelStoreContractTest {

    /** Has nanoseconds, which the store keeps to the microsecond. */
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");
    static final Instant T0_STORED = Instant.parse("2026-01-02T03:04:05.123456Z");

    /** A new DataSource on this test's database, as a restarted process would create it. */
    protected abstract DataSource newDataSource();

    protected DataSource dataSource;
    protected JdbcModelStore store;
    private ExecutorService executor;

    @BeforeEach
    void openMigratedStore() {
        dataSource = newDataSource();
        assertThat(new SchemaMigrator(dataSource).migrate()).containsExactly(1);
        store = new JdbcModelStore(dataSource);
    }

    @AfterEach
    void stopExecutor() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void newStoreIsEmptyAtRevisionZero() {
        assertThat(store.load()).isEqualTo(new StoredModel(0, List.of()));
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null))).isEqualTo(new AuditPage(0, List.of()));
    }

    @Test
    void commitsSurviveARestart() {
        store.commit(change(0, List.of(doc("host", "h1", 1, "{\"name\":\"h1\"}"), doc("vm", "v1", 1, "{\"name\":\"v1\"}")),
                List.of(), List.of(create(1, "alice", "host", "h1"), create(1, "alice", "vm", "v1"))));
        store.commit(change(1, List.of(doc("host", "h1", 2, "{\"name\":\"h1b\"}")), List.of(key("vm", "v1")),
                List.of(audit(2, "bob", Operation.UPDATE, "host", "h1", "{\"name\":\"h1\"}", "{\"name\":\"h1b\"}"),
                        audit(2, "bob", Operation.DELETE, "vm", "v1", "{\"name\":\"v1\"}", null))));

        DataSource restarted = newDataSource();
        assertThat(new SchemaMigrator(restarted).migrate()).isEmpty();
        JdbcModelStore reopened = new JdbcModelStore(restarted);

        assertThat(reopened.load()).isEqualTo(new StoredModel(2, List.of(doc("host", "h1", 2, "{\"name\":\"h1b\"}"))));
        assertThat(reopened.audit(new AuditQuery(0, 10, null, null, null)).records())
                .extracting(AuditRecord::revision, AuditRecord::operation, AuditRecord::objectId)
                .containsExactly(
                        tuple(2L, Operation.DELETE, "v1"),
                        tuple(2L, Operation.UPDATE, "h1"),
                        tuple(1L, Operation.CREATE, "v1"),
                        tuple(1L, Operation.CREATE, "h1"));
    }

    @Test
    void auditRecordsRoundTripWithMicrosecondTimes() {
        AuditRecord update = audit(1, "carol", Operation.UPDATE, "policy", "p1", "{\"a\":1}", "{\"a\":2}");
        store.commit(change(0, List.of(doc("policy", "p1", 1, "{\"a\":2}")), List.of(), List.of(update)));

        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).records()).containsExactly(
                new AuditRecord(1, T0_STORED, "carol", Operation.UPDATE, "policy", "p1", "{\"a\":1}", "{\"a\":2}"));
    }

    @Test
    void migrationIsIdempotentAndKeepsData() throws SQLException {
        store.commit(change(0, List.of(doc("host", "h1", 1, "{}")), List.of(), List.of(create(1, "alice", "host", "h1"))));

        assertThat(new SchemaMigrator(dataSource).migrate()).isEmpty();
        assertThat(new SchemaMigrator(newDataSource()).migrate()).isEmpty();

        assertThat(store.load().revision()).isEqualTo(1);
        assertThat(queryLongs("SELECT version FROM schema_version")).containsExactly(1L);
        assertThat(queryLongs("SELECT revision FROM model_revision")).containsExactly(1L);
    }

    @Test
    void schemaNewerThanThisCodeIsRefused() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', CURRENT_TIMESTAMP)");
        }

        assertThatThrownBy(() -> new SchemaMigrator(newDataSource()).migrate())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema is at version 99");
    }

    @Test
    void staleRevisionIsRefusedAndNothingApplied() {
        store.commit(change(0, List.of(doc("host", "h1", 1, "{}")), List.of(), List.of(create(1, "alice", "host", "h1"))));
        StoredModel before = store.load();

        assertThatThrownBy(() -> store.commit(change(0, List.of(doc("host", "h2", 1, "{}")), List.of(key("host", "h1")),
                List.of(create(1, "mallory", "host", "h2")))))
                .isInstanceOf(StoreConflictException.class)
                .hasMessage("store is at revision 1, change was computed against 0");
        assertThatThrownBy(() -> store.commit(change(5, List.of(), List.of(), List.of())))
                .isInstanceOf(StoreConflictException.class);

        assertThat(store.load()).isEqualTo(before);
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).total()).isEqualTo(1);
    }

    @Test
    void failingDocumentRollsBackTheWholeCommit() {
        store.commit(change(0, List.of(doc("host", "h1", 1, "{}"), doc("host", "h2", 1, "{}")), List.of(),
                List.of(create(1, "alice", "host", "h1"), create(1, "alice", "host", "h2"))));
        StoredModel before = store.load();

        // the replacement of h1 and the delete of h2 run before the insert that fails (json is NOT NULL)
        ModelChange broken = change(1, List.of(doc("host", "h1", 2, "{\"changed\":true}"), doc("host", "h3", 2, null)),
                List.of(key("host", "h2")), List.of(create(2, "alice", "host", "h3")));
        assertThatThrownBy(() -> store.commit(broken))
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreConflictException.class)
                .hasMessageStartingWith("could not commit revision 2: ")
                .hasCauseInstanceOf(SQLException.class);

        assertThat(store.load()).isEqualTo(before);
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).total()).isEqualTo(2);
        // and the store is usable afterwards, at the same revision
        store.commit(change(1, List.of(), List.of(key("host", "h2")), List.of(delete(2, "alice", "host", "h2"))));
        assertThat(store.load().revision()).isEqualTo(2);
    }

    @Test
    void failingAuditRecordRollsBackDocumentsToo() {
        // documents are written first; the audit insert fails last (principal is NOT NULL)
        ModelChange broken = change(0, List.of(doc("host", "h1", 1, "{}")), List.of(),
                List.of(new AuditRecord(1, T0, null, Operation.CREATE, "host", "h1", null, "{}")));

        assertThatThrownBy(() -> store.commit(broken)).isInstanceOf(StoreException.class).hasCauseInstanceOf(SQLException.class);

        assertThat(store.load()).isEqualTo(new StoredModel(0, List.of()));
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).total()).isZero();
    }

    @Test
    void contradictoryChangeIsRefusedBeforeTouchingTheDatabase() {
        assertThatThrownBy(() -> store.commit(change(0, List.of(doc("host", "h1", 1, "{}")), List.of(key("host", "h1")),
                List.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> store.commit(change(0, List.of(doc("host", "h1", 7, "{}")), List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revision 7");
        assertThatThrownBy(() -> store.commit(change(0, List.of(), List.of(), List.of(create(3, "alice", "host", "h1")))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.load().revision()).isZero();
    }

    @Test
    void auditIsPagedNewestFirstWithFiltersAndTotals() {
        // revision r creates host h<r> (alice when odd, bob when even) and, from r = 2, updates vm v1
        for (int r = 1; r <= 6; r++) {
            List<AuditRecord> records = new ArrayList<>();
            records.add(create(r, r % 2 == 1 ? "alice" : "bob", "host", "h" + r));
            if (r > 1) {
                records.add(audit(r, "bob", Operation.UPDATE, "vm", "v1", "{}", "{}"));
            }
            store.commit(change(r - 1, List.of(doc("host", "h" + r, r, "{}")), List.of(), records));
        }

        AuditPage all = store.audit(new AuditQuery(0, 100, null, null, null));
        assertThat(all.total()).isEqualTo(11);
        assertThat(all.records()).extracting(r -> r.revision() + ":" + r.objectId()).containsExactly(
                "6:v1", "6:h6", "5:v1", "5:h5", "4:v1", "4:h4", "3:v1", "3:h3", "2:v1", "2:h2", "1:h1");

        AuditPage second = store.audit(new AuditQuery(3, 3, null, null, null));
        assertThat(second.total()).isEqualTo(11);
        assertThat(second.records()).extracting(r -> r.revision() + ":" + r.objectId()).containsExactly("5:h5", "4:v1", "4:h4");

        AuditPage hosts = store.audit(new AuditQuery(0, 2, "host", null, null));
        assertThat(hosts.total()).isEqualTo(6);
        assertThat(hosts.records()).extracting(AuditRecord::objectId).containsExactly("h6", "h5");

        AuditPage vm = store.audit(new AuditQuery(1, 10, null, "v1", null));
        assertThat(vm.total()).isEqualTo(5);
        assertThat(vm.records()).extracting(AuditRecord::revision).containsExactly(5L, 4L, 3L, 2L);

        AuditPage alice = store.audit(new AuditQuery(0, 10, null, null, "alice"));
        assertThat(alice.total()).isEqualTo(3);
        assertThat(alice.records()).extracting(AuditRecord::objectId).containsExactly("h5", "h3", "h1");

        AuditPage bobsHosts = store.audit(new AuditQuery(0, 10, "host", null, "bob"));
        assertThat(bobsHosts.records()).extracting(AuditRecord::objectId).containsExactly("h6", "h4", "h2");
        assertThat(store.audit(new AuditQuery(0, 10, "host", "h4", "bob")).total()).isEqualTo(1);
        assertThat(store.audit(new AuditQuery(0, 10, "vm", "h4", null))).isEqualTo(new AuditPage(0, List.of()));

        assertThat(store.audit(new AuditQuery(50, 10, null, null, null))).isEqualTo(new AuditPage(11, List.of()));
        assertThat(store.audit(new AuditQuery(0, 0, null, null, null))).isEqualTo(new AuditPage(11, List.of()));
    }

    @Test
    void largeJsonRoundTrips() {
        String big = json(1_100_000, "ab\u00e9\u20ac\ud83d\ude00");
        assertThat(big.length()).isGreaterThan(1 << 20);

        store.commit(change(0, List.of(doc("policy", "p1", 1, big)), List.of(),
                List.of(audit(1, "alice", Operation.CREATE, "policy", "p1", null, big))));

        StoredModel loaded = new JdbcModelStore(newDataSource()).load();
        assertThat(loaded.documents()).hasSize(1);
        assertThat(loaded.documents().get(0).json()).isEqualTo(big);
        assertThat(store.audit(new AuditQuery(0, 1, null, null, null)).records().get(0).after()).isEqualTo(big);
    }

    @Test
    void unicodeRoundTripsEverywhere() {
        String id = "\u00e9t\u00e9-\u6771\u4eac-\ud83d\udd25";
        String principal = "j\u00fcrgen@\u00f6rebro";
        String json = "{\"name\":\"\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u65e5\u672c "
                + "e\u0301 \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \\u0000\"}";
        AuditRecord record = new AuditRecord(1, T0_STORED, principal, Operation.CREATE, "group", id, null, json);
        store.commit(change(0, List.of(doc("group", id, 1, json)), List.of(), List.of(record)));

        assertThat(new JdbcModelStore(newDataSource()).load().documents()).containsExactly(doc("group", id, 1, json));
        assertThat(store.audit(new AuditQuery(0, 10, "group", id, principal)).records()).containsExactly(record);
    }

    @Test
    void concurrentWritersOnTheSameRevisionOneWinsOneConflicts() throws Exception {
        executor = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<String>> results = new ArrayList<>();
        for (String writer : List.of("w1", "w2")) {
            Callable<String> commit = () -> {
                JdbcModelStore own = new JdbcModelStore(newDataSource());
                start.await(10, TimeUnit.SECONDS);
                try {
                    own.commit(change(0, List.of(doc("host", writer, 1, "{}")), List.of(),
                            List.of(create(1, writer, "host", writer))));
                    return "committed";
                } catch (StoreConflictException e) {
                    return "conflict";
                }
            };
            results.add(executor.submit(commit));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get(30, TimeUnit.SECONDS));
        }

        assertThat(outcomes).containsExactlyInAnyOrder("committed", "conflict");
        StoredModel model = store.load();
        assertThat(model.revision()).isEqualTo(1);
        assertThat(model.documents()).hasSize(1);
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).records())
                .extracting(AuditRecord::principal).containsExactly(model.documents().get(0).key().id());
    }

    // --- helpers

    protected final List<Long> queryLongs(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    static ModelChange change(long previous, List<Document> upserts, List<DocumentKey> deletes, List<AuditRecord> audit) {
        return new ModelChange(previous, previous + 1, upserts, deletes, audit);
    }

    static Document doc(String kind, String id, long revision, String json) {
        return new Document(key(kind, id), revision, json);
    }

    static DocumentKey key(String kind, String id) {
        return new DocumentKey(kind, id);
    }

    static AuditRecord create(long revision, String principal, String kind, String id) {
        return audit(revision, principal, Operation.CREATE, kind, id, null, "{}");
    }

    static AuditRecord delete(long revision, String principal, String kind, String id) {
        return audit(revision, principal, Operation.DELETE, kind, id, "{}", null);
    }

    static AuditRecord audit(long revision, String principal, Operation op, String kind, String id, String before, String after) {
        return new AuditRecord(revision, T0, principal, op, kind, id, before, after);
    }

    /** A JSON object of about {@code chars} characters made of {@code alphabet}. */
    static String json(int chars, String alphabet) {
        StringBuilder sb = new StringBuilder(chars + 16).append("{\"blob\":\"");
        while (sb.length() < chars) {
            sb.append(alphabet);
        }
        return sb.append("\"}").toString();
    }
}
