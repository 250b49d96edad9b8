package dev.sluice.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a record that kills the process (a native crash, an out-of-memory exit, a JVM halt) by its
 * offset, so that a crash loop ends in one dead letter instead of a partition that never moves.
 *
 * <p>Before an owner first processes a partition it commits a <em>start mark</em> with the
 * partition's committed offset: {@code crash-check N}, N being how many owners began at that
 * offset without committing past it. A commit past it clears the mark. An owner that finds N >= 1
 * was preceded by a crash (or a stop mid-batch): it goes <em>careful</em>, one record per
 * transaction, each commit marking the next record as started, so the next crash names the exact
 * record. A record found with N at {@code poison.dead.letter.after.crashes} is dead-lettered
 * without being processed again. A graceful stop takes its own mark back.
 */
final class CrashGuard {
    private static final Logger log = LoggerFactory.getLogger(CrashGuard.class);
    static final String METADATA_PREFIX = "crash-check ";

    private final String stage;
    private final int crashesToGiveUp;
    private final int carefulRecords;
    private final Set<TopicPartition> known = new HashSet<>();
    private final Map<TopicPartition, Integer> careful = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> ownMarks = new HashMap<>();

    /** What to do with a polled batch: marks to commit first, records to process, records to give up on. */
    record Screened(Map<TopicPartition, OffsetAndMetadata> marks, ConsumerRecords<byte[], byte[]> toProcess,
                    List<Crasher> crashers, Map<TopicPartition, Long> rewinds) {
    }

    /** A record in flight at {@code crashes} crashes in a row. */
    record Crasher(ConsumerRecord<byte[], byte[]> record, int crashes) {
    }

    CrashGuard(String stage, int crashesToGiveUp, int carefulRecords) {
        this.stage = stage;
        this.crashesToGiveUp = crashesToGiveUp;
        this.carefulRecords = Math.max(1, carefulRecords);
    }

    /** Splits a batch; partitions seen for the first time since their assignment are checked for crash marks. */
    Screened screen(ConsumerRecords<byte[], byte[]> batch, Consumer<byte[], byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> committed = firstSight(batch.partitions(), consumer);
        Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> keep = new HashMap<>();
        List<Crasher> crashers = new ArrayList<>();
        Map<TopicPartition, Long> rewinds = new HashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(tp);
            ConsumerRecord<byte[], byte[]> first = records.get(0);
            if (committed.containsKey(tp)) {
                int starts = startsWithoutProgress(committed.get(tp), first.offset());
                if (starts >= crashesToGiveUp) {
                    log.error("stage {}: {}-{}@{} was in flight at {} crashes in a row; dead-lettering it unprocessed",
                            stage, tp.topic(), tp.partition(), first.offset(), starts);
                    crashers.add(new Crasher(first, starts));
                    careful.put(tp, carefulRecords);
                    rewinds.put(tp, first.offset() + 1);
                    continue;
                }
                OffsetAndMetadata mark = new OffsetAndMetadata(first.offset(), METADATA_PREFIX + (starts + 1));
                marks.put(tp, mark);
                ownMarks.put(tp, mark);
                if (starts > 0) {
                    log.warn("stage {}: a previous owner of {} stopped at offset {} without committing ({} time(s));"
                            + " processing one record per transaction", stage, tp, first.offset(), starts);
                    careful.put(tp, carefulRecords);
                }
            }
            if (careful.containsKey(tp) && records.size() > 1) {
                records = List.of(first);
                rewinds.put(tp, first.offset() + 1);
            }
            keep.put(tp, records);
        }
        return new Screened(marks, new ConsumerRecords<>(keep, Map.of()), crashers, rewinds);
    }

    private Map<TopicPartition, OffsetAndMetadata> firstSight(Set<TopicPartition> partitions,
                                                              Consumer<byte[], byte[]> consumer) {
        Set<TopicPartition> fresh = new HashSet<>(partitions);
        fresh.removeAll(known);
        if (fresh.isEmpty() || crashesToGiveUp <= 0) {
            known.addAll(fresh);
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(consumer.committed(fresh));
        fresh.forEach(tp -> committed.putIfAbsent(tp, null));
        known.addAll(fresh);
        return committed;
    }

    static int startsWithoutProgress(OffsetAndMetadata committed, long firstOffset) {
        if (committed == null || committed.offset() != firstOffset || committed.metadata() == null
                || !committed.metadata().startsWith(METADATA_PREFIX)) {
            return 0;
        }
        try {
            return Integer.parseInt(committed.metadata().substring(METADATA_PREFIX.length()).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The metadata a commit of {@code next} carries for the partition: while careful, the mark of the
     * record about to start; otherwise none (a commit past a mark clears it).
     */
    OffsetAndMetadata committing(TopicPartition tp, long next) {
        ownMarks.remove(tp);
        Integer left = careful.computeIfPresent(tp, (k, n) -> n > 1 ? n - 1 : null);
        if (left == null) {
            return new OffsetAndMetadata(next);
        }
        OffsetAndMetadata mark = new OffsetAndMetadata(next, METADATA_PREFIX + 1);
        ownMarks.put(tp, mark);
        return mark;
    }

    /**
     * The metadata a commit of {@code next} carries while records from {@code next} on are still in
     * flight (a batch committing as its records finish): this owner's start mark there, so a crash
     * before they commit counts as one at the start of a batch.
     */
    OffsetAndMetadata inFlight(TopicPartition tp, long next) {
        if (crashesToGiveUp <= 0) {
            return new OffsetAndMetadata(next);
        }
        OffsetAndMetadata mark = new OffsetAndMetadata(next, METADATA_PREFIX + 1);
        ownMarks.put(tp, mark);
        return mark;
    }

    /**
     * Marks this owner made and did not get past, taken back on a graceful stop (one start fewer
     * each); only where the committed offset and metadata are still this owner's mark.
     */
    Map<TopicPartition, OffsetAndMetadata> release(Consumer<byte[], byte[]> consumer) {
        if (ownMarks.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> now = consumer.committed(ownMarks.keySet());
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        ownMarks.forEach((tp, m) -> {
            OffsetAndMetadata c = now.get(tp);
            if (c != null && c.offset() == m.offset() && m.metadata().equals(c.metadata())) {
                int n = startsWithoutProgress(m, m.offset()) - 1;
                out.put(tp, new OffsetAndMetadata(m.offset(), n > 0 ? METADATA_PREFIX + n : ""));
            }
        });
        ownMarks.clear();
        return out;
    }

    /** A partition leaving: its next owner reads the marks afresh. */
    void forget(Collection<TopicPartition> partitions) {
        known.removeAll(partitions);
        careful.keySet().removeAll(partitions);
        ownMarks.keySet().removeAll(partitions);
    }
}
