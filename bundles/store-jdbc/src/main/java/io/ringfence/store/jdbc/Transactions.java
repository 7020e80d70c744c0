package io.ringfence.store.jdbc;

import io.ringfence.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one JDBC transaction: commit on success, roll back on any failure. */
final class Transactions {

    /** Work done on a connection inside the transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction at {@code isolation}, then puts the connection back as it
     * found it (pools hand it to the next user with whatever settings it has).
     *
     * @param what what the work does, for the message of the exception
     * @throws StoreException wrapping any SQLException; runtime exceptions pass through; in both
     *                        cases the transaction was rolled back
     */
    static <T> T run(DataSource dataSource, int isolation, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int previousIsolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(isolation);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                restore(c, autoCommit, previousIsolation);
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void restore(Connection c, boolean autoCommit, int isolation) {
        try {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // a connection that cannot be reset is broken; the pool finds out when it validates it
        }
    }
}
