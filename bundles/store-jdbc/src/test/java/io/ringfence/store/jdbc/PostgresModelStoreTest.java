package io.ringfence.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL server, a private cluster started for this class; each
 * test gets a database of its own. Fails when PostgreSQL is not installed: CI must install it.
 */
class PostgresModelStoreTest extends ModelStoreContractTest {

    private static PostgresServer server;
    private String database;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected DataSource newDataSource() {
        if (database == null) {
            database = server.createDatabase();
        }
        return server.dataSource(database);
    }

    /**
     * Two processes starting on a new database: both must queue on the migration lock (held here
     * meanwhile, so they surely meet there), then one applies V1 and the other finds it done.
     */
    @Test
    void processesStartingTogetherMigrateOnce() throws Exception {
        DataSource fresh = server.dataSource(server.createDatabase());
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (Connection holder = fresh.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SchemaMigrator.LOCK_KEY + ")");
            }
            List<Future<List<Integer>>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(executor.submit(() -> new SchemaMigrator(fresh).migrate()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForAdvisoryLock(holder) == 2);
            holder.commit();

            List<List<Integer>> applied = new ArrayList<>();
            for (Future<List<Integer>> run : runs) {
                applied.add(run.get(30, TimeUnit.SECONDS));
            }
            assertThat(applied).containsExactlyInAnyOrder(List.of(1), List.of());
            assertThat(new JdbcModelStore(fresh).load().revision()).isZero();
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static long waitingForAdvisoryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
