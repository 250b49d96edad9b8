package dev.sluice.runtime;

import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs {@link Stage#process} on one record with retries, MDC and counters, and returns its
 * {@link Outcome}. Outputs of a failed attempt are dropped, so a retry never duplicates them.
 */
public final class StageInvoker<KI, VI, KO, VO> {
    private static final Logger log = LoggerFactory.getLogger(StageInvoker.class);

    /** Waits between attempts; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final String stageName;
    private final Stage<KI, VI, KO, VO> stage;
    private final RetryPolicy policy;
    private final StageMetrics metrics;
    private final Sleeper sleeper;

    public StageInvoker(String stageName, Stage<KI, VI, KO, VO> stage, RetryPolicy policy, Sleeper sleeper) {
        this.stageName = stageName;
        this.stage = stage;
        this.policy = policy;
        this.metrics = StageMetrics.of(stageName);
        this.sleeper = sleeper;
    }

    public StageInvoker(String stageName, Stage<KI, VI, KO, VO> stage, RetryPolicy policy) {
        this(stageName, stage, policy, d -> Thread.sleep(d.toMillis()));
    }

    /** Processes the record, retrying retriable failures within the policy. Never throws. */
    public Outcome<KO, VO> invoke(StageRecord<KI, VI> record) {
        MDC.put("stage", stageName);
        MDC.put("key", String.valueOf(record.key()));
        try {
            return attemptUntilDone(record);
        } finally {
            MDC.remove("stage");
            MDC.remove("key");
        }
    }

    private Outcome<KO, VO> attemptUntilDone(StageRecord<KI, VI> record) {
        long start = System.nanoTime();
        RetriesExhaustedException.Tally errors = new RetriesExhaustedException.Tally();
        String last = null;
        int repeats = 0;
        for (int attempt = 1; ; attempt++) {
            List<Outcome.Emitted<KO, VO>> outputs = new ArrayList<>();
            try {
                stage.process(record, (k, v) -> outputs.add(new Outcome.Emitted<>(k, v)));
                return Outcome.success(outputs, attempt);
            } catch (Exception | StackOverflowError e) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (!ErrorClassifier.isRetriable(e)) {
                    return Outcome.failure(e, attempt);
                }
                errors.add(e);
                String signature = signature(e);
                repeats = signature.equals(last) ? repeats + 1 : 1;
                last = signature;
                if (!policy.allowsAnother(attempt, elapsed)) {
                    return Outcome.failure(attempt == 1 ? e
                            : new RetriesExhaustedException(attempt, elapsed.toMillis(), errors.counts(), e), attempt, repeats);
                }
                if (!backOff(record, attempt, e)) {
                    return Outcome.failure(e, attempt, repeats);
                }
            }
        }
    }

    private boolean backOff(StageRecord<KI, VI> record, int attempt, Throwable e) {
        Optional<Duration> retryAfter = e instanceof RetriableStageException r ? r.retryAfter() : Optional.empty();
        Duration wait = policy.backoff(attempt, retryAfter);
        metrics.retries.incrementAndGet();
        log.debug("attempt {} on {} failed ({}); retrying in {} ms", attempt, record.origin(), describe(e), wait.toMillis());
        try {
            sleeper.sleep(wait);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What makes two failures identical: class and message. */
    static String signature(Throwable e) {
        return e.getClass().getName() + ": " + e.getMessage();
    }

    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
