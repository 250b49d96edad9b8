package dev.sluice.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once v2 consume-transform-produce loop: poll a batch, turn it into records, then
 * write them and the batch's offsets in one transaction. A failed transaction is aborted and the
 * consumer rewound to the last committed offsets, so the batch is processed again.
 */
final class TransactionalLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);

    /** Processes a polled batch into the records to write. */
    @FunctionalInterface
    interface BatchProcessor {
        List<ProducerRecord<byte[], byte[]>> process(ConsumerRecords<byte[], byte[]> batch) throws Exception;
    }

    private final String stage;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final BatchProcessor processor;
    private final Thread thread;
    private volatile boolean running = true;
    private Consumer<Throwable> onFatal = t -> { };

    TransactionalLoop(String stage, String topic, String groupId, RunnerSettings s, BatchProcessor processor) {
        this.stage = stage;
        this.topic = topic;
        this.processor = processor;
        this.consumer = new KafkaConsumer<>(consumerProps(groupId, s), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProps(groupId, s), new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "sluice-" + stage + "-loop");
    }

    /** The loop's Kafka clients, for metrics binders (read their metrics only). */
    List<Object> clients() {
        return List.of(consumer, producer);
    }

    void start(Consumer<Throwable> fatalHandler) {
        this.onFatal = fatalHandler;
        thread.start();
    }

    private void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(Set.of(topic));
            log.info("stage {} consuming {} transactionally", stage, topic);
            while (running) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(TransactionalStageRunner.pollTimeout());
                if (!batch.isEmpty()) {
                    commitBatch(batch);
                }
            }
        } catch (Throwable t) {
            if (running && !TransactionalStageRunner.isWakeup(t)) {
                log.error("stage {} stopped on a fatal error", stage, t);
                onFatal.accept(t);
            }
        } finally {
            closeClients();
        }
    }

    private void commitBatch(ConsumerRecords<byte[], byte[]> batch) throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = processor.process(batch);
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : out) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("stage {}: transaction of {} records failed ({}); aborting and replaying", stage, batch.count(), e.toString());
            producer.abortTransaction();
            rewind();
        }
    }

    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata om = committed.get(tp);
            if (om == null) {
                consumer.seekToBeginning(Set.of(tp));
            } else {
                consumer.seek(tp, om.offset());
            }
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private static Map<String, Object> consumerProps(String groupId, RunnerSettings s) {
        Map<String, Object> p = new HashMap<>(s.clientProps());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxPollRecords());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + s.instanceId());
        // static membership: a restarted instance takes its partitions back at once, without waiting
        // for the dead member's session to expire
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + s.instanceId());
        return p;
    }

    private static Map<String, Object> producerProps(String groupId, RunnerSettings s) {
        Map<String, Object> p = new HashMap<>(s.clientProps());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-" + s.instanceId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-" + s.instanceId() + "-producer");
        return p;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeClients() {
        try {
            producer.close(java.time.Duration.ofSeconds(5));
        } finally {
            // a static member leaves explicitly on a clean stop, so a scale-down hands its partitions over at once
            consumer.close(CloseOptions.timeout(java.time.Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }
}
