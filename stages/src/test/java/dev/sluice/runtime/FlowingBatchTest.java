package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch whose records commit as they finish: per partition in offset order, stalls whole, refusals final. */
class FlowingBatchTest {
    private static final TopicPartition P0 = new TopicPartition("in", 0);
    private static final TopicPartition P1 = new TopicPartition("in", 1);

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** Values whose processing waits for {@link #release}. */
    private final Map<String, CountDownLatch> slow = new HashMap<>();
    private final Set<String> stalling = new java.util.HashSet<>();
    /** Each commit: the values in it and the partitions then still unfinished. */
    private final List<List<String>> commits = new CopyOnWriteArrayList<>();
    private final List<Set<TopicPartition>> unfinished = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        slow.values().forEach(CountDownLatch::countDown);
        pool.shutdownNow();
    }

    @Test
    void shouldCommitAFinishedRecordWhileASlowerOneOfTheBatchIsStillInFlight() throws Exception {
        slow("b");
        Thread loop = runInBackground(batch(Map.of(P0, List.of("a"), P1, List.of("b"))), true);
        awaitCommits(1);
        assertThat(commits.get(0)).containsExactly("a");
        assertThat(unfinished.get(0)).containsExactly(P1);
        release("b");
        loop.join(5_000);
        assertThat(commits).containsExactly(List.of("a"), List.of("b"));
        assertThat(unfinished.get(1)).isEmpty();
    }

    @Test
    void shouldNeverCommitARecordBeforeAnEarlierRecordOfItsPartitionIsDone() throws Exception {
        slow("a");
        Thread loop = runInBackground(batch(Map.of(P0, List.of("a", "b", "c"))), true);
        Thread.sleep(300); // b and c finish long before a
        assertThat(commits).isEmpty();
        release("a");
        loop.join(5_000);
        assertThat(commits).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void shouldHandOverAStalledRecordOnlyTogetherWithTheRestOfItsPartition() throws Exception {
        stalling.add("a");
        slow("c");
        Thread loop = runInBackground(batch(Map.of(P0, List.of("a", "b", "c"), P1, List.of("d"))), true);
        awaitCommits(1);
        assertThat(commits.get(0)).containsExactly("d");
        release("c");
        loop.join(5_000);
        assertThat(commits).containsExactly(List.of("d"), List.of("a", "b", "c"));
    }

    @Test
    void shouldCommitNothingMoreOfTheBatchOnceACommitIsRefused() throws Exception {
        slow("b");
        Thread loop = runInBackground(batch(Map.of(P0, List.of("a"), P1, List.of("b"))), false);
        awaitCommits(1);
        release("b");
        loop.join(5_000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(commits).containsExactly(List.of("a"));
    }

    @Test
    void shouldGatherWhatFinishesWithinTheMinimumIntervalIntoOneCommit() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            values.add("v" + i);
        }
        FlowingBatch.run(batch(Map.of(P0, values)), pool, this::process, Duration.ofMinutes(1), this::record);
        assertThat(commits).hasSizeLessThanOrEqualTo(2); // the first finished record may go at once
        assertThat(commits.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(values);
    }

    private Thread runInBackground(ConsumerRecords<byte[], byte[]> batch, boolean accept) {
        Thread t = new Thread(() -> {
            try {
                FlowingBatch.run(batch, pool, this::process, Duration.ZERO, (done, open) -> record(done, open) && accept);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    private boolean record(List<RecordResult> done, Set<TopicPartition> open) {
        commits.add(done.stream().map(r -> new String(r.origin().value(), StandardCharsets.UTF_8)).toList());
        unfinished.add(Set.copyOf(open));
        return true;
    }

    private RecordResult process(ConsumerRecord<byte[], byte[]> r) {
        String v = new String(r.value(), StandardCharsets.UTF_8);
        CountDownLatch latch = slow.get(v);
        try {
            if (latch != null && !latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released: " + v);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DeadLetters.Origin origin = DeadLetters.Origin.of(r);
        return stalling.contains(v) ? RecordResult.stalled(origin, new IllegalStateException("down"), 1, 1)
                : RecordResult.done(origin, List.of());
    }

    private void slow(String value) {
        slow.put(value, new CountDownLatch(1));
    }

    private void release(String value) {
        slow.get(value).countDown();
    }

    private void awaitCommits(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (commits.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(commits).hasSizeGreaterThanOrEqualTo(n);
    }

    private static ConsumerRecords<byte[], byte[]> batch(Map<TopicPartition, List<String>> values) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
        values.forEach((tp, vs) -> {
            List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
            for (int i = 0; i < vs.size(); i++) {
                list.add(new ConsumerRecord<>(tp.topic(), tp.partition(), i, null, vs.get(i).getBytes(StandardCharsets.UTF_8)));
            }
            records.put(tp, list);
        });
        return new ConsumerRecords<>(records, Map.of());
    }
}
