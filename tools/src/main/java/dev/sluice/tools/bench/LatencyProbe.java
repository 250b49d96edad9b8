package dev.sluice.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schemas.documents.DocumentTopics;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a downstream reader sees of the documents path, by the wall clock: when each document's
 * page tasks (the split stage's output) and page results (the pages stage's) become visible to a
 * read_committed consumer, first and last, and when its row is in the {@code documents} table.
 */
final class LatencyProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Wall-clock ms of the first and the latest page result of a document seen. */
    record Seen(long first, long last, int count) {
    }

    /** Per topic and doc id. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Connection db;
    private final Thread thread;
    private volatile boolean running = true;

    LatencyProbe(Map<String, Object> clientProps, String jdbcUrl) throws SQLException {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-latency-probe");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = java.util.stream.Stream.of(DocumentTopics.PAGES, DocumentTopics.PAGE_RESULTS)
                .flatMap(t -> consumer.partitionsFor(t).stream())
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end now, before any document is pushed
        this.db = DriverManager.getConnection(jdbcUrl);
        this.thread = new Thread(this::watch, "sluice-latency-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                long now = System.currentTimeMillis();
                String key = new String(r.key(), StandardCharsets.UTF_8); // <doc id>:<page> or <doc id>
                String doc = key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
                seen.merge(r.topic() + "/" + doc, new Seen(now, now, 1), (a, b) -> new Seen(a.first(), now, a.count() + 1));
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    /** The records of {@code docId} seen on {@code topic} (pages or page results) so far. */
    Optional<Seen> seen(String topic, String docId) {
        return Optional.ofNullable(seen.get(topic + "/" + docId));
    }

    /** Forgets what was seen of {@code docId}, before the same document is pushed again. */
    void forget(String docId) {
        seen.keySet().removeIf(k -> k.endsWith("/" + docId));
    }

    /**
     * Waits until the row of {@code docId} as submitted at {@code submittedAt} is stored, polling
     * every 20 ms; its {@code doc} column, and the wall-clock ms it was first seen.
     */
    Stored awaitStored(String docId, long submittedAt, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement ps = db.prepareStatement("SELECT doc::text FROM documents WHERE doc_id = ?"
                + " AND (doc->'timings'->>'submitted_at')::bigint = ?")) {
            ps.setString(1, docId);
            ps.setLong(2, submittedAt);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Stored(System.currentTimeMillis(), JSON.readTree(rs.getString(1)));
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) { // the sink creates its table when it starts
                        throw e;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("document " + docId + " not stored within " + timeout.toSeconds() + " s");
    }

    /** A stored document: when it was seen and its {@code doc} JSON. */
    record Stored(long at, JsonNode doc) {
        /** The split time plus every page's text-layer, image, render and OCR time, in ms. */
        long processingMs() {
            return splitMs() + pageMs().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * The split time plus the pages handed out in page order to {@code threads} threads, each
         * page to the first free one: the processing's wall time with no waiting anywhere.
         */
        long criticalPathMs(int threads) {
            long[] free = new long[threads];
            for (long ms : pageMs()) {
                int first = 0;
                for (int i = 1; i < threads; i++) {
                    first = free[i] < free[first] ? i : first;
                }
                free[first] += ms;
            }
            return splitMs() + java.util.Arrays.stream(free).max().orElse(0);
        }

        private long splitMs() {
            return doc.get("timings").get("split_ms").asLong();
        }

        private List<Long> pageMs() {
            List<Long> out = new java.util.ArrayList<>();
            for (JsonNode p : doc.get("pages")) {
                JsonNode t = p.get("timings_ms");
                out.add(t.get("text_layer").asLong() + t.get("images").asLong() + t.get("render").asLong()
                        + t.get("ocr").asLong());
            }
            return out;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5_000);
        db.close();
    }
}
