package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Reading and taking back the crash marks of {@link CrashGuard}. */
class CrashGuardTest {
    private static final TopicPartition P0 = new TopicPartition("in", 0);

    @Test
    void shouldCountStartsOnlyAtTheSameOffsetWithAMark() {
        assertThat(CrashGuard.startsWithoutProgress(new OffsetAndMetadata(5, "crash-check 2"), 5)).isEqualTo(2);
        assertThat(CrashGuard.startsWithoutProgress(new OffsetAndMetadata(5, "crash-check 2"), 6)).isZero();
        assertThat(CrashGuard.startsWithoutProgress(new OffsetAndMetadata(5, "stalled since x"), 5)).isZero();
        assertThat(CrashGuard.startsWithoutProgress(new OffsetAndMetadata(5, "crash-check x"), 5)).isZero();
        assertThat(CrashGuard.startsWithoutProgress(null, 5)).isZero();
    }

    @Test
    void shouldTakeBackItsOwnMarkOnAGracefulStopWhileItIsStillTheCommittedOne() {
        MockConsumer<byte[], byte[]> consumer = consumerAt(new OffsetAndMetadata(4, "crash-check 1"));
        CrashGuard guard = new CrashGuard("s", 3, 10);
        CrashGuard.Screened s = guard.screen(batchAt(4), consumer);
        assertThat(s.marks()).containsEntry(P0, new OffsetAndMetadata(4, "crash-check 2"));
        consumer.commitSync(s.marks());
        assertThat(guard.release(consumer)).containsEntry(P0, new OffsetAndMetadata(4, "crash-check 1"));
    }

    @Test
    void shouldLeaveAMarkAloneOnceSomethingElseWasCommittedOverIt() {
        MockConsumer<byte[], byte[]> consumer = consumerAt(null);
        CrashGuard guard = new CrashGuard("s", 3, 10);
        consumer.commitSync(guard.screen(batchAt(0), consumer).marks());
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, "stalled since now")));
        assertThat(guard.release(consumer)).isEmpty();
    }

    @Test
    void shouldNeverCheckWhenTurnedOff() {
        CrashGuard guard = new CrashGuard("s", 0, 10);
        CrashGuard.Screened s = guard.screen(batchAt(4), consumerAt(new OffsetAndMetadata(4, "crash-check 9")));
        assertThat(s.marks()).isEmpty();
        assertThat(s.crashers()).isEmpty();
        assertThat(s.toProcess().count()).isEqualTo(2);
    }

    private static MockConsumer<byte[], byte[]> consumerAt(OffsetAndMetadata committed) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0));
        if (committed != null) {
            consumer.commitSync(Map.of(P0, committed));
        }
        return consumer;
    }

    private static ConsumerRecords<byte[], byte[]> batchAt(long offset) {
        return new ConsumerRecords<>(Map.of(P0, List.of(new ConsumerRecord<>("in", 0, offset, null, new byte[0]),
                new ConsumerRecord<>("in", 0, offset + 1, null, new byte[0]))), Map.of());
    }
}
