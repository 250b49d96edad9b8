package dev.sluice.sinks.postgres;

import dev.sluice.runtime.ConsumerLoop;
import dev.sluice.runtime.RunningStage;
import dev.sluice.runtime.StageMetrics;
import dev.sluice.schemas.registry.SchemaRegistryException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one topic into PostgreSQL, effectively exactly once: each batch's rows and the offsets
 * after them commit in one database transaction, and on (re)assignment the consumer seeks to the
 * offsets stored there, never to Kafka's. Offsets are also committed to Kafka afterwards, only so
 * that lag-based autoscaling and {@code sluice status} see progress. Rows that cannot be decoded
 * or that the database refuses permanently go to {@code <topic>.dlq} with their reason. Its stage
 * definition comes from {@link SinkStages#definition}.
 */
public final class PostgresSink<V> implements RunningStage {
    private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);

    private final String stage;
    private final String topic;
    private final String groupId;
    private final RowWriter<V> writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BatchWriter<V> batches;
    private final OffsetStore offsets;
    private final SinkDeadLetters deadLetters;
    private final ConsumerLoop loop;

    /** Writes the logical {@code topic}, on its physical name under {@code s.names()}, with {@code writer}. */
    public PostgresSink(String stage, String topic, RowWriter<V> writer, SinkSettings s) {
        this.stage = stage;
        this.topic = s.names().topic(topic);
        this.groupId = s.names().groupId(stage);
        this.writer = writer;
        this.offsets = new OffsetStore(groupId);
        this.batches = new BatchWriter<>(s.jdbcUrl(), writer, offsets, s.maxRetryElapsed());
        this.consumer = new KafkaConsumer<>(consumerProps(s), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new SinkDeadLetters(stage, s.names().dlq(topic), groupId + "-dlq", s.clientProps());
        this.loop = new ConsumerLoop(stage, this.topic, consumer, new Body());
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String name() {
        return stage;
    }

    @Override
    public List<String> inputTopics() {
        return List.of(topic);
    }

    @Override
    public List<Object> kafkaClients() {
        return List.of(consumer);
    }

    private Map<String, Object> consumerProps(SinkSettings s) {
        Map<String, Object> p = new HashMap<>(s.clientProps());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxPollRecords());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, s.names().memberId(stage, s.instanceId()));
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, s.names().memberId(stage, s.instanceId()));
        return p;
    }

    @Override
    public void start(Consumer<Throwable> fatalHandler) {
        loop.start(fatalHandler);
    }

    /** The sink's work in the shared consumer loop: each batch in one database transaction with its offsets. */
    private final class Body implements ConsumerLoop.Body {
        @Override
        public void open() throws SQLException {
            batches.connection();
            log.debug("sink {} writing {} into table {}", stage, topic, writer.table());
        }

        @Override
        public ConsumerRebalanceListener listener() {
            return new SeekToStored();
        }

        @Override
        public void handle(ConsumerRecords<byte[], byte[]> batch, java.util.function.BooleanSupplier running)
                throws SQLException, InterruptedException {
            PostgresSink.this.handle(batch);
        }

        @Override
        public void closeResources() {
            try {
                batches.close();
            } finally {
                deadLetters.close();
            }
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> batch) throws SQLException, InterruptedException {
        List<BatchWriter.Row<V>> rows = new ArrayList<>(batch.count());
        List<BatchWriter.Rejected> undecodable = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            try {
                rows.add(new BatchWriter.Row<>(r, writer.decode(r.topic(), r.value())));
            } catch (SchemaRegistryException e) {
                throw e; // the registry, not the row, is at fault: fail the sink rather than dead-letter good rows
            } catch (RuntimeException e) {
                undecodable.add(new BatchWriter.Rejected(r, e));
            }
        }
        deadLetters.send(undecodable);
        int[] rejected = {undecodable.size()};
        batches.write(rows, next, r -> {
            rejected[0] = undecodable.size() + r.size(); // an attempt retried after a rejection rejects them again
            deadLetters.send(r);
        });
        StageMetrics metrics = StageMetrics.of(stage);
        metrics.in.addAndGet(batch.count());
        metrics.out.addAndGet(batch.count() - rejected[0]);
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        next.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
        consumer.commitAsync(commit, null);
    }

    /** On assignment, resume from the offsets committed with the rows, or from the start. */
    private final class SeekToStored implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                Map<TopicPartition, Long> stored = offsets.load(batches.connection(), partitions);
                batches.connection().commit();
                for (TopicPartition tp : partitions) {
                    if (stored.containsKey(tp)) {
                        consumer.seek(tp, stored.get(tp));
                    } else {
                        consumer.seekToBeginning(List.of(tp));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read sink offsets from PostgreSQL: " + e.getMessage(), e);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing buffered: every polled batch is committed before the next poll
        }
    }

    /** The sink's consumer, so a metrics registry can bind its client metrics; do not use it otherwise. */
    public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafkaConsumer() {
        return consumer;
    }

    @Override
    public void close() {
        loop.close();
    }
}
