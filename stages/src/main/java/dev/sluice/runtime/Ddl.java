package dev.sluice.runtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Schema statements ({@code CREATE TABLE IF NOT EXISTS ...}) that several instances may run at
 * the same moment, as when an autoscaler starts replicas together. PostgreSQL's {@code IF NOT
 * EXISTS} is not safe under concurrency: two sessions creating the same table both pass the check
 * and one fails with a unique violation on {@code pg_type}. Every instance therefore takes one
 * transaction-scoped advisory lock first, so creations run one after the other and the later ones
 * find the tables there.
 */
public final class Ddl {
    /** The advisory lock key every Sluice schema change takes ("sluice" in ASCII). */
    static final long LOCK_KEY = 0x736c75696365L;

    private Ddl() {
    }

    /**
     * Takes the schema lock in the connection's open transaction (auto-commit must be off); it is
     * released when that transaction commits or rolls back.
     */
    public static void lock(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("the schema lock needs a transaction: turn auto-commit off first");
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
    }

    /** Runs {@code statements} in one transaction under the schema lock, then restores auto-commit. */
    public static void apply(Connection c, String... statements) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            lock(c);
            for (String sql : statements) {
                s.execute(sql);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
