package dev.sluice.topology;

import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.WatermarkProgress;
import dev.sluice.stages.summarise.SummariseConfig;
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
 * The stages a process runs, built from the {@link StageCatalog}: creates the topics, starts the
 * stages, and tells when the pipeline is idle (watermark at maxitem, no lag anywhere) or has failed.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final SluiceConfig config;
    private final Map<String, Object> clientProps;
    private final List<RunningStage> stages = new ArrayList<>();
    private final CompletableFuture<Void> fatal = new CompletableFuture<>();
    private final Admin admin;
    private final WatermarkProgress progress;
    private volatile boolean started;

    public Pipeline(SluiceConfig config, HnConfig hn, Map<String, Object> clientProps, String jdbcUrl) {
        this(config, hn, new SummariseConfig(hn.originals()), clientProps, jdbcUrl);
    }

    public Pipeline(SluiceConfig config, HnConfig hn, SummariseConfig summarise, Map<String, Object> clientProps,
                    String jdbcUrl) {
        this.config = config;
        SchemaRegistries.require(); // fail at start, with what to set, when no registry is configured
        this.clientProps = Map.copyOf(clientProps);
        this.admin = Admin.create(new HashMap<>(clientProps));
        Path stateDir = Path.of(config.getString(SluiceConfig.DATA_DIR_CONFIG), "streams");
        DocumentsConfig docs = new DocumentsConfig(config.originals(), Path.of(config.getString(SluiceConfig.DATA_DIR_CONFIG)));
        StageContext ctx = new StageContext(config, hn, summarise, docs, this.clientProps, jdbcUrl, new WatermarkProgress(),
                stateDir);
        for (String name : config.stages()) {
            stages.add(StageCatalog.create(name, ctx));
        }
        this.progress = ctx.progress();
    }

    /** Creates missing topics and starts every stage. */
    public void start() throws Exception {
        TopicBootstrap.ensure(admin, StageCatalog.topics(), config.getInt(SluiceConfig.PARTITIONS_CONFIG),
                config.getShort(SluiceConfig.REPLICATION_CONFIG), StageCatalog.topicConfigs());
        for (RunningStage s : stages) {
            s.start(fatal::completeExceptionally);
            log.info("started stage {} (group {}, input {})", s.name(), s.groupId(), s.inputTopic());
        }
        started = true;
    }

    /** Liveness: no stage has failed fatally. */
    public boolean isLive() {
        return !fatal.isDone();
    }

    /** Readiness: started, alive, and every stage ready (Kafka Streams running or rebalancing). */
    public boolean isReady() {
        return started && isLive() && stages.stream().allMatch(RunningStage::isReady);
    }

    public List<RunningStage> stages() {
        return List.copyOf(stages);
    }

    /** True when the watermark (if here) has emitted up to the last maxitem and no local stage has lag. */
    public boolean isIdle(LagMonitor lag) throws Exception {
        for (RunningStage s : stages) {
            if (s instanceof WatermarkStage w && (w.lastObserved() < 0 || !progress.caughtUpWith(w.lastObserved()))) {
                return false;
            }
            for (String topic : s.inputTopics()) {
                if (lag.totalLag(s.groupId(), topic) > 0) {
                    return false;
                }
            }
        }
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

    @Override
    public void close() {
        for (int i = stages.size() - 1; i >= 0; i--) {
            try {
                stages.get(i).close();
            } catch (RuntimeException e) {
                log.warn("closing stage {} failed: {}", stages.get(i).name(), e.toString());
            }
        }
        admin.close(Duration.ofSeconds(5));
    }
}
