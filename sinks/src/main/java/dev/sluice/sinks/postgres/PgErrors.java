package dev.sluice.sinks.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;

/**
 * Classifies PostgreSQL errors by SQLSTATE, after Debezium's {@code PostgresErrorHandler}: lost
 * connections, serialization failures, deadlocks, lock timeouts, shutdowns and resource shortage
 * are retriable (the batch is retried); data and constraint errors are permanent (the offending
 * record is dead-lettered).
 */
public final class PgErrors {

    private PgErrors() {
    }

    public static boolean isRetriable(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return e.getCause() instanceof java.io.IOException;
        }
        return state.startsWith("08")          // connection exception
                || state.startsWith("53")      // insufficient resources
                || state.startsWith("57P")     // admin/crash shutdown, cannot connect now
                || state.equals("40001")       // serialization failure
                || state.equals("40P01")       // deadlock detected
                || state.equals("55P03")       // lock not available
                || state.equals("57014");      // query cancelled (statement timeout)
    }
}
