package dev.sluice.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.MDC;

/**
 * Builds dead-letter records: the input's original key and value bytes, its original headers, and
 * {@code sluice.errors.*} headers in the spirit of Kafka Connect's {@code __connect.errors.*}.
 */
public final class DeadLetters {
    public static final String PREFIX = "sluice.errors.";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    public static final String STAGE = PREFIX + "stage";
    public static final String CLASS = PREFIX + "exception.class";
    public static final String MESSAGE = PREFIX + "exception.message";
    public static final String CAUSE = PREFIX + "exception.cause";
    public static final String RETRIABLE = PREFIX + "retriable";
    public static final String ATTEMPTS = PREFIX + "attempts";
    public static final String TIMESTAMP = PREFIX + "timestamp";
    /** Set when the payload was too large to keep: the SHA-256 of the original value. */
    public static final String PAYLOAD_SHA256 = PREFIX + "payload.sha256";
    /** Set when the payload was too large to keep: the original value's size in bytes. */
    public static final String PAYLOAD_BYTES = PREFIX + "payload.bytes";
    /** Largest key + value kept in a dead letter; a larger value is replaced by an excerpt and its digest. */
    public static final int MAX_PAYLOAD_BYTES = 512 * 1024;
    /** Bytes of an oversized value kept as its excerpt. */
    public static final int EXCERPT_BYTES = 4096;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /** Where the failed record came from and its raw bytes. */
    public record Origin(String topic, int partition, long offset, byte[] key, byte[] value, Headers headers) {

        public static Origin of(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
            return new Origin(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers());
        }

        /** The origin of a record a Kafka Streams processor is processing. */
        public static Origin of(org.apache.kafka.streams.processor.api.RecordMetadata m,
                                org.apache.kafka.streams.processor.api.Record<byte[], byte[]> r) {
            return new Origin(m.topic(), m.partition(), m.offset(), r.key(), r.value(), r.headers());
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /**
     * The one dead-letter emitter: logs the skipped record with its topic/partition/offset (WARN, MDC
     * {@code stage} set to {@code stage} when the caller had not), counts it in the stage's metrics and
     * returns the record to write to {@code dlqTopic}.
     */
    public static ProducerRecord<byte[], byte[]> emit(String dlqTopic, Origin origin, String stage, Throwable error,
                                                      int attempts) {
        StageMetrics.of(stage).deadLettered.incrementAndGet();
        boolean own = MDC.get("stage") == null;
        if (own) {
            MDC.put("stage", stage);
        }
        try {
            log.warn("dead-lettering {} to {} after {} attempt(s): {}: {}", origin, dlqTopic, attempts,
                    error.getClass().getSimpleName(), error.getMessage());
        } finally {
            if (own) {
                MDC.remove("stage");
            }
        }
        return record(dlqTopic, origin, stage, error, attempts);
    }

    /** {@link #emit} for a Kafka Streams processor: forwards the dead letter to its sink node {@code child}, which names the physical topic ({@code dlqTopic} only names it in the log). */
    public static void forward(org.apache.kafka.streams.processor.api.ProcessorContext<? super byte[], ? super byte[]> context,
                               org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record, String child,
                               String dlqTopic, String stage, Throwable error) {
        Origin origin = Origin.of(context.recordMetadata().orElseThrow(), record);
        ProducerRecord<byte[], byte[]> dl = emit(dlqTopic, origin, stage, error, 1);
        context.forward(new org.apache.kafka.streams.processor.api.Record<>(dl.key(), dl.value(), record.timestamp(),
                dl.headers()), child);
    }

    /** The dead-letter record for {@code origin}, which failed in {@code stage} with {@code error}. */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, Origin origin, String stage,
                                                        Throwable error, int attempts) {
        RecordHeaders headers = new RecordHeaders();
        if (origin.headers() != null) {
            for (Header h : origin.headers()) {
                if (!h.key().startsWith(PREFIX)) {
                    headers.add(h);
                }
            }
        }
        put(headers, TOPIC, origin.topic());
        put(headers, PARTITION, Integer.toString(origin.partition()));
        put(headers, OFFSET, Long.toString(origin.offset()));
        put(headers, STAGE, stage);
        put(headers, CLASS, error.getClass().getName());
        put(headers, MESSAGE, Objects.toString(error.getMessage(), error.getClass().getSimpleName()));
        if (error.getCause() != null) {
            put(headers, CAUSE, error.getCause().getClass().getName() + ": " + error.getCause().getMessage());
        }
        put(headers, RETRIABLE, Boolean.toString(ErrorClassifier.isRetriable(error)));
        put(headers, ATTEMPTS, Integer.toString(attempts));
        put(headers, TIMESTAMP, Long.toString(System.currentTimeMillis()));
        return new ProducerRecord<>(dlqTopic, null, origin.key(), bounded(origin, headers), headers);
    }

    /** The value, or its first {@link #EXCERPT_BYTES} with its digest and size in headers when too large. */
    private static byte[] bounded(Origin origin, Headers headers) {
        byte[] v = origin.value();
        int keyBytes = origin.key() == null ? 0 : origin.key().length;
        if (v == null || keyBytes + v.length <= MAX_PAYLOAD_BYTES) {
            return v;
        }
        put(headers, PAYLOAD_SHA256, RecordSize.sha256(v));
        put(headers, PAYLOAD_BYTES, Integer.toString(v.length));
        return java.util.Arrays.copyOf(v, EXCERPT_BYTES);
    }

    /** A header's value as text, or null when absent. */
    public static String header(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
