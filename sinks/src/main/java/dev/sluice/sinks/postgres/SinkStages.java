package dev.sluice.sinks.postgres;

import dev.sluice.runtime.RunningStage;
import dev.sluice.runtime.StageEnvironment;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.config.AbstractConfig;

/** Stage definitions of the PostgreSQL sinks: one per table, each running a {@link PostgresSink}. */
public final class SinkStages {
    private SinkStages() {
    }

    /**
     * The definition of a sink stage {@code name} writing {@code topic} with {@code writer}: it needs
     * the database and writes outside Kafka.
     */
    public static <V> StageDefinition<?, ?, ?, ?> definition(String name, String topic, Supplier<RowWriter<V>> writer,
                                                             Scaling scaling) {
        return definition(name, topic, writer, scaling, (sink, env) -> sink);
    }

    /**
     * As above, the running sink decorated by {@code around} (e.g. with blob collection beside it),
     * which reaches {@code uses} too.
     */
    public static <V> StageDefinition<?, ?, ?, ?> definition(String name, String topic, Supplier<RowWriter<V>> writer,
            Scaling scaling, BiFunction<RunningStage, StageEnvironment, RunningStage> around,
            StageDefinition.Use... uses) {
        return StageDefinition.builder(name)
                .inputs(topic)
                .runtime(env -> around.apply(new PostgresSink<>(name, topic, writer.get(),
                        settings(env, new AbstractConfig(SinkConfig.CONFIG, env.originals(), false))), env))
                .config(SinkConfig.CONFIG)
                .needsDatabase()
                .uses(uses)
                .scaling(scaling)
                .build();
    }

    private static SinkSettings settings(StageEnvironment env, AbstractConfig c) {
        return new SinkSettings(env.clientProps(), env.jdbcUrl(), env.instanceId(),
                c.getInt(SinkConfig.SINK_MAX_POLL_CONFIG), Duration.ofMillis(c.getLong(SinkConfig.SINK_RETRY_MS_CONFIG)),
                env.names());
    }

}
