package dev.sluice.stages.hn;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Consecutive-failure circuit breaker. After {@code threshold} failures in a row it opens for
 * {@code openFor}: calls are refused without touching the remote side. Then one trial call is let
 * through (half-open); its success closes the circuit, its failure opens it again.
 */
public final class CircuitBreaker {
    private final int threshold;
    private final long openForNanos;
    private final LongSupplier clock;
    private int consecutiveFailures;
    private long openUntil;
    private boolean trialInFlight;

    public CircuitBreaker(int threshold, Duration openFor) {
        this(threshold, openFor, System::nanoTime);
    }

    CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("circuit breaker threshold must be >= 1, was " + threshold);
        }
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.clock = nanoClock;
    }

    /**
     * Asks to make a call.
     *
     * @return {@link Duration#ZERO} when the call may go ahead, otherwise how long the circuit stays open
     */
    public synchronized Duration tryAcquire() {
        if (consecutiveFailures < threshold) {
            return Duration.ZERO;
        }
        long now = clock.getAsLong();
        if (now < openUntil) {
            return Duration.ofNanos(openUntil - now);
        }
        if (trialInFlight) {
            return Duration.ofNanos(openForNanos);
        }
        trialInFlight = true;
        return Duration.ZERO;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    /** The call let through ended without an answer (interrupted, or failed locally): frees the trial slot. */
    public synchronized void onAbandoned() {
        trialInFlight = false;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        trialInFlight = false;
        if (consecutiveFailures >= threshold) {
            openUntil = clock.getAsLong() + openForNanos;
        }
    }

    public synchronized boolean isOpen() {
        return consecutiveFailures >= threshold && clock.getAsLong() < openUntil;
    }
}
