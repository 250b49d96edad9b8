package dev.sluice.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A polled batch processed on a worker pool whose results commit as they finish, not all at the
 * end: each commit takes, per partition, the finished records that follow the last committed one
 * in offset order, so a partition's offset only ever advances past records that are done. A
 * partition whose next record stalled is held back until its whole share of the batch is done and
 * then handed over at once, so the loop decides on the stall exactly as for a whole batch. Commits
 * come at most once per {@code minInterval} while records are in flight; the batch's last records
 * commit at once. Once a commit is refused (the loop is stopping, or a transaction was aborted and
 * the partitions rewound), nothing more of the batch is committed.
 */
final class FlowingBatch {
    /** A record on the pool; {@code done()} signals the batch after the result is set. */
    private static final class Task extends FutureTask<RecordResult> {
        private final Semaphore finished;

        Task(ConsumerRecord<byte[], byte[]> record, Function<ConsumerRecord<byte[], byte[]>, RecordResult> work,
             Semaphore finished) {
            super(() -> work.apply(record));
            this.finished = finished;
        }

        @Override
        protected void done() {
            finished.release();
        }
    }

    private final Map<TopicPartition, Deque<Task>> pending = new HashMap<>();
    private final Semaphore finished = new Semaphore(0);
    private final Duration minInterval;

    private FlowingBatch(Duration minInterval) {
        this.minInterval = minInterval;
    }

    /** Processes {@code batch} with {@code work} on {@code pool}, handing finished records to {@code commit}. */
    static void run(ConsumerRecords<byte[], byte[]> batch, Executor pool,
                    Function<ConsumerRecord<byte[], byte[]>, RecordResult> work, Duration minInterval,
                    BatchProcessor.Committer commit) throws InterruptedException, ExecutionException {
        FlowingBatch b = new FlowingBatch(minInterval);
        for (TopicPartition tp : batch.partitions()) {
            Deque<Task> tasks = new ArrayDeque<>();
            for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                Task t = new Task(r, work, b.finished);
                tasks.add(t);
                pool.execute(t);
            }
            b.pending.put(tp, tasks);
        }
        b.flow(commit);
    }

    private void flow(BatchProcessor.Committer commit) throws InterruptedException, ExecutionException {
        List<RecordResult> ready = new ArrayList<>();
        long lastCommit = System.nanoTime() - minInterval.toNanos();
        while (!pending.isEmpty()) {
            long wait = ready.isEmpty() ? Long.MAX_VALUE : minInterval.toNanos() - (System.nanoTime() - lastCommit);
            if (wait == Long.MAX_VALUE) {
                finished.acquire();
            } else if (wait > 0) {
                finished.tryAcquire(wait, TimeUnit.NANOSECONDS);
            }
            finished.drainPermits();
            collect(ready);
            if (!ready.isEmpty() && (pending.isEmpty() || System.nanoTime() - lastCommit >= minInterval.toNanos())) {
                if (!commit.commit(ready, new HashSet<>(pending.keySet()))) {
                    abandon();
                    return;
                }
                ready = new ArrayList<>();
                lastCommit = System.nanoTime();
            }
        }
    }

    /** Moves each partition's finished prefix to {@code ready}; a stalled record only with the rest of its partition. */
    private void collect(List<RecordResult> ready) throws InterruptedException, ExecutionException {
        for (Iterator<Map.Entry<TopicPartition, Deque<Task>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Deque<Task> tasks = it.next().getValue();
            while (!tasks.isEmpty() && tasks.peekFirst().isDone() && !tasks.peekFirst().get().isStalled()) {
                ready.add(tasks.pollFirst().get());
            }
            if (!tasks.isEmpty() && tasks.stream().allMatch(Task::isDone)) {
                for (Task t : tasks) {
                    ready.add(t.get()); // a stalled record and what follows it: the loop holds the partition back
                }
                tasks.clear();
            }
            if (tasks.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Waits for the records still in flight, whose results are dropped: their partitions are replayed. */
    private void abandon() throws InterruptedException {
        for (Deque<Task> tasks : pending.values()) {
            for (Task t : tasks) {
                try {
                    t.get();
                } catch (ExecutionException e) {
                    // dropped with the rest of the batch
                }
            }
        }
    }
}
