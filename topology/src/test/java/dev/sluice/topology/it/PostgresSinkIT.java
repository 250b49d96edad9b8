package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.sinks.postgres.PostgresSink;
import dev.sluice.sinks.postgres.RowWriter;
import dev.sluice.sinks.postgres.SinkSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL sink on its own, on the real broker and database: rows and offsets commit together,
 * a restart resumes from the offsets stored with the rows (not Kafka's), undecodable records and
 * rows the database refuses go to the dead-letter topic with their reason, and the rest of their
 * batch is stored.
 */
class PostgresSinkIT {
    private static final String TOPIC = "sluice.test.sink-in";
    private static final String STAGE = "sink-it";
    private static ItEnv env;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("postgres-sink");
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1), new NewTopic(TOPIC + ".dlq", 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void shouldStoreEachRowOnceResumeFromItsOwnOffsetsAndDeadLetterWhatItCannotStore() throws Exception {
        produce("a=1", "b=2", "undecodable", "c=much-too-long-for-the-column", "d=4");
        runUntilStored(3);
        assertThat(rows()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2", "d", "4"));
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(env.clientProps(), TOPIC + ".dlq");
        assertThat(dead).extracting(r -> header(r, DeadLetters.MESSAGE))
                .anySatisfy(m -> assertThat(m).contains("cannot decode"))
                .anySatisfy(m -> assertThat(m).contains("value too long"));

        rewindKafkaOffsetsToTheStart(); // the sink must not trust Kafka's offsets: its own are in the database
        produce("e=5", "a=9");
        runUntilStored(5);
        assertThat(rows()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "9", "b", "2", "d", "4", "e", "5"));
        assertThat(TopicReader.readAll(env.clientProps(), TOPIC + ".dlq")).hasSize(2); // nothing dead-lettered twice
        assertThat(writes()).isEqualTo(5); // each stored record written once: a replay would count again
    }

    private static void runUntilStored(int writes) throws Exception {
        SinkSettings s = new SinkSettings(env.clientProps(), env.jdbcUrl(), "it", 100, Duration.ofSeconds(10), Names.DEFAULT);
        try (PostgresSink<String[]> sink = new PostgresSink<>(STAGE, TOPIC, new KeyValueRows(), s)) {
            sink.start(t -> { });
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (writes() < writes && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500); // a duplicate write would land by now
        }
        assertThat(writes()).isEqualTo(writes);
    }

    private static long writes() throws SQLException {
        return count("select coalesce(sum(writes), 0) from sink_it_rows");
    }

    private static void rewindKafkaOffsetsToTheStart() throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            Map<TopicPartition, OffsetAndMetadata> zero = Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(0),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(0));
            admin.alterConsumerGroupOffsets(Names.DEFAULT.groupId(STAGE), zero).all().get();
        }
    }

    private static void produce(String... values) {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(new HashMap<>(env.clientProps()), new StringSerializer(),
                new StringSerializer())) {
            for (String v : values) {
                Sends.confirmed(p, new ProducerRecord<>(TOPIC, v.split("=")[0], v));
            }
        }
    }

    private static Map<String, String> rows() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(env.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("select k, v from sink_it_rows")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(env.jdbcUrl()); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the sink has not created its table yet
            }
            throw e;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** key=value rows in a table whose value column refuses more than 10 characters; counts every write of a row. */
    private static final class KeyValueRows implements RowWriter<String[]> {
        @Override
        public String table() {
            return "sink_it_rows";
        }

        @Override
        public void createSchema(Connection db) throws SQLException {
            db.createStatement().execute("create table if not exists sink_it_rows (k text primary key,"
                    + " v varchar(10) not null, writes int not null default 1)");
        }

        @Override
        public String[] decode(String topic, byte[] value) {
            String v = new String(value, StandardCharsets.UTF_8);
            if (!v.contains("=")) {
                throw new IllegalArgumentException("cannot decode " + v + ": no '='");
            }
            return v.split("=", 2);
        }

        @Override
        public void write(Connection db, List<String[]> values) throws SQLException {
            try (PreparedStatement ps = db.prepareStatement("insert into sink_it_rows (k, v) values (?, ?) on conflict (k)"
                    + " do update set v = excluded.v, writes = sink_it_rows.writes + 1")) {
                for (String[] kv : values) {
                    ps.setString(1, kv[0]);
                    ps.setString(2, kv[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
