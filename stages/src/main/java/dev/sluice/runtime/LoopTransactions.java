package dev.sluice.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of the loop: records and input offsets written atomically, bound to the consumer
 * group's generation; a timed-out {@code commitTransaction} retried; any other failure aborted and
 * every assigned partition rewound to its committed offset, so the batch is replayed.
 */
final class LoopTransactions {
    private static final Logger log = LoggerFactory.getLogger(LoopTransactions.class);

    private final String stage;
    private final KafkaClients clients;
    private final int commitAttempts;
    private final BooleanSupplier stopping;

    LoopTransactions(String stage, KafkaClients clients, int commitAttempts, BooleanSupplier stopping) {
        this.stage = stage;
        this.clients = clients;
        this.commitAttempts = commitAttempts;
        this.stopping = stopping;
    }

    /** Writes {@code records} and commits {@code offsets} in one transaction; false when it was aborted and rewound. */
    boolean commit(List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            clients.producer().beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                clients.producer().send(r);
            }
            clients.producer().sendOffsetsToTransaction(offsets, clients.consumer().groupMetadata());
            commitWithRetry();
            return true;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e; // another instance owns our transactional id: this one must stop
        } catch (KafkaException e) {
            if (stopping.getAsBoolean()) {
                throw e; // interrupted by close: the producer's close aborts the transaction
            }
            log.warn("stage {}: transaction of {} records failed ({}); aborting and replaying", stage, records.size(),
                    e.toString());
            clients.producer().abortTransaction();
            rewind(clients.consumer().assignment());
            return false;
        }
    }

    private void commitWithRetry() {
        for (int attempt = 1; ; attempt++) {
            try {
                clients.producer().commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt >= commitAttempts) {
                    throw e;
                }
                log.warn("stage {}: commitTransaction timed out (attempt {} of {}); retrying", stage, attempt, commitAttempts);
            }
        }
    }

    private void rewind(Set<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> committed = clients.consumer().committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata om = committed.get(tp);
            if (om == null) {
                clients.consumer().seekToBeginning(Set.of(tp));
            } else {
                clients.consumer().seek(tp, om.offset());
            }
        }
    }
}
