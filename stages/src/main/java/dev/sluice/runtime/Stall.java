package dev.sluice.runtime;

import java.time.Instant;

/**
 * A partition the stage holds back because its next record keeps failing with a retriable error.
 *
 * @param topic     the input topic
 * @param partition the partition
 * @param offset    the record being retried
 * @param since     when the record first failed
 * @param attempts  attempts so far
 * @param lastError the last error, as {@code Class: message}
 */
public record Stall(String topic, int partition, long offset, Instant since, int attempts, String lastError) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " stalled since " + since + " (" + attempts
                + " attempts), last error " + lastError;
    }
}
