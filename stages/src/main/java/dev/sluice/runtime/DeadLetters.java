package dev.sluice.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

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

    private DeadLetters() {
    }

    /** Where the failed record came from and its raw bytes. */
    public record Origin(String topic, int partition, long offset, byte[] key, byte[] value, Headers headers) {
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
        return new ProducerRecord<>(dlqTopic, null, origin.key(), origin.value(), headers);
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
