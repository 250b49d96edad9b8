package dev.sluice.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * The exactly-once v2 consume-process-produce loop shared by every per-record stage: poll a batch,
 * process it, then write the outputs and the offsets after them in one transaction.
 *
 * <p>Nothing is lost to routine events: a record still failing with a retriable error after its
 * in-place retries <em>stalls</em> its partition. The records before it commit; the partition is
 * rewound to it and paused with a capped, doubling backoff, then tried again, for as long as the
 * outage lasts, while other partitions flow. Only a non-outage failure that repeats identically
 * {@code stall.dead.letter.after.identical.failures} times is dead-lettered. A failed transaction
 * is aborted and every partition rewound to its committed offset; a {@code commitTransaction} that
 * times out is retried. On {@link #close} the open batch is abandoned (never committed, never
 * dead-lettered) and replayed by the partition's next owner.
 */
final class TransactionalLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(8);

    /** Processes a polled batch; gives up on a stalled record by turning it into its dead letter. */
    interface BatchProcessor {
        List<RecordResult> process(ConsumerRecords<byte[], byte[]> batch) throws Exception;

        RecordResult deadLetter(RecordResult stalled);
    }

    private final String stage;
    private final String topic;
    private final KafkaClients clients;
    private final BatchProcessor processor;
    private final RuntimeConfig.StallPolicy policy;
    private final StallTracker stalls;
    private final Thread thread;
    private volatile boolean running = true;
    private Consumer<Throwable> onFatal = t -> { };

    TransactionalLoop(String stage, String topic, RunnerSettings s, BatchProcessor processor, KafkaClients clients) {
        this(stage, topic, s.stall(), processor, clients, Clock.systemUTC());
    }

    TransactionalLoop(String stage, String topic, RuntimeConfig.StallPolicy policy, BatchProcessor processor,
                      KafkaClients clients, Clock clock) {
        this.stage = stage;
        this.topic = topic;
        this.processor = processor;
        this.clients = clients;
        this.policy = policy;
        this.stalls = new StallTracker(policy, clock);
        this.thread = new Thread(this::run, "sluice-" + stage + "-loop");
    }

    /** The loop's Kafka clients, for metrics binders (read their metrics only). */
    List<Object> clients() {
        return List.of(clients.consumer(), clients.producer());
    }

    List<Stall> stalls() {
        return stalls.snapshot();
    }

    void start(Consumer<Throwable> fatalHandler) {
        this.onFatal = fatalHandler;
        thread.start();
    }

    private void run() {
        try {
            clients.producer().initTransactions();
            clients.consumer().subscribe(Set.of(topic), new ForgetRevoked());
            log.debug("stage {} consuming {} transactionally", stage, topic);
            while (running) {
                step();
            }
        } catch (Throwable t) {
            if (running && !TransactionalStageRunner.isWakeup(t) && !(t instanceof org.apache.kafka.common.errors.InterruptException)) {
                log.error("stage {} stopped on a fatal error", stage, t);
                onFatal.accept(t);
            }
        } finally {
            closeClients();
        }
    }

    /** One poll: resume partitions whose pause is over, process the batch, commit what may commit. */
    void step() throws Exception {
        List<TopicPartition> due = stalls.due();
        if (!due.isEmpty()) {
            clients.consumer().resume(due);
        }
        ConsumerRecords<byte[], byte[]> batch = clients.consumer().poll(TransactionalStageRunner.pollTimeout());
        if (batch.isEmpty()) {
            return;
        }
        List<RecordResult> results = processor.process(batch);
        if (!running) {
            return; // shutting down: abandon the batch, its next owner replays it
        }
        commit(plan(results));
    }

    /** What a batch commits: everything up to each partition's first stalled record. */
    private record Plan(List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                        Set<TopicPartition> stalled, int count) {
    }

    private Plan plan(List<RecordResult> results) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> stalled = new HashSet<>();
        int count = 0;
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
                r = processor.deadLetter(r);
            }
            stalls.clear(tp);
            out.addAll(r.records());
            offsets.put(tp, new OffsetAndMetadata(r.origin().offset() + 1));
            count++;
        }
        return new Plan(out, offsets, stalled, count);
    }

    private void commit(Plan plan) {
        if (!plan.offsets().isEmpty()) {
            try {
                clients.producer().beginTransaction();
                for (ProducerRecord<byte[], byte[]> r : plan.records()) {
                    clients.producer().send(r);
                }
                clients.producer().sendOffsetsToTransaction(plan.offsets(), clients.consumer().groupMetadata());
                commitWithRetry();
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                throw e; // another instance owns our transactional id: this one must stop
            } catch (KafkaException e) {
                if (!running) {
                    throw e; // interrupted by close: the producer's close aborts the transaction
                }
                log.warn("stage {}: transaction of {} records failed ({}); aborting and replaying", stage, plan.count(), e.toString());
                clients.producer().abortTransaction();
                rewind(clients.consumer().assignment());
                return;
            }
        }
        holdBack(plan.stalled());
    }

    private void commitWithRetry() {
        for (int attempt = 1; ; attempt++) {
            try {
                clients.producer().commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt >= policy.commitAttempts()) {
                    throw e;
                }
                log.warn("stage {}: commitTransaction timed out (attempt {} of {}); retrying", stage, attempt, policy.commitAttempts());
            }
        }
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

    /** A revoked partition's stall is its next owner's business. */
    private final class ForgetRevoked implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            stalls.clear(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            stalls.clear(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // nothing kept across assignments
        }
    }

    /** Stops the loop: the open batch is abandoned (never committed), then the clients close. */
    @Override
    public void close() {
        running = false;
        clients.consumer().wakeup();
        thread.interrupt();
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the clients within their timeouts. The interrupt of {@link #close} has done its job (it
     * ended the batch) and is cleared first: closing interrupted clients would fail mid-way, leave the
     * group unannounced and log errors for an ordinary stop.
     */
    private void closeClients() {
        boolean interrupted = Thread.interrupted();
        try {
            clients.producer().close(Duration.ofSeconds(2)); // aborts an open transaction
        } catch (KafkaException e) {
            log.debug("stage {}: closing the producer: {}", stage, e.toString());
        }
        try {
            // a static member leaves explicitly on a clean stop, so a scale-down hands its partitions over at once
            clients.consumer().close(CloseOptions.timeout(Duration.ofSeconds(3))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (KafkaException e) {
            log.debug("stage {}: closing the consumer: {}", stage, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
