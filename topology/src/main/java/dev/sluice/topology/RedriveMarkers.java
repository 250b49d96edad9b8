package dev.sluice.topology;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The record of which dead letters were re-driven: the compacted topic {@code <dlq>.redriven}, one
 * marker per re-driven dead letter keyed {@code <dlq-partition>:<offset>}. Markers are written in the
 * same transaction as the re-sent records, so a marker is visible (read_committed) exactly when its
 * record is.
 */
final class RedriveMarkers {
    static final String SUFFIX = ".redriven";

    private RedriveMarkers() {
    }

    static String topic(String dlq) {
        return dlq + SUFFIX;
    }

    static String key(int partition, long offset) {
        return partition + ":" + offset;
    }

    /** The marker of one re-driven dead letter; its value names the stage that re-drove it. */
    static ProducerRecord<byte[], byte[]> marker(String dlq, int partition, long offset, String stage) {
        return new ProducerRecord<>(topic(dlq), bytes(key(partition, offset)), bytes(stage));
    }

    /** Creates the marker topic (one partition, compacted) unless it exists. */
    static void ensure(Admin admin, String dlq, short replication) throws InterruptedException, ExecutionException {
        String t = topic(dlq);
        TopicBootstrap.ensure(admin, List.of(t), 1, replication,
                Map.of(t, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /** Keys of every committed marker; empty when the topic does not exist. */
    static Set<String> read(Map<String, Object> clientProps, String dlq, Set<String> existingTopics) {
        Set<String> keys = new HashSet<>();
        String t = topic(dlq);
        if (!existingTopics.contains(t)) {
            return keys;
        }
        try (KafkaConsumer<byte[], byte[]> c = consumer(clientProps)) {
            List<TopicPartition> parts = c.partitionsFor(t).stream().map(i -> new TopicPartition(t, i.partition())).toList();
            SnapshotReader.read(c, parts, r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
        }
        return keys;
    }

    /** A read_committed consumer of raw bytes that commits nothing. */
    static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientProps) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
