package dev.sluice.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once v2 consume-process-produce loop shared by every per-record stage: poll a batch,
 * process it, then write the outputs and the offsets after them in one transaction.
 *
 * <p>Nothing is lost to routine events: a record still failing with a retriable error after its
 * in-place retries <em>stalls</em> its partition. The records before it commit; the partition is
 * rewound to it and paused with a capped, doubling backoff, then tried again, for as long as the
 * outage lasts, while other partitions flow. Only a non-outage failure that repeats identically
 * {@code stall.dead.letter.after.identical.failures} times is dead-lettered. A failed transaction
 * is aborted and every partition rewound to its committed offset; a {@code commitTransaction} that
 * times out is retried (see {@link LoopTransactions}). A record that keeps killing the process is
 * found by its offset and dead-lettered (see {@link CrashGuard}). On {@link #close} the open batch is
 * abandoned (never committed, never dead-lettered) and replayed by the partition's next owner.
 */
final class TransactionalLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);

    private final String stage;
    private final String topic;
    private final KafkaClients clients;
    private final BatchProcessor processor;
    private final StallTracker stalls;
    private final CrashGuard crashes;
    private final LoopTransactions transactions;
    private final ConsumerLoop loop;
    private volatile boolean stopped;

    TransactionalLoop(String stage, String topic, RunnerSettings s, BatchProcessor processor, KafkaClients clients) {
        this(stage, topic, s.stall(), s.maxPollRecords(), processor, clients, Clock.systemUTC());
    }

    TransactionalLoop(String stage, String topic, RuntimeConfig.StallPolicy policy, int batchSize,
                      BatchProcessor processor, KafkaClients clients, Clock clock) {
        this.stage = stage;
        this.topic = topic;
        this.processor = processor;
        this.clients = clients;
        this.stalls = new StallTracker(policy, clock);
        this.crashes = new CrashGuard(stage, policy.crashesToGiveUp(), batchSize);
        this.transactions = new LoopTransactions(stage, clients, policy.commitAttempts(), () -> stopped || !running());
        this.loop = new ConsumerLoop(stage, topic, clients.consumer(), new Body());
    }

    /** The loop's Kafka clients, for metrics binders (read their metrics only). */
    List<Object> clients() {
        return List.of(clients.consumer(), clients.producer());
    }

    List<Stall> stalls() {
        return stalls.snapshot();
    }

    void start(Consumer<Throwable> fatalHandler) {
        loop.start(fatalHandler);
    }

    /** The loop's work on its batches: transactions, stalls and rewinds. */
    private final class Body implements ConsumerLoop.Body {
        @Override
        public void open() {
            clients.producer().initTransactions(); // fences an older instance of this transactional id
            log.debug("stage {} consuming {} transactionally", stage, topic);
        }

        @Override
        public ConsumerRebalanceListener listener() {
            return new ForgetRevoked();
        }

        @Override
        public void beforePoll() {
            List<TopicPartition> due = stalls.due();
            if (!due.isEmpty()) {
                clients.consumer().resume(due);
            }
        }

        @Override
        public void handle(ConsumerRecords<byte[], byte[]> batch, java.util.function.BooleanSupplier running) throws Exception {
            CrashGuard.Screened screened = crashes.screen(batch, clients.consumer());
            screened.rewinds().forEach(clients.consumer()::seek);
            if (!screened.marks().isEmpty() && !transactions.commit(List.of(), screened.marks())) {
                return; // the start marks did not commit: the batch is replayed
            }
            // shutting down: the rest of the batch is abandoned, its next owner replays it
            BatchProcessor.Committer part = (done, unfinished) -> running.getAsBoolean() && !stopped
                    && commit(plan(done, unfinished));
            List<RecordResult> crashed = new ArrayList<>();
            for (CrashGuard.Crasher c : screened.crashers()) {
                crashed.add(processor.deadLetter(RecordResult.stalled(DeadLetters.Origin.of(c.record()),
                        new ProcessCrashException(stage, c.crashes()), c.crashes(), c.crashes())));
            }
            if (!crashed.isEmpty() && !part.commit(crashed, Set.of())) {
                return;
            }
            try {
                if (!screened.toProcess().isEmpty()) {
                    processor.process(screened.toProcess(), part);
                }
            } catch (InterruptedException e) {
                abandoned(batch);
                throw e;
            }
            if (!running.getAsBoolean() || stopped) {
                abandoned(batch);
            }
        }

        private void abandoned(ConsumerRecords<byte[], byte[]> batch) {
            log.info("stage {}: stopping mid-batch ({} records of {}): what it had not committed is abandoned,"
                    + " replayed by the partitions' next owner", stage, batch.count(), batch.partitions());
        }

        @Override
        public void closeResources() {
            if (stopped || !running()) {
                releaseMarks();
            }
            clients.producer().close(Duration.ofSeconds(2)); // aborts an open transaction
        }
    }

    /** A graceful stop takes back its crash marks, so the next owner does not go careful for nothing. */
    private void releaseMarks() {
        try {
            Map<TopicPartition, OffsetAndMetadata> marks = crashes.release(clients.consumer());
            if (!marks.isEmpty()) {
                transactions.commit(List.of(), marks);
            }
        } catch (RuntimeException e) {
            log.debug("stage {}: crash marks not released: {}", stage, e.toString());
        }
    }

    private boolean running() {
        return loop == null || loop.running();
    }

    /** As the loop's thread does before its first poll (tests drive the loop with {@link #step}). */
    void open() {
        new Body().open();
        clients.consumer().subscribe(Set.of(topic), new ForgetRevoked());
    }

    /** One poll of the loop: resume partitions whose pause is over, process the batch, commit what may commit. */
    void step() throws Exception {
        Body body = new Body();
        body.beforePoll();
        ConsumerRecords<byte[], byte[]> batch = clients.consumer().poll(ConsumerLoop.POLL_TIMEOUT);
        if (!batch.isEmpty()) {
            body.handle(batch, () -> !stopped);
        }
    }

    private BatchPlan plan(List<RecordResult> results, Set<TopicPartition> unfinished) {
        return BatchPlan.of(results, unfinished, stalls, crashes, processor::deadLetter);
    }

    /** Commits a plan and holds its stalled partitions back; false when its transaction was aborted. */
    private boolean commit(BatchPlan plan) {
        if (!plan.offsets().isEmpty() && !transactions.commit(plan.records(), plan.offsets())) {
            return false;
        }
        holdBack(plan.stalled());
        return true;
    }

    /** Rewinds each stalled partition to its stalled record and pauses it until its backoff is over. */
    private void holdBack(Set<TopicPartition> stalled) {
        for (TopicPartition tp : stalled) {
            clients.consumer().seek(tp, stalls.offset(tp));
        }
        if (!stalled.isEmpty()) {
            clients.consumer().pause(stalled);
            log.warn("stage {}: stalled {}", stage, stalls.snapshot());
        }
        dev.sluice.runtime.StageMetrics.of(stage).stalledPartitions.set(stalls.size());
    }

    /** A revoked partition's stall and crash marks are its next owner's business. */
    private final class ForgetRevoked implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            stalls.clear(partitions);
            crashes.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            stalls.clear(partitions);
            crashes.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // nothing kept across assignments
        }
    }

    /** Stops the loop: the open batch is abandoned (never committed), then the clients close. */
    @Override
    public void close() {
        stop();
        loop.close();
    }

    /** Marks the loop stopping: a batch being processed is not committed. */
    void stop() {
        stopped = true;
    }
}
