package dev.sluice.sinks.postgres;

import dev.sluice.runtime.RunningStage;
import dev.sluice.runtime.StageEnvironment;
import dev.sluice.blob.BlobGc;
import dev.sluice.blob.BlobStore;
import dev.sluice.blob.BlobStoreConfig;
import dev.sluice.blob.BlobStores;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store-documents sink with blob garbage collection beside it: every {@code blob.gc.interval.ms}
 * a {@link BlobGc} pass deletes the blobs of documents the sink stored, once older than
 * {@code blob.gc.retention.ms}. A failed pass is logged and tried again at the next interval; it
 * never stops the sink. Every replica collects; concurrent passes are harmless.
 */
public final class BlobGcTask implements RunningStage {
    private static final Logger log = LoggerFactory.getLogger(BlobGcTask.class);

    private final RunningStage sink;
    private final BlobStoreConfig config;
    private final String jdbcUrl;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private BlobStore store;

    public BlobGcTask(RunningStage sink, BlobStoreConfig config, String jdbcUrl, Clock clock) {
        this.sink = sink;
        this.config = config;
        this.jdbcUrl = jdbcUrl;
        this.clock = clock;
    }

    /** {@code sink} with collection every {@code blob.gc.interval.ms}, or {@code sink} alone when that is 0. */
    static RunningStage around(RunningStage sink, StageEnvironment env) {
        BlobStoreConfig config = new BlobStoreConfig(env.originals(), env.dataDir());
        return config.gcInterval().isZero() ? sink : new BlobGcTask(sink, config, env.jdbcUrl(), Clock.systemUTC());
    }

    @Override
    public void start(Consumer<Throwable> onFatal) {
        sink.start(onFatal);
        store = BlobStores.open(config);
        Duration every = config.gcInterval();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-blob-gc");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::collect, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        log.debug("blob gc of {} every {} (retention {})", store, every, config.gcRetention());
    }

    private void collect() {
        try {
            new BlobGc(store, new StoredDocumentBlobs(jdbcUrl), config.gcRetention(), clock).run(false);
        } catch (Exception e) {
            log.warn("blob gc failed; next pass in {}: {}", config.gcInterval(), e.toString());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeStore();
        }
        sink.close();
    }

    private void closeStore() {
        try {
            store.close();
        } catch (IOException e) {
            log.debug("closing the blob store failed", e);
        }
    }

    @Override
    public String name() {
        return sink.name();
    }

    @Override
    public String groupId() {
        return sink.groupId();
    }

    @Override
    public List<String> inputTopics() {
        return sink.inputTopics();
    }

    @Override
    public boolean isReady() {
        return sink.isReady();
    }

    @Override
    public List<Object> kafkaClients() {
        return sink.kafkaClients();
    }
}
