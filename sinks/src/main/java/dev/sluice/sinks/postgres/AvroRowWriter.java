package dev.sluice.sinks.postgres;

import dev.sluice.schemas.AvroSerde;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A {@link RowWriter} of one Avro record type: creates its table with the given DDL, decodes values
 * (a tombstone is refused: rows are never deleted) and writes a batch with one statement, normally
 * an idempotent {@code INSERT ... ON CONFLICT}. Subclasses only bind a value's columns.
 */
public abstract class AvroRowWriter<V extends SpecificRecord> implements RowWriter<V> {
    private final String table;
    private final AvroSerde<V> serde;
    private final String statement;
    private final List<String> ddl;

    protected AvroRowWriter(String table, Class<V> type, String statement, String... ddl) {
        this.table = table;
        this.serde = new AvroSerde<>(type);
        this.statement = statement;
        this.ddl = List.of(ddl);
    }

    /** Binds the statement's parameters for one value. */
    protected abstract void bind(Connection db, PreparedStatement ps, V value) throws SQLException;

    @Override
    public final String table() {
        return table;
    }

    @Override
    public final void createSchema(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String sql : ddl) {
                s.execute(sql);
            }
        }
    }

    @Override
    public final V decode(String topic, byte[] value) {
        V v = serde.deserializer().deserialize(topic, value);
        if (v == null) {
            throw new IllegalArgumentException("tombstone on " + topic + ": " + table + " rows are never deleted");
        }
        return v;
    }

    @Override
    public final void write(Connection db, List<V> values) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(statement)) {
            for (V v : values) {
                bind(db, ps, v);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
