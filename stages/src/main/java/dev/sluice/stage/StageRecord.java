package dev.sluice.stage;

import org.apache.kafka.common.header.Headers;

/**
 * An input record handed to {@link Stage#process}, with where it came from.
 *
 * @param topic     origin topic
 * @param partition origin partition
 * @param offset    origin offset
 * @param timestamp record timestamp (ms since the epoch)
 * @param key       deserialized key (may be null)
 * @param value     deserialized value (may be null for a tombstone)
 * @param headers   the record's headers (read-only by convention)
 */
public record StageRecord<K, V>(String topic, int partition, long offset, long timestamp,
                                K key, V value, Headers headers) {

    /** "topic-partition@offset", the form used in logs and dead-letter messages. */
    public String origin() {
        return topic + "-" + partition + "@" + offset;
    }
}
