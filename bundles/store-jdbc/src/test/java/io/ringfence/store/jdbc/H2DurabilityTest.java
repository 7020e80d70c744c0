package io.ringfence.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2 acknowledges commits before they reach the file unless WRITE_DELAY is 0: the store makes sure it is. */
class H2DurabilityTest {

    @Test
    void writeDelayIsZeroEvenWhenTheUrlForgetsIt(@TempDir Path dir) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("ringfence"));
        ds.setUser("sa");
        try (Connection held = ds.getConnection()) {
            assertThat(writeDelay(held)).isNotEqualTo("0");

            new SchemaMigrator(ds).migrate();

            assertThat(writeDelay(held)).isEqualTo("0");
        }
    }

    private static String writeDelay(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
