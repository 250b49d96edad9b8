package dev.sluice.runtime;

import dev.sluice.stage.StageDefinition;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The consumer and transactional producer of one loop; tests pass {@code MockConsumer} and
 * {@code MockProducer} instead.
 */
public record KafkaClients(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
    /** The consumer's default {@code connections.max.idle.ms}. */
    private static final long IDLE_DEFAULT_MS = 540_000L;

    /** Real clients for {@code def}: read_committed, manual commits, static membership, a stable transactional id. */
    static KafkaClients forLoop(StageDefinition<?, ?, ?, ?> def, RunnerSettings s) {
        return new KafkaClients(new KafkaConsumer<>(consumerProps(def.name(), s), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()),
                new KafkaProducer<>(producerProps(def, s), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    static Map<String, Object> consumerProps(String stage, RunnerSettings s) {
        Map<String, Object> p = new HashMap<>(s.clientProps());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.names().groupId(stage));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxPollRecords());
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) s.maxPollInterval().toMillis());
        // the coordinator connection must outlive the longest batch, or a rebalance during one is disrupted
        p.putIfAbsent(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, Math.max(IDLE_DEFAULT_MS, s.maxPollInterval().toMillis()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, s.names().memberId(stage, s.instanceId()));
        // static membership: a restarted instance takes its partitions back at once, without waiting
        // for the dead member's session to expire
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, s.names().memberId(stage, s.instanceId()));
        return p;
    }

    static Map<String, Object> producerProps(StageDefinition<?, ?, ?, ?> def, RunnerSettings s) {
        Map<String, Object> p = new HashMap<>(s.clientProps());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, s.names().transactionalId(def.name(), s.instanceId()));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, def.maxRecordBytes());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, s.names().memberId(def.name(), s.instanceId()) + "-producer");
        return p;
    }
}
