package dev.sluice.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a part of a batch commits: per partition everything up to its first stalled record (whose
 * offset is committed with the stall's description, for {@code sluice status}), a stalled record
 * given up on as its dead letter, and the crash marks of partitions with records still in flight.
 */
record BatchPlan(List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                 Set<TopicPartition> stalled) {

    static BatchPlan of(List<RecordResult> results, Set<TopicPartition> unfinished, StallTracker stalls,
                        CrashGuard crashes, UnaryOperator<RecordResult> deadLetter) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> stalled = new HashSet<>();
        for (RecordResult r : results) {
            TopicPartition tp = new TopicPartition(r.origin().topic(), r.origin().partition());
            if (stalled.contains(tp)) {
                continue; // after a stalled record: redone once the partition resumes, in order
            }
            if (r.isStalled()) {
                if (!stalls.stalledAgain(tp, r)) {
                    stalled.add(tp);
                    continue;
                }
                r = deadLetter.apply(RecordResult.stalled(r.origin(), r.error(), stalls.attempts(tp), r.repeats()));
            }
            stalls.clear(tp);
            out.addAll(r.records());
            long next = r.origin().offset() + 1;
            offsets.put(tp, unfinished.contains(tp) ? crashes.inFlight(tp, next) : crashes.committing(tp, next));
        }
        for (TopicPartition tp : stalled) {
            offsets.put(tp, new OffsetAndMetadata(stalls.offset(tp), stalls.metadata(tp)));
        }
        return new BatchPlan(out, offsets, stalled);
    }
}
