package dev.sluice.sinks.postgres;

import dev.sluice.runtime.Ddl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of rows and the offsets after them in one database transaction. Retriable errors
 * (see {@link PgErrors}) reconnect and retry the whole batch with backoff; a permanent error makes
 * it retry row by row under savepoints so only the offending rows are returned as rejected.
 */
final class BatchWriter<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    /** A value and the record it came from (for dead-lettering). */
    record Row<V>(ConsumerRecord<byte[], byte[]> origin, V value) {
    }

    /** A row the database refused permanently. */
    record Rejected(ConsumerRecord<byte[], byte[]> origin, Exception error) {
    }

    /** Dead-letters refused rows; runs before the commit, so a crash can repeat a dead letter but never lose one. */
    @FunctionalInterface
    interface RejectHandler {
        void handle(List<Rejected> rejected);
    }

    private final String jdbcUrl;
    private final RowWriter<V> writer;
    private final OffsetStore offsets;
    private final Duration maxRetryElapsed;
    private Connection db;

    BatchWriter(String jdbcUrl, RowWriter<V> writer, OffsetStore offsets, Duration maxRetryElapsed) {
        this.jdbcUrl = jdbcUrl;
        this.writer = writer;
        this.offsets = offsets;
        this.maxRetryElapsed = maxRetryElapsed;
    }

    Connection connection() throws SQLException {
        if (db == null || db.isClosed()) {
            Connection c = DriverManager.getConnection(jdbcUrl);
            try {
                c.setAutoCommit(false);
                Ddl.lock(c); // replicas starting together would race on CREATE TABLE IF NOT EXISTS
                writer.createSchema(c);
                OffsetStore.createSchema(c);
                c.commit();
            } catch (SQLException e) {
                c.close(); // the next call starts over on a fresh connection
                throw e;
            }
            db = c;
        }
        return db;
    }

    /** Commits rows and offsets; rows refused permanently go to {@code onRejected} first. */
    void write(List<Row<V>> rows, Map<TopicPartition, Long> nextOffsets, RejectHandler onRejected)
            throws SQLException, InterruptedException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                attempt(rows, nextOffsets, onRejected);
                return;
            } catch (SQLException e) {
                rollbackQuietly();
                if (!PgErrors.isRetriable(e) || Duration.ofNanos(System.nanoTime() - start).compareTo(maxRetryElapsed) > 0) {
                    throw e;
                }
                long wait = Math.min(5_000, 100L << Math.min(attempt, 6));
                log.warn("database write failed (SQLSTATE {}), retrying in {} ms: {}", e.getSQLState(), wait, e.getMessage());
                closeQuietly();
                Thread.sleep(wait);
            }
        }
    }

    private void attempt(List<Row<V>> rows, Map<TopicPartition, Long> nextOffsets, RejectHandler onRejected)
            throws SQLException {
        Connection c = connection();
        try {
            writer.write(c, rows.stream().map(Row::value).toList());
        } catch (SQLException e) {
            if (PgErrors.isRetriable(e)) {
                throw e;
            }
            c.rollback();
            List<Rejected> rejected = writeOneByOne(c, rows);
            onRejected.handle(rejected);
        }
        offsets.save(c, nextOffsets);
        c.commit();
    }

    private List<Rejected> writeOneByOne(Connection c, List<Row<V>> rows) throws SQLException {
        List<Rejected> rejected = new ArrayList<>();
        for (Row<V> row : rows) {
            Savepoint sp = c.setSavepoint();
            try {
                writer.write(c, List.of(row.value()));
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                if (PgErrors.isRetriable(e)) {
                    throw e;
                }
                c.rollback(sp);
                rejected.add(new Rejected(row.origin(), e));
            }
        }
        return rejected;
    }

    private void rollbackQuietly() {
        try {
            if (db != null && !db.isClosed()) {
                db.rollback();
            }
        } catch (SQLException ignored) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // connection already broken
        }
        db = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
