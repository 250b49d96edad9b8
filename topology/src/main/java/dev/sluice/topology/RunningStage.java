package dev.sluice.topology;

import java.util.function.Consumer;

/** A stage as a process runs it: a consumer group on one input topic, started and stopped as a unit. */
public interface RunningStage extends AutoCloseable {

    String name();

    /** The consumer group whose lag measures this stage's backlog. */
    String groupId();

    String inputTopic();

    /** Starts the stage's threads; {@code onFatal} hears an unrecoverable error. */
    void start(Consumer<Throwable> onFatal);

    @Override
    void close();
}
