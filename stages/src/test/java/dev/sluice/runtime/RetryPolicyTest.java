package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
    private static final int SAMPLES = 500;
    private static final RetryPolicy POLICY =
            new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 8, Duration.ofSeconds(60));

    @Test
    void shouldKeepBackoffWithinZeroAndTheDoublingCeilingCappedByMax() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(5_000, 100L << (attempt - 1));
            for (Duration d : samples(POLICY, attempt, Optional.empty())) {
                assertThat(d.toMillis()).as("backoff after attempt %d", attempt).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void shouldSpreadBackoffOverTheWholeRangeWithFullJitter() {
        // attempt 3: ceiling 400 ms; 500 samples all on one side of 200 ms has probability ~2^-500
        List<Duration> waits = samples(POLICY, 3, Optional.empty());

        assertThat(waits).anyMatch(d -> d.toMillis() < 200).anyMatch(d -> d.toMillis() > 200);
    }

    @Test
    void shouldNeverExceedMaxBackoffForVeryLateAttempts() {
        for (int attempt : new int[] {31, 32, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(samples(POLICY, attempt, Optional.empty()))
                    .as("attempt %d", attempt)
                    .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(5)));
        }
    }

    @Test
    void shouldNotWaitWhenInitialBackoffIsZero() {
        RetryPolicy noWait = new RetryPolicy(Duration.ZERO, Duration.ZERO, 3, Duration.ofSeconds(1));

        assertThat(samples(noWait, 2, Optional.empty())).containsOnly(Duration.ZERO);
    }

    @Test
    void shouldWaitAtLeastRetryAfter() {
        // first attempt: the jittered wait is at most 100 ms, so Retry-After (2 s) decides it
        assertThat(samples(POLICY, 1, Optional.of(Duration.ofSeconds(2)))).containsOnly(Duration.ofSeconds(2));
        // sixth attempt: ceiling 3.2 s, floor 2 s
        assertThat(samples(POLICY, 6, Optional.of(Duration.ofSeconds(2))))
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofMillis(3_200)));
    }

    @Test
    void shouldCapRetryAfterAtMaxBackoff() {
        assertThat(samples(POLICY, 1, Optional.of(Duration.ofMinutes(10)))).containsOnly(Duration.ofSeconds(5));
    }

    @Test
    void shouldAllowAnotherAttemptOnlyBelowMaxAttempts() {
        RetryPolicy three = new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), 3, Duration.ofMinutes(1));

        assertThat(three.allowsAnother(1, Duration.ZERO)).isTrue();
        assertThat(three.allowsAnother(2, Duration.ZERO)).isTrue();
        assertThat(three.allowsAnother(3, Duration.ZERO)).isFalse();
        assertThat(three.allowsAnother(4, Duration.ZERO)).isFalse();
    }

    @Test
    void shouldAllowAnotherAttemptOnlyBeforeMaxElapsed() {
        RetryPolicy tenSeconds = new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), 100, Duration.ofSeconds(10));

        assertThat(tenSeconds.allowsAnother(1, Duration.ofMillis(9_999))).isTrue();
        assertThat(tenSeconds.allowsAnother(1, Duration.ofSeconds(10))).isFalse();
        assertThat(tenSeconds.allowsAnother(1, Duration.ofSeconds(11))).isFalse();
    }

    @Test
    void shouldAllowNoRetryWithASingleAttempt() {
        RetryPolicy once = new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), 1, Duration.ofMinutes(1));

        assertThat(once.allowsAnother(1, Duration.ZERO)).isFalse();
    }

    @Test
    void shouldRejectMaxBackoffBelowInitial() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial")
                .hasMessageContaining("max");
    }

    @Test
    void shouldRejectNegativeInitialBackoff() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(-1), Duration.ofSeconds(1), 3, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void shouldRejectFewerThanOneAttempt(int attempts) {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), attempts, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attempts")
                .hasMessageContaining(Integer.toString(attempts));
    }

    private static List<Duration> samples(RetryPolicy policy, int attempt, Optional<Duration> retryAfter) {
        List<Duration> out = new ArrayList<>(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            out.add(policy.backoff(attempt, retryAfter));
        }
        return out;
    }
}
