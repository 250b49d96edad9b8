package dev.sluice.stage;

import java.time.Duration;

/**
 * The remote side is unavailable (HTTP 429 or 5xx, an open circuit breaker): not the record's fault.
 * The runtime retries it, then stalls the record's partition and keeps trying with a capped backoff
 * for as long as the outage lasts; it is never dead-lettered, however often it repeats.
 */
public class UnavailableException extends RetriableStageException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, retryAfter, cause);
    }
}
