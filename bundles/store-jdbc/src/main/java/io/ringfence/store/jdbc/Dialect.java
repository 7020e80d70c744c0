package io.ringfence.store.jdbc;

import io.ringfence.store.StoreException;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** The databases the store supports; the SQL of the store itself is common to both, the scripts are not. */
enum Dialect {
    H2("H2", "h2"),
    POSTGRESQL("PostgreSQL", "postgresql");

    private final String productName;
    private final String directory;

    Dialect(String productName, String directory) {
        this.productName = productName;
        this.directory = directory;
    }

    /** The directory under {@code db/migration} that holds this dialect's scripts. */
    String directory() {
        return directory;
    }

    static Dialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        for (Dialect d : values()) {
            if (d.productName.equals(product)) {
                return d;
            }
        }
        throw new StoreException("unsupported database \"" + product + " " + metaData.getDatabaseProductVersion()
                + "\": the Ringfence store runs on H2 or PostgreSQL");
    }

    @Override
    public String toString() {
        return productName;
    }
}
