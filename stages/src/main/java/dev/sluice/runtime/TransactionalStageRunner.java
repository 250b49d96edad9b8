package dev.sluice.runtime;

import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Stage} in a transactional consume-process-produce loop, for stages that need more
 * concurrency than a stream thread gives (HTTP fetches, model calls). Each polled batch is processed
 * on {@code concurrency} threads; its outputs, dead letters and input offsets are then committed in
 * one Kafka transaction bound to the consumer group's generation (exactly-once v2). A crash before
 * the commit aborts the batch and a replay redoes it; nothing is written twice to read_committed
 * readers.
 */
public final class TransactionalStageRunner<KI, VI, KO, VO> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalStageRunner.class);

    private final StageDefinition<KI, VI, KO, VO> def;
    private final RunnerSettings settings;
    private final Map<String, Object> stageConfig;
    private final TransactionalLoop loop;
    private final ExecutorService pool;
    private Stage<KI, VI, KO, VO> stage;
    private StageExecution<KI, VI, KO, VO> execution;

    public TransactionalStageRunner(StageDefinition<KI, VI, KO, VO> def, RunnerSettings settings,
                                    Map<String, Object> stageConfig) {
        this.def = def;
        this.settings = settings;
        this.stageConfig = stageConfig;
        this.pool = Executors.newFixedThreadPool(def.concurrency(), daemonThreads(def.name()));
        this.loop = new TransactionalLoop(def.name(), def.inputTopic(), def.groupId(), settings, this::processBatch);
    }

    /** Initialises the stage and starts the loop on its own thread; {@code onFatal} hears if it dies. */
    public void start(java.util.function.Consumer<Throwable> onFatal) {
        stage = def.newStage();
        stage.init(new StageContext(def.name(), settings.instanceId(), stageConfig));
        execution = new StageExecution<>(def, stage, settings.retryPolicy());
        loop.start(onFatal);
    }

    private List<ProducerRecord<byte[], byte[]>> processBatch(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<Future<List<ProducerRecord<byte[], byte[]>>>> pending = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetters.Origin origin = new DeadLetters.Origin(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers());
            pending.add(pool.submit(() -> execution.execute(origin, r.timestamp())));
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Future<List<ProducerRecord<byte[], byte[]>>> f : pending) {
            out.addAll(f.get());
        }
        return out;
    }

    /**
     * The loop's consumer and producer ({@code KafkaConsumer}, {@code KafkaProducer}), so a metrics
     * registry can bind their client metrics; callers must not use them otherwise.
     */
    public List<Object> kafkaClients() {
        return loop.clients();
    }

    /** Stops the loop (the open batch is aborted and will be replayed) and closes the stage. */
    @Override
    public void close() {
        loop.close();
        pool.shutdownNow();
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

    static boolean isWakeup(Throwable t) {
        return t instanceof WakeupException || t instanceof InterruptedException;
    }

    static Duration pollTimeout() {
        return Duration.ofMillis(200);
    }
}
