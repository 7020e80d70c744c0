package io.ringfence.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.store.StoreException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    @Test
    void splitsScriptsIntoStatements() {
        String script = "-- a comment; with a semicolon\n"
                + "CREATE TABLE a (\n    x INT -- trailing\n);\r\n"
                + "\n"
                + "INSERT INTO a VALUES (1);   \n"
                + "  -- indented comment\n"
                + "INSERT INTO a VALUES (2);";

        assertThat(SchemaMigrator.statements(script)).containsExactly(
                "CREATE TABLE a (\n    x INT -- trailing\n)",
                "INSERT INTO a VALUES (1)",
                "INSERT INTO a VALUES (2)");
    }

    @Test
    void everyMigrationHasAScriptForEveryDialect() {
        for (SchemaMigrator.Migration m : SchemaMigrator.MIGRATIONS) {
            for (Dialect d : Dialect.values()) {
                assertThat(SchemaMigrator.class.getClassLoader().getResource(m.resource(d))).as(m.resource(d)).isNotNull();
            }
        }
    }

    @Test
    void refusesOtherDatabases() {
        DataSource mysql = dataSourceOf("MySQL", "8.4.0");

        assertThatThrownBy(() -> new SchemaMigrator(mysql).migrate())
                .isInstanceOf(StoreException.class)
                .hasMessage("unsupported database \"MySQL 8.4.0\": the Ringfence store runs on H2 or PostgreSQL");
    }

    /** A DataSource whose connections only answer what database they are (and accept transaction settings). */
    private static DataSource dataSourceOf(String product, String version) {
        DatabaseMetaData metaData = proxy(DatabaseMetaData.class, (p, m, a) -> switch (m.getName()) {
            case "getDatabaseProductName" -> product;
            case "getDatabaseProductVersion" -> version;
            default -> throw new UnsupportedOperationException(m.getName());
        });
        Connection connection = proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
            case "getMetaData" -> metaData;
            case "getAutoCommit" -> true;
            case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
            case "setAutoCommit", "setTransactionIsolation", "rollback", "close" -> null;
            default -> throw new UnsupportedOperationException(m.getName());
        });
        return proxy(DataSource.class, (p, m, a) -> {
            if (m.getName().equals("getConnection")) {
                return connection;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(SchemaMigratorTest.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
