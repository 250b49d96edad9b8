package dev.sluice.stages.hn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(2);

    /** Starts far from zero so nothing depends on the clock's origin. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final CircuitBreaker breaker = new CircuitBreaker(3, OPEN_FOR, nanos::get);

    @Test
    void shouldLetCallsThroughBelowTheThreshold() {
        fail(2);

        assertThat(breaker.tryAcquire()).isZero();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void shouldOpenAfterThresholdConsecutiveFailures() {
        fail(3);

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.tryAcquire()).isEqualTo(OPEN_FOR);
    }

    @Test
    void shouldRefuseWhileOpenAndSayHowLongItStaysOpen() {
        fail(3);

        advance(Duration.ofMillis(500));
        assertThat(breaker.tryAcquire()).isEqualTo(Duration.ofMillis(1_500));
        advance(Duration.ofMillis(1_500).minusNanos(1));
        assertThat(breaker.tryAcquire()).isEqualTo(Duration.ofNanos(1));
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void shouldLetExactlyOneTrialThroughAfterTheOpenPeriod() {
        fail(3);
        advance(OPEN_FOR);

        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.tryAcquire()).as("trial").isZero();
        assertThat(breaker.tryAcquire()).as("second caller during the trial").isPositive();
        advance(Duration.ofMinutes(5));
        assertThat(breaker.tryAcquire()).as("still waiting for the trial's result").isPositive();
    }

    @Test
    void shouldCloseWhenTheTrialSucceeds() {
        fail(3);
        advance(OPEN_FOR);
        assertThat(breaker.tryAcquire()).isZero();

        breaker.onSuccess();

        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.tryAcquire()).isZero();
        assertThat(breaker.tryAcquire()).isZero();
        fail(2);
        assertThat(breaker.tryAcquire()).as("count restarted after closing").isZero();
    }

    @Test
    void shouldReopenForTheWholePeriodWhenTheTrialFails() {
        fail(3);
        advance(OPEN_FOR.plusSeconds(10));
        assertThat(breaker.tryAcquire()).isZero();

        breaker.onFailure();

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.tryAcquire()).isEqualTo(OPEN_FOR);
        advance(OPEN_FOR);
        assertThat(breaker.tryAcquire()).as("next trial").isZero();
    }

    @Test
    void shouldResetTheFailureCountOnSuccess() {
        fail(2);
        breaker.onSuccess();
        fail(2);

        assertThat(breaker.tryAcquire()).isZero();
        assertThat(breaker.isOpen()).isFalse();

        fail(1);
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void shouldOpenOnTheFirstFailureWithThresholdOne() {
        CircuitBreaker touchy = new CircuitBreaker(1, OPEN_FOR, nanos::get);

        touchy.onFailure();

        assertThat(touchy.isOpen()).isTrue();
        assertThat(touchy.tryAcquire()).isEqualTo(OPEN_FOR);
    }

    @Test
    void shouldRejectAThresholdBelowOne() {
        assertThatThrownBy(() -> new CircuitBreaker(0, OPEN_FOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).as("call before failure %d", i + 1).isZero();
            breaker.onFailure();
        }
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
