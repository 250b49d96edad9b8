package dev.sluice.topology;

import java.util.function.Consumer;

/** A stage as a process runs it: a consumer group on one input topic, started and stopped as a unit. */
public interface RunningStage extends AutoCloseable {

    String name();

    /** The consumer group whose lag measures this stage's backlog. */
    String groupId();

    String inputTopic();

    /** Whether the stage is processing (readiness); by default once started. */
    default boolean isReady() {
        return true;
    }

    /** Binds the stage's Kafka client metrics to {@code registry}; by default none. */
    default void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    }

    /** Every topic the stage consumes (its lag counts for idleness); by default just {@link #inputTopic}. */
    default java.util.List<String> inputTopics() {
        return java.util.List.of(inputTopic());
    }

    /** Starts the stage's threads; {@code onFatal} hears an unrecoverable error. */
    void start(Consumer<Throwable> onFatal);

    @Override
    void close();
}
