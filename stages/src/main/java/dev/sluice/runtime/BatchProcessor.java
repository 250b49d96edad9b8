package dev.sluice.runtime;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/** Processes a polled batch; gives up on a stalled record by turning it into its dead letter. */
interface BatchProcessor {
    List<RecordResult> process(ConsumerRecords<byte[], byte[]> batch) throws Exception;

    /**
     * Processes a polled batch, handing its results to {@code commit} in one or more parts as
     * they may commit (see {@link FlowingBatch}); by default the whole batch at the end.
     */
    default void process(ConsumerRecords<byte[], byte[]> batch, Committer commit) throws Exception {
        commit.commit(process(batch), Set.of());
    }

    RecordResult deadLetter(RecordResult stalled);

    /** Commits a part of a batch. */
    interface Committer {
        /**
         * Commits {@code done}: per partition the records after the last committed one, in
         * offset order, a stalled record only with everything after it in the batch.
         * {@code unfinished} are the partitions with records of the batch still in flight.
         * False when nothing more of the batch may commit (stopping, or the transaction was
         * aborted and the partitions rewound): the processor then drops the rest.
         */
        boolean commit(List<RecordResult> done, Set<TopicPartition> unfinished);
    }
}
