package dev.sluice.runtime;

import dev.sluice.stage.StageDefinition;

/**
 * Chooses a stage's runtime by its statefulness: a per-record stage always runs in the
 * transactional loop ({@link TransactionalStageRunner}), a stateful one in Kafka Streams
 * ({@link StreamsStage}), and a custom one (sinks, the watermark) as it builds itself.
 */
public final class StageRuntimes {

    private StageRuntimes() {
    }

    /** The running form of {@code def} (not yet started); validates its settings first. */
    public static RunningStage create(StageDefinition<?, ?, ?, ?> def, StageEnvironment env) {
        StageEnvironment e = env.forStage(def);
        e.config(def); // fail at start, naming the bad setting
        return switch (def.kind()) {
            case STATELESS -> new TransactionalStageRunner<>(def, e);
            case STATEFUL -> new StreamsStage(def, def.topology(e), e);
            case CUSTOM -> def.customRuntime(e);
        };
    }
}
