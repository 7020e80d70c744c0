package io.ringfence.store.jdbc;

import io.ringfence.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Creates and upgrades the store's schema by applying the versioned scripts
 * {@code db/migration/<dialect>/V<version>__<description>.sql} that are not yet recorded in
 * {@code schema_version}. Hand-written rather than Flyway or Liquibase because those find their
 * scripts by scanning the class path, which breaks inside OSGi bundles.
 *
 * <p>Safe when several processes start at once: on PostgreSQL the whole run is one transaction
 * holding a transaction-scoped advisory lock, so one process migrates and the others then find
 * nothing to do. H2 runs embedded in one process (it locks its file) and commits on every DDL
 * statement, so its scripts are written to be re-run after a crash instead.
 */
public final class SchemaMigrator {

    /** A script to apply: {@code V<version>__<description>.sql}. */
    record Migration(int version, String description) {
        String resource(Dialect dialect) {
            return "db/migration/" + dialect.directory() + "/V" + version + "__" + description + ".sql";
        }
    }

    /**
     * The migrations, oldest first, each present for every dialect. Listed here because a class
     * loader cannot list a directory of a bundle.
     */
    static final List<Migration> MIGRATIONS = List.of(new Migration(1, "init"));

    /** Key of the advisory lock that serializes migrations on PostgreSQL ("RINGFENC" in ASCII). */
    static final long LOCK_KEY = 0x52494E4746454E43L;

    private static final System.Logger LOG = System.getLogger(SchemaMigrator.class.getName());

    private final DataSource dataSource;

    public SchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Applies the pending migrations.
     *
     * @return the versions applied now, empty when the schema was up to date
     * @throws StoreException for an unsupported database, a schema newer than this code, or a failed script
     */
    public List<Integer> migrate() {
        List<Integer> applied = Transactions.run(dataSource, Connection.TRANSACTION_READ_COMMITTED,
                "migrate the store's schema", c -> migrate(c, Dialect.of(c.getMetaData())));
        if (!applied.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "applied the store''s schema migrations {0}", applied);
        }
        return applied;
    }

    private static List<Integer> migrate(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.H2) {
            // H2 writes commits to its file up to 500 ms late unless WRITE_DELAY is 0: a commit that
            // was acknowledged could be lost when the process dies. The URL should say so
            // (;WRITE_DELAY=0); this also holds for a URL that does not, for as long as the database
            // stays open (the pool keeps it open while the store lives).
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            }
        }
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                // bounded: a migration is quick, so a longer wait means a stuck peer worth an error
                s.execute("SET LOCAL lock_timeout = '60s'");
                // taken before CREATE TABLE IF NOT EXISTS, which itself races between sessions
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INT NOT NULL PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, "
                    + "applied_at TIMESTAMP(6) WITH TIME ZONE NOT NULL)");
        }
        Set<Integer> done = appliedVersions(c);
        int newest = MIGRATIONS.get(MIGRATIONS.size() - 1).version();
        for (int version : done) {
            if (version > newest) {
                throw new StoreException("the database schema is at version " + version
                        + ", newer than this store supports (" + newest + "): refusing to use it");
            }
        }
        List<Integer> applied = new ArrayList<>();
        for (Migration m : MIGRATIONS) {
            if (done.contains(m.version())) {
                continue;
            }
            run(c, m, dialect);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                ps.setInt(1, m.version());
                ps.setString(2, m.description());
                ps.executeUpdate();
            }
            applied.add(m.version());
        }
        return applied;
    }

    private static Set<Integer> appliedVersions(Connection c) throws SQLException {
        Set<Integer> versions = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static void run(Connection c, Migration m, Dialect dialect) throws SQLException {
        String resource = m.resource(dialect);
        for (String sql : statements(read(resource))) {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new SQLException(resource + " failed at \"" + sql + "\": " + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    /** Reads a script through this bundle's own class loader, the one that sees its resources in OSGi. */
    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StoreException("migration script " + resource + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }

    /**
     * Splits a script into statements: whole-line {@code --} comments are dropped and a statement
     * ends with a semicolon at the end of a line. Enough for our own scripts, which therefore must
     * not end a line inside a statement with a semicolon (no function bodies).
     */
    static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\\R")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        return Arrays.stream(sql.toString().split(";[ \\t]*\\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
