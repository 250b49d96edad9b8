package dev.sluice.tools.autoscale;

import dev.sluice.stage.Scaling;
import dev.sluice.runtime.RunningStage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process instances of one stage, each with its own instance id (so its own static group
 * membership and transactional id) in the stage's consumer group, as replicas of a Deployment would
 * be. Scaling down stops the newest first; a stopped instance leaves the group at once.
 */
final class StageInstances implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StageInstances.class);

    private final String stage;
    private final Function<String, RunningStage> factory;
    private final Deque<RunningStage> running = new ArrayDeque<>();
    private final CompletableFuture<Void> fatal = new CompletableFuture<>();
    private int started;

    /** {@code factory} builds the stage for an instance id. */
    StageInstances(String stage, Function<String, RunningStage> factory) {
        this.stage = stage;
        this.factory = factory;
    }

    int count() {
        return running.size();
    }

    /** Starts or stops instances until {@code replicas} run. */
    void scaleTo(int replicas) {
        while (running.size() < replicas) {
            String id = stage + "-" + (++started);
            RunningStage s = factory.apply(id);
            s.start(fatal::completeExceptionally);
            running.addLast(s);
            log.info("autoscale: started instance {} of {} ({} running)", id, stage, running.size());
        }
        while (running.size() > replicas) {
            running.removeLast().close();
            log.info("autoscale: stopped an instance of {} ({} running)", stage, running.size());
        }
        if (fatal.isCompletedExceptionally()) {
            Throwable cause = fatal.handle((v, t) -> t).join();
            throw new IllegalStateException("an instance of stage " + stage + " failed", cause);
        }
    }

    @Override
    public void close() {
        scaleTo(0);
    }
}
