package dev.sluice.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter: attempt {@code n} (1-based) waits a random time in
 * {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]}, or at least what the remote side asked
 * for ({@code Retry-After}), capped at {@code maxBackoff}. Retrying stops after {@code maxAttempts}
 * attempts or once {@code maxElapsed} has passed since the first attempt, whichever comes first.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration maxElapsed) {

    /** 100 ms doubling to 5 s, at most 8 attempts within 60 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 8, Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max attempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry backoff must satisfy 0 <= initial (" + initialBackoff
                    + ") <= max (" + maxBackoff + ")");
        }
    }

    /** Whether another attempt is allowed after {@code attempts} attempts and {@code elapsed} time. */
    public boolean allowsAnother(int attempts, Duration elapsed) {
        return attempts < maxAttempts && elapsed.compareTo(maxElapsed) < 0;
    }

    /** How long to wait after the given failed attempt (1-based). */
    public Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long ceiling = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        ceiling = Math.min(Math.max(ceiling, 0), maxBackoff.toMillis());
        long jittered = ceiling == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        long floor = retryAfter.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.min(Math.max(jittered, floor), maxBackoff.toMillis()));
    }
}
