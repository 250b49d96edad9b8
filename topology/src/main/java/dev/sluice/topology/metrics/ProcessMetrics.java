package dev.sluice.topology.metrics;

import dev.sluice.runtime.StageMetrics;
import dev.sluice.runtime.RunningStage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Prometheus registry of a process: JVM metrics, each running stage's counters
 * ({@code sluice_stage_records_in_total}, {@code _out_total}, {@code sluice_stage_dead_lettered_total},
 * {@code sluice_stage_retries_total}, tagged {@code stage}) and its Kafka client/Streams metrics.
 */
public final class ProcessMetrics {
    private ProcessMetrics() {
    }

    /** A registry with JVM metrics and the counters and Kafka metrics of {@code stages}. */
    public static PrometheusMeterRegistry registry(List<RunningStage> stages) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        for (RunningStage s : stages) {
            StageMetrics m = StageMetrics.of(s.name());
            counter(r, "sluice.stage.records.in", "records consumed", s.name(), m, x -> x.in);
            counter(r, "sluice.stage.records.out", "records produced", s.name(), m, x -> x.out);
            counter(r, "sluice.stage.dead.lettered", "records sent to the dead-letter topic", s.name(), m, x -> x.deadLettered);
            counter(r, "sluice.stage.retries", "retried attempts", s.name(), m, x -> x.retries);
            io.micrometer.core.instrument.Gauge.builder("sluice.stage.stalled.partitions", m, x -> x.stalledPartitions.get())
                    .description("partitions held back because their next record keeps failing with a retriable error")
                    .tag("stage", s.name()).register(r);
            bindClients(s, r);
        }
        return r;
    }

    /** Binds a stage's Kafka client metrics (kafka_consumer_*, kafka_producer_*) or its Streams metrics. */
    private static void bindClients(RunningStage s, PrometheusMeterRegistry r) {
        s.streams().ifPresent(k -> new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(k).bindTo(r));
        for (Object client : s.kafkaClients()) {
            if (client instanceof org.apache.kafka.clients.consumer.Consumer<?, ?> c) {
                new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(c).bindTo(r);
            } else if (client instanceof org.apache.kafka.clients.producer.Producer<?, ?> p) {
                new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(p).bindTo(r);
            }
        }
    }

    private static void counter(PrometheusMeterRegistry r, String name, String description, String stage, StageMetrics m,
                                Function<StageMetrics, AtomicLong> field) {
        FunctionCounter.builder(name, m, x -> field.apply(x).get()).description(description).tag("stage", stage).register(r);
    }
}
