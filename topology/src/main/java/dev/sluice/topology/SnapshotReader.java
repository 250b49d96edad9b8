package dev.sluice.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads assigned partitions from their beginning up to the end offsets they had when the read
 * started, so a read of a topic that is still being written terminates. With a read_committed
 * consumer the end is the last stable offset: records of open transactions are not waited for.
 */
final class SnapshotReader {
    static final Duration STALL = Duration.ofSeconds(60);

    private SnapshotReader() {
    }

    /** Calls {@code each} for every record below the snapshot's end; fails after {@link #STALL} without progress. */
    static void read(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        long position = -1;
        long lastProgress = System.nanoTime();
        while (remaining(c, parts, end) > 0) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    each.accept(r);
                }
            }
            long now = parts.stream().mapToLong(c::position).sum();
            if (now != position) {
                position = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("no progress reading " + parts + " for " + STALL.toSeconds()
                        + " s; is the Kafka cluster reachable?");
            }
        }
    }

    private static long remaining(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> end) {
        long n = 0;
        for (TopicPartition tp : parts) {
            long left = end.get(tp) - c.position(tp);
            if (left <= 0) {
                c.pause(List.of(tp));
            }
            n += Math.max(0, left);
        }
        return n;
    }
}
