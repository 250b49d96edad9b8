package dev.sluice.runtime;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What became of one input record in a batch: the records to write (its outputs, or one dead letter),
 * or a retriable failure that outlived the in-place retries, which stalls the record's partition.
 *
 * @param origin   the input record
 * @param records  what to write when done; empty when stalled
 * @param error    the failure when stalled; null when done
 * @param attempts attempts made in this batch
 * @param repeats  how many of the last attempts failed identically (same class and message)
 */
public record RecordResult(DeadLetters.Origin origin, List<ProducerRecord<byte[], byte[]>> records, Throwable error,
                           int attempts, int repeats) {

    public static RecordResult done(DeadLetters.Origin origin, List<ProducerRecord<byte[], byte[]>> records) {
        return new RecordResult(origin, List.copyOf(records), null, 0, 0);
    }

    public static RecordResult stalled(DeadLetters.Origin origin, Throwable error, int attempts, int repeats) {
        return new RecordResult(origin, List.of(), error, attempts, repeats);
    }

    public boolean isStalled() {
        return error != null;
    }
}
