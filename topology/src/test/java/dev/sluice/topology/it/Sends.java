package dev.sluice.topology.it;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Test input written for sure. A bare {@code producer.send} hides its failure in the returned
 * future: right after a broker start, a send that waited out the metadata of a topic just created
 * failed silently, and a test missed one of its inputs (SummariesIT, doc-0).
 */
public final class Sends {
    private static final int ATTEMPTS = 3;

    private Sends() {
    }

    /** Sends {@code record} and waits for the broker's acknowledgement, again on a retriable error. */
    public static <K, V> RecordMetadata confirmed(Producer<K, V> producer, ProducerRecord<K, V> record) {
        for (int attempt = 1; ; attempt++) {
            try {
                return producer.send(record).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || attempt == ATTEMPTS) {
                    throw new AssertionError("test input not written to " + record.topic() + " after " + attempt
                            + " attempt(s)", e.getCause());
                }
            } catch (Exception e) {
                throw new AssertionError("test input not written to " + record.topic(), e);
            }
        }
    }
}
