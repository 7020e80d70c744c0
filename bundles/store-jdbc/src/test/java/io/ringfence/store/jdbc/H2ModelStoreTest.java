package io.ringfence.store.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 database file, configured as the Karaf distribution configures it. */
class H2ModelStoreTest extends ModelStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected DataSource newDataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("ringfence") + ";WRITE_DELAY=0");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }
}
