package dev.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumed offsets kept in PostgreSQL ({@code sluice_sink_offsets}), written in the same
 * transaction as the rows they cover: a row and the offset after it are committed together or not
 * at all, which makes the sink exactly-once whatever happens to the process.
 */
final class OffsetStore {
    private final String group;

    OffsetStore(String group) {
        this.group = group;
    }

    static void createSchema(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS sluice_sink_offsets (consumer_group text NOT NULL, topic text NOT NULL,"
                    + " partition int NOT NULL, next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (consumer_group, topic, partition))");
        }
    }

    Map<TopicPartition, Long> load(Connection db, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT next_offset FROM sluice_sink_offsets WHERE consumer_group = ? AND topic = ? AND partition = ?")) {
            for (TopicPartition tp : partitions) {
                ps.setString(1, group);
                ps.setString(2, tp.topic());
                ps.setInt(3, tp.partition());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(tp, rs.getLong(1));
                    }
                }
            }
        }
        return out;
    }

    void save(Connection db, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO sluice_sink_offsets (consumer_group, topic, partition,"
                + " next_offset) VALUES (?, ?, ?, ?) ON CONFLICT (consumer_group, topic, partition)"
                + " DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()")) {
            for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
                ps.setString(1, group);
                ps.setString(2, e.getKey().topic());
                ps.setInt(3, e.getKey().partition());
                ps.setLong(4, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
