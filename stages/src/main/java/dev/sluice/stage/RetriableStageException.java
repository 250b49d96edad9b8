package dev.sluice.stage;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may succeed when tried again: a timeout, a 429 or 5xx answer, a resource not
 * visible yet. The runtime retries with backoff; when retries run out the record is dead-lettered.
 */
public class RetriableStageException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;

    public RetriableStageException(String message) {
        this(message, null, null);
    }

    public RetriableStageException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * @param retryAfter the earliest time to try again that the remote side asked for (e.g. an HTTP
     *                   {@code Retry-After}); the runtime waits at least this long, capped by its max backoff
     */
    public RetriableStageException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
