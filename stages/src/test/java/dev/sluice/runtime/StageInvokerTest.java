package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StageInvokerTest {
    /** 10 ms doubling to 5 s, 4 attempts, a minute of budget: attempts never run out of time here. */
    private static final RetryPolicy FOUR_ATTEMPTS =
            new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(5), 4, Duration.ofMinutes(1));
    private static final StageRecord<String, String> RECORD =
            new StageRecord<>("in", 0, 7L, 0L, "key", "value", new RecordHeaders());

    private final RecordingSleeper sleeper = new RecordingSleeper();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void shouldRetryRetriableFailuresThenKeepOnlyTheSuccessfulAttemptsOutputs() {
        ScriptedStage stage = new ScriptedStage(
                out -> {
                    out.emit("key", "leaked-1");
                    throw new RetriableStageException("not yet");
                },
                out -> {
                    out.emit("key", "leaked-2");
                    throw new IOException("connection reset");
                },
                out -> {
                    out.emit("key", "final-1");
                    out.emit("key", "final-2");
                });

        Outcome<String, String> outcome = invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(outcome.failed()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(outcome.outputs()).extracting(Outcome.Emitted::value).containsExactly("final-1", "final-2");
        assertThat(stage.calls).isEqualTo(3);
        assertThat(sleeper.waits).hasSize(2);
    }

    @Test
    void shouldFailAtOnceOnPermanentException() {
        PermanentStageException poison = new PermanentStageException("poison");
        ScriptedStage stage = new ScriptedStage(out -> {
            out.emit("key", "partial");
            throw poison;
        });

        Outcome<String, String> outcome = invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.error()).isSameAs(poison);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.outputs()).isEmpty();
        assertThat(stage.calls).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void shouldReturnFailureWithMaxAttemptsWhenRetriesAreExhausted() {
        ScriptedStage stage = ScriptedStage.always(attempt -> new RetriableStageException("busy, attempt " + attempt));

        Outcome<String, String> outcome = invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(causalChain(outcome.error())).as("the error and its causes")
                .anySatisfy(e -> assertThat(e).isInstanceOf(RetriableStageException.class).hasMessage("busy, attempt 4"));
        assertThat(ErrorClassifier.isRetriable(outcome.error())).isTrue();
        assertThat(outcome.outputs()).isEmpty();
        assertThat(stage.calls).isEqualTo(4);
        assertThat(sleeper.waits).hasSize(3);
    }

    @Test
    void shouldStopRetryingOnceMaxElapsedHasPassed() {
        RetryPolicy noTime = new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(5), 100, Duration.ZERO);
        ScriptedStage stage = ScriptedStage.always(attempt -> new RetriableStageException("busy"));

        Outcome<String, String> outcome = invoker(stage, noTime).invoke(RECORD);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void shouldTreatUnknownExceptionAsPermanent() {
        ScriptedStage stage = ScriptedStage.always(attempt -> new IllegalArgumentException("bug in stage"));

        Outcome<String, String> outcome = invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.error()).isInstanceOf(IllegalArgumentException.class);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(stage.calls).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void shouldRetryIOException() {
        ScriptedStage stage = new ScriptedStage(
                out -> {
                    throw new IOException("connection refused");
                },
                out -> out.emit("key", "fetched"));

        Outcome<String, String> outcome = invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(outcome.failed()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.outputs()).extracting(Outcome.Emitted::value).containsExactly("fetched");
    }

    @Test
    void shouldWaitAtLeastRetryAfterOfRetriableException() {
        ScriptedStage stage = new ScriptedStage(
                out -> {
                    throw new RetriableStageException("429", Duration.ofMillis(1_500), null);
                },
                out -> out.emit("key", "ok"));

        Outcome<String, String> outcome = invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(outcome.failed()).isFalse();
        // without Retry-After the first wait would be at most 10 ms
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(1_500));
    }

    @Test
    void shouldCapRetryAfterAtMaxBackoff() {
        ScriptedStage stage = new ScriptedStage(
                out -> {
                    throw new RetriableStageException("429", Duration.ofHours(1), null);
                },
                out -> out.emit("key", "ok"));

        invoker(stage, FOUR_ATTEMPTS).invoke(RECORD);

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void shouldGiveUpAndKeepInterruptFlagWhenInterruptedWhileWaiting() {
        ScriptedStage stage = ScriptedStage.always(attempt -> new RetriableStageException("busy"));
        StageInvoker<String, String, String, String> invoker = new StageInvoker<>("invoker-test", stage, FOUR_ATTEMPTS,
                d -> {
                    throw new InterruptedException("shutting down");
                });

        Outcome<String, String> outcome = invoker.invoke(RECORD);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    private static List<Throwable> causalChain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private StageInvoker<String, String, String, String> invoker(ScriptedStage stage, RetryPolicy policy) {
        return new StageInvoker<>("invoker-test", stage, policy, sleeper);
    }

    /** Records the waits asked for instead of sleeping. */
    private static final class RecordingSleeper implements StageInvoker.Sleeper {
        final List<Duration> waits = new ArrayList<>();

        @Override
        public void sleep(Duration d) {
            waits.add(d);
        }
    }

    @FunctionalInterface
    private interface Attempt {
        void run(Output<String, String> out) throws Exception;
    }

    @FunctionalInterface
    private interface Failure {
        Exception of(int attempt);
    }

    /** Plays one scripted behaviour per call; the last one repeats. */
    private static final class ScriptedStage implements Stage<String, String, String, String> {
        private final List<Attempt> script;
        int calls;

        ScriptedStage(Attempt... script) {
            this.script = List.of(script);
        }

        static ScriptedStage always(Failure failure) {
            ScriptedStage[] self = new ScriptedStage[1];
            self[0] = new ScriptedStage(out -> {
                throw failure.of(self[0].calls);
            });
            return self[0];
        }

        @Override
        public void process(StageRecord<String, String> record, Output<String, String> out) throws Exception {
            calls++;
            script.get(Math.min(calls, script.size()) - 1).run(out);
        }
    }
}
