package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StageExecutionTest {
    private static final RetryPolicy ONCE = new RetryPolicy(Duration.ZERO, Duration.ZERO, 1, Duration.ofSeconds(1));
    private static final DeadLetters.Origin ORIGIN = new DeadLetters.Origin("in", 0, 7, "k".getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8), new RecordHeaders());

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void shouldDeadLetterAPermanentFailure() {
        RecordResult r = execution((rec, out) -> { throw new PermanentStageException("bad"); }).attempt(ORIGIN, 0);
        assertThat(r.isStalled()).isFalse();
        assertThat(r.records()).singleElement().satisfies(dl -> assertThat(dl.topic()).isEqualTo("in.dlq"));
    }

    @Test
    void shouldHoldBackNotDeadLetterAFailureWhileTheStageIsStopping() {
        RecordResult r = execution((rec, out) -> {
            Thread.currentThread().interrupt(); // the loop stops while the record is in flight
            throw new PermanentStageException("socket closed under the call");
        }).attempt(ORIGIN, 0);
        assertThat(r.isStalled()).as("replayed by the next owner, not dead-lettered").isTrue();
        assertThat(r.records()).isEmpty();
    }

    @Test
    void shouldHoldBackAFailureCausedByAnInterruptEvenWhenTheFlagWasCleared() {
        RecordResult r = execution((rec, out) -> {
            throw new IllegalStateException("call aborted", new InterruptedException());
        }).attempt(ORIGIN, 0);
        assertThat(r.isStalled()).isTrue();
        assertThat(r.repeats()).as("an interrupt never counts towards identical failures").isZero();
    }

    @Test
    void shouldStallARetriableFailureThatOutlivesTheInPlaceRetries() {
        RecordResult r = execution((rec, out) -> { throw new RetriableStageException("upstream 503"); }).attempt(ORIGIN, 0);
        assertThat(r.isStalled()).isTrue();
        assertThat(r.repeats()).isEqualTo(1);
    }

    private static StageExecution<String, String, String, String> execution(Stage<String, String, String, String> stage) {
        StageDefinition<String, String, String, String> def = StageDefinition.<String, String, String, String>builder("exec-test")
                .input("in", Serdes.String(), Serdes.String()).output("out", Serdes.String(), Serdes.String())
                .stage(() -> stage).build();
        return new StageExecution<>(def, stage, ONCE, Names.DEFAULT);
    }
}
