package dev.sluice.topology;

import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.RunnerSettings;
import dev.sluice.runtime.StageTopology;
import dev.sluice.runtime.TransactionalStageRunner;
import dev.sluice.sinks.postgres.PostgresSink;
import dev.sluice.sinks.postgres.RowWriter;
import dev.sluice.sinks.postgres.SinkSettings;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.documents.PagesStage;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.ItemFetchStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** Turns stage and sink definitions into {@link RunningStage}s. */
final class Runners {

    private Runners() {
    }

    /** Kafka Streams for concurrency 1, the transactional loop above it. */
    static RunningStage of(StageDefinition<?, ?, ?, ?> def, StageContext c) {
        RetryPolicy retry = def.name().equals(ItemFetchStage.NAME) ? c.hn().fetchRetryPolicy() : RetryPolicy.DEFAULT;
        int maxPoll = def.name().equals(PagesStage.NAME) ? c.docs().getInt(DocumentsConfig.PAGES_MAX_POLL_CONFIG)
                : c.hn().getInt(HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG);
        return of(def, c, retry, maxPoll);
    }

    /** As {@link #of(StageDefinition, StageContext)} with the stage's own retry policy and records per transaction. */
    static RunningStage of(StageDefinition<?, ?, ?, ?> def, StageContext c, RetryPolicy retry, int maxPoll) {
        Map<String, Object> stageConfig = stageConfig(c);
        if (def.concurrency() == 1) {
            return new StreamsStage(def.name(), def.inputTopic(),
                    StageTopology.build(def, retry, c.config().instanceId(), stageConfig), c);
        }
        RunnerSettings settings = new RunnerSettings(c.clientProps(), c.config().instanceId(), maxPoll, retry);
        TransactionalStageRunner<?, ?, ?, ?> runner = new TransactionalStageRunner<>(def, settings, stageConfig);
        return new Simple(def.name(), def.groupId(), def.inputTopic(), runner::start, runner::close,
                r -> runner.kafkaClients().forEach(client -> bind(client, r)));
    }

    /** What a stage's {@code init} sees: every validated setting of the process. */
    static Map<String, Object> stageConfig(StageContext c) {
        Map<String, Object> m = new java.util.HashMap<>(c.config().originals());
        m.values().removeIf(java.util.Objects::isNull);
        c.hn().values().forEach((k, v) -> { if (v != null) m.put(k, v); });
        c.docs().values().forEach((k, v) -> { if (v != null) m.put(k, v); });
        c.summarise().values().forEach((k, v) -> { if (v != null) m.put(k, v); });
        m.put(SluiceConfig.DATA_DIR_CONFIG, c.config().getString(SluiceConfig.DATA_DIR_CONFIG));
        m.remove(SluiceConfig.DB_URL_CONFIG);
        return Map.copyOf(m);
    }

    /** An offset-transactional PostgreSQL sink of {@code topic}. */
    static <V> RunningStage postgres(String name, String topic, RowWriter<V> writer, StageContext c) {
        SinkSettings s = new SinkSettings(c.clientProps(), c.jdbcUrl(), c.config().instanceId(),
                c.config().getInt(SluiceConfig.SINK_MAX_POLL_CONFIG),
                Duration.ofMillis(c.config().getLong(SluiceConfig.SINK_RETRY_MS_CONFIG)));
        PostgresSink<V> sink = new PostgresSink<>(name, topic, writer, s);
        return new Simple(name, PostgresSink.groupId(name), topic, sink::start, sink::close,
                r -> bind(sink.kafkaConsumer(), r));
    }

    /** Binds a Kafka consumer's or producer's client metrics (kafka_consumer_*, kafka_producer_*). */
    private static void bind(Object client, MeterRegistry registry) {
        if (client instanceof org.apache.kafka.clients.consumer.Consumer<?, ?> c) {
            new KafkaClientMetrics(c).bindTo(registry);
        } else if (client instanceof org.apache.kafka.clients.producer.Producer<?, ?> p) {
            new KafkaClientMetrics(p).bindTo(registry);
        }
    }

    private record Simple(String name, String groupId, String inputTopic, Consumer<Consumer<Throwable>> starter,
                          Runnable closer, Consumer<MeterRegistry> binder) implements RunningStage {
        @Override
        public void bindMetrics(MeterRegistry registry) {
            binder.accept(registry);
        }

        @Override
        public void start(Consumer<Throwable> onFatal) {
            starter.accept(onFatal);
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
