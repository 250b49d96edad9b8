package dev.sluice.runtime;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A stage as a process runs it: consumer group {@code <prefix>sluice-<name>} on its input topics, started and
 * stopped as a unit. Built from a {@link dev.sluice.stage.StageDefinition} by {@link StageRuntimes}.
 */
public interface RunningStage extends AutoCloseable {

    String name();

    /** The consumer group whose lag measures this stage's backlog (physical: with the deployment's prefix). */
    String groupId();

    /** Every physical topic the stage consumes; their lag counts for idleness. */
    List<String> inputTopics();

    /** Whether the stage is processing (readiness); by default once started. */
    default boolean isReady() {
        return true;
    }

    /**
     * Partitions this instance holds back because a record keeps failing with a retriable error
     * (upstream outage): empty when nothing is stalled. Shown by {@code /readyz} and {@code status}.
     */
    default List<Stall> stalls() {
        return List.of();
    }

    /** False while the stage still has work that lag does not show (the watermark behind maxitem). */
    default boolean caughtUp() {
        return true;
    }

    /** The stage's Kafka consumers and producers, for client metrics (read their metrics only). */
    default List<Object> kafkaClients() {
        return List.of();
    }

    /** The stage's Kafka Streams client when it runs on Kafka Streams, for its metrics. */
    default Optional<KafkaStreams> streams() {
        return Optional.empty();
    }

    /** Starts the stage's threads; {@code onFatal} hears an unrecoverable error. */
    void start(Consumer<Throwable> onFatal);

    /** Stops within a few seconds: open work is abandoned (and replayed by the next owner), never dead-lettered. */
    @Override
    void close();
}
