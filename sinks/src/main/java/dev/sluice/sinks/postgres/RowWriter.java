package dev.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes one topic's values into one table. Writes must be idempotent upserts keyed by the record's
 * identity, so that even a replay outside the offset transaction could not double a row.
 *
 * @param <V> the decoded record value
 */
public interface RowWriter<V> {

    /** Table written (also part of the sink's consumer group name). */
    String table();

    /** Creates the table if absent. */
    void createSchema(Connection db) throws SQLException;

    /** Decodes a record value; a RuntimeException dead-letters the record. */
    V decode(String topic, byte[] value);

    /** Upserts the values within the caller's transaction. */
    void write(Connection db, List<V> values) throws SQLException;
}
