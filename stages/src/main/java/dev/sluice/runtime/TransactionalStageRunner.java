package dev.sluice.runtime;

import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Runs a per-record {@link Stage} in a transactional consume-process-produce loop. Each polled batch
 * is processed on {@code concurrency} threads; outputs, dead letters and input offsets commit in
 * Kafka transactions bound to the consumer group's generation (exactly-once v2) as the records
 * finish, per partition in offset order ({@link FlowingBatch}), so the next stage sees a finished
 * record without waiting for the slowest of its batch. A crash before a commit aborts it and a
 * replay redoes what it held; nothing is written twice to read_committed readers. A record that keeps failing with a retriable error stalls its partition
 * (see {@link TransactionalLoop}) instead of being dead-lettered.
 */
public final class TransactionalStageRunner<KI, VI, KO, VO> implements RunningStage {

    private final StageDefinition<KI, VI, KO, VO> def;
    private final RunnerSettings settings;
    private final Map<String, Object> stageConfig;
    private final String jdbcUrl;
    private final TransactionalLoop loop;
    /** How long a stopping stage waits for its workers before it gives up closing the stage. */
    static final Duration WORKERS_STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TransactionalStageRunner.class);

    private final WorkerPool pool;
    private final Duration minInterval;
    private Stage<KI, VI, KO, VO> stage;
    private StageExecution<KI, VI, KO, VO> execution;

    public TransactionalStageRunner(StageDefinition<KI, VI, KO, VO> def, StageEnvironment env) {
        this.def = def;
        this.settings = RunnerSettings.of(def, env);
        this.stageConfig = env.stageConfig(def);
        this.jdbcUrl = env.jdbcUrl();
        this.pool = new WorkerPool(def.name(), settings.concurrency(), WORKERS_STOP_TIMEOUT);
        this.minInterval = new RuntimeConfig(env.originals()).transactionMinInterval();
        this.loop = new TransactionalLoop(def.name(), settings.names().topic(def.inputTopic()), settings, new BatchProcessor() {
            @Override
            public List<RecordResult> process(ConsumerRecords<byte[], byte[]> batch) throws Exception {
                return processBatch(batch);
            }

            @Override
            public void process(ConsumerRecords<byte[], byte[]> batch, Committer commit) throws Exception {
                FlowingBatch.run(batch, pool, TransactionalStageRunner.this::attempt, minInterval, commit);
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
    public String groupId() {
        return settings.names().groupId(def.name());
    }

    @Override
    public List<String> inputTopics() {
        return settings.names().topics(def.inputTopics());
    }

    /** Initialises the stage and starts the loop on its own thread; {@code onFatal} hears if it dies. */
    @Override
    public void start(java.util.function.Consumer<Throwable> onFatal) {
        stage = def.newStage();
        stage.init(new StageContext(def.name(), settings.instanceId(), stageConfig, jdbcUrl));
        execution = new StageExecution<>(def, stage, settings.retryPolicy(), settings.names());
        loop.start(onFatal);
    }

    /** The whole batch's results, per partition in offset order. */
    private List<RecordResult> processBatch(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<RecordResult> out = new ArrayList<>(records.count());
        FlowingBatch.run(records, pool, this::attempt, Duration.ZERO, (done, unfinished) -> out.addAll(done));
        return out;
    }

    private RecordResult attempt(ConsumerRecord<byte[], byte[]> r) {
        return execution.attempt(DeadLetters.Origin.of(r), r.timestamp());
    }

    @Override
    public List<Object> kafkaClients() {
        return loop.clients();
    }

    @Override
    public List<Stall> stalls() {
        return loop.stalls();
    }

    /**
     * Stops the loop (the open batch is aborted and replayed by the next owner), then the workers, then
     * the stage, only once every worker has stopped: a worker still inside native code (OCR) after
     * {@link #WORKERS_STOP_TIMEOUT} keeps the stage's resources, which the process exit releases.
     */
    @Override
    public void close() {
        loop.close();
        if (!pool.stop()) {
            log.warn("stage {}: a worker is still busy {} s after the stop; the stage stays open until the process exits",
                    def.name(), WORKERS_STOP_TIMEOUT.toSeconds());
            return;
        }
        if (stage != null) {
            stage.close();
        }
    }
}
