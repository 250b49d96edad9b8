package dev.sluice.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer lag that is 0 when nothing is left to process, also under exactly-once.
 *
 * <p>Transaction markers occupy offsets: after a group has consumed the last record of a
 * transaction, its committed offset points at the commit marker, so {@code end - committed} stays 1
 * per partition forever (why KEDA's Kafka scaler never scales such a group to zero). Where that raw
 * difference is small, this reads the gap with a read_committed consumer and counts only real
 * records; a large gap is reported raw (an over-estimate by at most the markers in it).
 */
public final class LagMonitor implements AutoCloseable {
    static final long VERIFY_BELOW = 2_000;

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> probe;

    public LagMonitor(Admin admin, Map<String, Object> clientProps) {
        this.admin = admin;
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-lag-probe");
        // the probe reads up to a known end: the fetch past the last commit marker finds nothing, and
        // the broker's default wait for data (500 ms) per partition made one idle check take seconds
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.probe = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Lag per partition of {@code group} on {@code topic}. */
    public Map<TopicPartition, Long> lag(String group, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            long from = c == null ? 0 : c.offset();
            long raw = Math.max(0, e.getValue() - from);
            lag.put(e.getKey(), raw > 0 && raw <= VERIFY_BELOW ? countRecords(e.getKey(), from, e.getValue()) : raw);
        }
        return lag;
    }

    /** True when {@code e} (or its cause) says a topic does not exist yet: no lag to read, not a failure. */
    public static boolean isMissingTopic(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownTopicOrPartitionException) {
                return true;
            }
        }
        return false;
    }

    /** Total lag of {@code group} on {@code topic}. */
    public long totalLag(String group, String topic) throws ExecutionException, InterruptedException {
        return lag(group, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Committed records in {@code topic} (exact when small, else offsets). */
    public long countRecords(String topic) throws ExecutionException, InterruptedException {
        long n = 0;
        for (Map.Entry<TopicPartition, Long> e : endOffsets(topic).entrySet()) {
            n += e.getValue() <= VERIFY_BELOW * 10 ? countRecords(e.getKey(), 0, e.getValue()) : e.getValue();
        }
        return n;
    }

    Map<TopicPartition, Long> endOffsets(String topic) throws ExecutionException, InterruptedException {
        List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        parts.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private long countRecords(TopicPartition tp, long from, long end) {
        probe.assign(List.of(tp));
        probe.seek(tp, from);
        long count = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probe.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : probe.poll(Duration.ofMillis(100)).records(tp)) {
                if (r.offset() < end) {
                    count++;
                }
            }
        }
        return probe.position(tp) < end ? Math.max(count, end - probe.position(tp) + count) : count;
    }

    @Override
    public void close() {
        probe.close();
    }
}
