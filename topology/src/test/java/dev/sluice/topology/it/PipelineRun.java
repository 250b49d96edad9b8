package dev.sluice.topology.it;

import dev.sluice.stages.hn.HnConfig;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.SluiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Builds the settings of an in-process pipeline on an {@link ItEnv} and runs it until idle. */
public final class PipelineRun {
    /** The stages of the Hacker News path. */
    public static final String HN_STAGES = "watermark,fetch,links,store";
    private final Map<String, String> props = new HashMap<>();
    private final ItEnv env;

    private PipelineRun(ItEnv env, Path dataDir, String hnBaseUrl) {
        this.env = env;
        props.put(SluiceConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        props.put(SluiceConfig.DB_URL_CONFIG, env.jdbcUrl());
        props.put(SluiceConfig.DATA_DIR_CONFIG, dataDir.toString());
        props.put(SluiceConfig.INSTANCE_ID_CONFIG, "it");
        props.put(HnConfig.BASE_URL_CONFIG, hnBaseUrl);
        // the Hacker News path only: pdf-links would download the fixtures' PDF links from the Internet
        props.put(SluiceConfig.STAGES_CONFIG, HN_STAGES);
        props.put(HnConfig.POLL_INTERVAL_MS_CONFIG, "300");
        props.put(HnConfig.FETCH_TIMEOUT_MS_CONFIG, "1000");
    }

    public static PipelineRun on(ItEnv env, Path dataDir, String hnBaseUrl) {
        return new PipelineRun(env, dataDir, hnBaseUrl);
    }

    public PipelineRun set(String key, Object value) {
        props.put(key, String.valueOf(value));
        return this;
    }

    public Map<String, String> props() {
        return Map.copyOf(props);
    }

    public Pipeline build() {
        return new Pipeline(new SluiceConfig(props), env.clientProps(), env.jdbcUrl());
    }

    /** Starts the pipeline and returns once it is idle; fails after {@code timeout}. */
    public void runUntilIdle(Duration timeout) throws Exception {
        runUntilIdle(timeout, () -> { });
    }

    /** As above, running {@code meanwhile} on another thread once the pipeline has started. */
    public void runUntilIdle(Duration timeout, Runnable meanwhile) throws Exception {
        try (Pipeline p = build()) {
            p.start();
            CompletableFuture.runAsync(meanwhile);
            CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
                try {
                    p.await(true, Duration.ofMillis(500));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            idle.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
