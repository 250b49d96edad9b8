package dev.sluice.topology;

import dev.sluice.runtime.RunningStage;
import dev.sluice.runtime.StageEnvironment;
import dev.sluice.runtime.StageRuntimes;
import dev.sluice.schemas.registry.SchemaRegistries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages a process runs, built from their {@link dev.sluice.stage.StageDefinition}s by
 * {@link StageRuntimes}: creates (or checks) the topics, starts the stages, and tells when the pipeline is idle
 * (every stage caught up, no lag anywhere) or has failed.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final SluiceConfig config;
    private final Map<String, Object> clientProps;
    private final List<RunningStage> stages = new ArrayList<>();
    private final CompletableFuture<Void> fatal = new CompletableFuture<>();
    private final Admin admin;
    private final List<String> summary;
    private volatile ProgressReporter progress;
    private volatile boolean started;
    private boolean closed;
    /** Longest wait for the stages to stop. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(9);

    /**
     * Validates every chosen stage's settings (failing with the setting to change) and builds the stages.
     *
     * @param jdbcUrl PostgreSQL, handed only to the stages that need it; may be null when none does
     */
    public Pipeline(SluiceConfig config, Map<String, Object> clientProps, String jdbcUrl) {
        this.config = config;
        SchemaRegistries.require(); // fail at start, with what to set, when no registry is configured
        this.clientProps = Map.copyOf(clientProps);
        StageEnvironment env = environment(config, this.clientProps, jdbcUrl);
        new dev.sluice.runtime.RuntimeConfig(env.originals());
        for (String name : config.stages()) {
            stages.add(StageRuntimes.create(StageCatalog.entry(name), env));
        }
        this.summary = StartSummary.lines(config.stages().stream().map(StageCatalog::entry).toList(), env.originals(),
                env.names());
        this.admin = Admin.create(new HashMap<>(clientProps));
    }

    /** What every stage's factory sees of this process. */
    public static StageEnvironment environment(SluiceConfig config, Map<String, Object> clientProps, String jdbcUrl) {
        Map<String, Object> originals = new HashMap<>(config.originals());
        originals.remove(SluiceConfig.DB_URL_CONFIG);
        originals.values().removeIf(java.util.Objects::isNull);
        return new StageEnvironment(originals, clientProps, config.instanceId(), jdbcUrl,
                Path.of(config.getString(SluiceConfig.DATA_DIR_CONFIG)), config.getLong(SluiceConfig.COMMIT_INTERVAL_MS_CONFIG),
                config.getShort(SluiceConfig.REPLICATION_CONFIG), config.names());
    }

    /**
     * Creates missing topics ({@code topics.create.on.start}), or else checks that its stages' topics
     * exist, failing with the ones missing and the command that creates them; then starts every stage,
     * logs one line per stage and starts the progress lines.
     */
    public void start() throws Exception {
        if (config.getBoolean(SluiceConfig.TOPICS_CREATE_ON_START_CONFIG)) {
            TopicBootstrap.ensure(admin, TopicBootstrap.plan(config));
        } else {
            TopicBootstrap.requireExisting(admin, config.names().topics(StageCatalog.topicsOf(config.stages())));
        }
        for (RunningStage s : stages) {
            s.start(fatal::completeExceptionally);
        }
        summary.forEach(line -> log.info("stage {}", line));
        progress = ProgressReporter.start(config.stages(),
                Duration.ofMillis(config.getLong(SluiceConfig.LOG_PROGRESS_INTERVAL_MS_CONFIG)));
        started = true;
    }

    /** Liveness: no stage has failed fatally. */
    public boolean isLive() {
        return !fatal.isDone();
    }

    /**
     * Readiness: started, alive, every stage ready (Kafka Streams running or rebalancing) and no
     * partition stalled on an outage.
     */
    public boolean isReady() {
        return started && isLive() && stages.stream().allMatch(s -> s.isReady() && s.stalls().isEmpty());
    }

    public List<RunningStage> stages() {
        return List.copyOf(stages);
    }

    /** True when every stage is caught up (the watermark at the last maxitem) and none has lag. */
    public boolean isIdle(LagMonitor lag) throws Exception {
        long t0 = System.nanoTime();
        for (RunningStage s : stages) {
            if (!s.caughtUp()) {
                log.debug("not idle: {} not caught up", s.name());
                return false;
            }
            for (String topic : s.inputTopics()) {
                long n = lag.totalLag(s.groupId(), topic);
                if (n > 0) {
                    log.debug("not idle: {} has lag {} on {} ({} ms to check)", s.name(), n, topic, (System.nanoTime() - t0) / 1_000_000);
                    return false;
                }
            }
        }
        log.debug("idle ({} ms to check)", (System.nanoTime() - t0) / 1_000_000);
        return true;
    }

    /** Blocks until idle twice in a row ({@code exitWhenIdle}) or forever; throws if a stage fails. */
    public void await(boolean exitWhenIdle, Duration checkEvery) throws Exception {
        try (LagMonitor lag = new LagMonitor(admin, clientProps)) {
            int idleChecks = 0;
            while (true) {
                try {
                    fatal.get(checkEvery.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // expected: no failure yet
                }
                if (exitWhenIdle) {
                    idleChecks = isIdle(lag) ? idleChecks + 1 : 0;
                    if (idleChecks >= 2) {
                        log.info("pipeline idle: watermark at maxitem and no lag in {}", config.stages());
                        return;
                    }
                }
            }
        }
    }

    /**
     * Stops every stage at once (each abandons its open batch, which the next owner replays) and
     * waits for them, so the process exits within seconds of SIGTERM; idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Thread> closing = new ArrayList<>();
        for (RunningStage s : stages) {
            Thread t = new Thread(() -> closeQuietly(s), "sluice-close-" + s.name());
            t.start();
            closing.add(t);
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (Thread t : closing) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        admin.close(Duration.ofSeconds(1));
        if (progress != null) {
            progress.close();
        }
        log.info("pipeline stopped");
    }

    private static void closeQuietly(RunningStage s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            log.warn("closing stage {} failed: {}", s.name(), e.toString());
        }
    }
}
