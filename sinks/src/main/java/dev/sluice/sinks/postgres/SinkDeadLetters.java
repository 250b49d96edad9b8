package dev.sluice.sinks.postgres;

import dev.sluice.runtime.DeadLetters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a sink's refused records to its dead-letter topic and waits for the acknowledgement, so
 * the database transaction that skips them commits only after they are safe in Kafka.
 */
final class SinkDeadLetters implements AutoCloseable {
    private final String stage;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    SinkDeadLetters(String stage, String topic, String clientId, Map<String, Object> clientProps) {
        this.stage = stage;
        this.topic = topic;
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void send(List<BatchWriter.Rejected> rejected) {
        for (BatchWriter.Rejected r : rejected) {
            try {
                producer.send(DeadLetters.emit(topic, DeadLetters.Origin.of(r.origin()), stage, r.error(), 1)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while dead-lettering", e);
            } catch (ExecutionException e) {
                throw new KafkaException("cannot write dead letter to " + topic + ": " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
