package dev.sluice.runtime;

import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Runs a per-record {@link Stage} in a transactional consume-process-produce loop. Each polled batch
 * is processed on {@code concurrency} threads; its outputs, dead letters and input offsets are then
 * committed in one Kafka transaction bound to the consumer group's generation (exactly-once v2). A
 * crash before the commit aborts the batch and a replay redoes it; nothing is written twice to
 * read_committed readers. A record that keeps failing with a retriable error stalls its partition
 * (see {@link TransactionalLoop}) instead of being dead-lettered.
 */
public final class TransactionalStageRunner<KI, VI, KO, VO> implements RunningStage {

    private final StageDefinition<KI, VI, KO, VO> def;
    private final RunnerSettings settings;
    private final Map<String, Object> stageConfig;
    private final String jdbcUrl;
    private final TransactionalLoop loop;
    private final ExecutorService pool;
    private Stage<KI, VI, KO, VO> stage;
    private StageExecution<KI, VI, KO, VO> execution;

    public TransactionalStageRunner(StageDefinition<KI, VI, KO, VO> def, StageEnvironment env) {
        this.def = def;
        this.settings = RunnerSettings.of(def, env);
        this.stageConfig = env.stageConfig(def);
        this.jdbcUrl = env.jdbcUrl();
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), daemonThreads(def.name()));
        this.loop = new TransactionalLoop(def.name(), def.inputTopic(), settings, new TransactionalLoop.BatchProcessor() {
            @Override
            public List<RecordResult> process(ConsumerRecords<byte[], byte[]> batch) throws Exception {
                return processBatch(batch);
            }

            @Override
            public RecordResult deadLetter(RecordResult stalled) {
                return execution.deadLetter(stalled);
            }
        }, KafkaClients.forLoop(def, settings));
    }

    @Override
    public String name() {
        return def.name();
    }

    @Override
    public List<String> inputTopics() {
        return def.inputTopics();
    }

    /** Initialises the stage and starts the loop on its own thread; {@code onFatal} hears if it dies. */
    @Override
    public void start(java.util.function.Consumer<Throwable> onFatal) {
        stage = def.newStage();
        stage.init(new StageContext(def.name(), settings.instanceId(), stageConfig, jdbcUrl));
        execution = new StageExecution<>(def, stage, settings.retryPolicy());
        loop.start(onFatal);
    }

    private List<RecordResult> processBatch(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<Future<RecordResult>> pending = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetters.Origin origin = DeadLetters.Origin.of(r);
            pending.add(pool.submit(() -> execution.attempt(origin, r.timestamp())));
        }
        List<RecordResult> out = new ArrayList<>(pending.size());
        for (Future<RecordResult> f : pending) {
            out.add(f.get());
        }
        return out;
    }

    @Override
    public List<Object> kafkaClients() {
        return loop.clients();
    }

    @Override
    public List<Stall> stalls() {
        return loop.stalls();
    }

    /** Stops the loop (the open batch is aborted and replayed by the next owner), then the workers, then the stage. */
    @Override
    public void close() {
        loop.close();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stage != null) {
            stage.close();
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String stage) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-" + stage + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
