package dev.sluice.stages.hn;

import dev.sluice.runtime.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the Hacker News path: the watermark and item-fetch stages. */
public final class HnConfig extends AbstractConfig {
    public static final String BASE_URL_CONFIG = "hn.base.url";
    public static final String BASE_URL_DOC = "Base URL of the Hacker News API (serving /v0/maxitem.json and /v0/item/{id}.json).";
    public static final String POLL_INTERVAL_MS_CONFIG = "hn.poll.interval.ms";
    public static final String POLL_INTERVAL_MS_DOC = "How often the watermark polls maxitem.";
    public static final String FROM_ID_CONFIG = "hn.from.id";
    public static final String FROM_ID_DOC = "First id to emit on a first start (no watermark stored yet); -1 means use hn.backfill. Ignored once a watermark is stored.";
    public static final String BACKFILL_CONFIG = "hn.backfill";
    public static final String BACKFILL_DOC = "On a first start without hn.from.id, how many ids below the first maxitem seen to emit (maxitem - N + 1 .. maxitem).";
    public static final String WATERMARK_BATCH_CONFIG = "watermark.batch.ids";
    public static final String WATERMARK_BATCH_DOC = "Ids emitted per step of a backlog; a large backlog is spread over many transactions of about this size.";
    public static final String FETCH_CONCURRENCY_CONFIG = "fetch.concurrency";
    public static final String FETCH_CONCURRENCY_DOC = "Item requests in flight per fetch instance.";
    public static final String FETCH_TIMEOUT_MS_CONFIG = "fetch.request.timeout.ms";
    public static final String FETCH_TIMEOUT_MS_DOC = "Timeout of one item request (retried when it expires).";
    public static final String FETCH_CONNECT_TIMEOUT_MS_CONFIG = "fetch.connect.timeout.ms";
    public static final String FETCH_CONNECT_TIMEOUT_MS_DOC = "TCP connect timeout of the API client.";
    public static final String FETCH_RETRY_ATTEMPTS_CONFIG = "fetch.retry.max.attempts";
    public static final String FETCH_RETRY_ATTEMPTS_DOC = "Attempts per item (null answers, 429, 5xx, timeouts) before it is dead-lettered.";
    public static final String FETCH_RETRY_ELAPSED_MS_CONFIG = "fetch.retry.max.elapsed.ms";
    public static final String FETCH_RETRY_ELAPSED_MS_DOC = "Longest time an item is retried (e.g. while the API answers null for it) before it is dead-lettered.";
    public static final String FETCH_BACKOFF_INITIAL_MS_CONFIG = "fetch.retry.backoff.initial.ms";
    public static final String FETCH_BACKOFF_INITIAL_MS_DOC = "First retry backoff ceiling; doubles per attempt, full jitter.";
    public static final String FETCH_BACKOFF_MAX_MS_CONFIG = "fetch.retry.backoff.max.ms";
    public static final String FETCH_BACKOFF_MAX_MS_DOC = "Largest retry backoff, Retry-After included.";
    public static final String BREAKER_THRESHOLD_CONFIG = "fetch.breaker.failures";
    public static final String BREAKER_THRESHOLD_DOC = "Consecutive failed requests that open the circuit breaker.";
    public static final String BREAKER_OPEN_MS_CONFIG = "fetch.breaker.open.ms";
    public static final String BREAKER_OPEN_MS_DOC = "How long an open circuit refuses requests before one trial request.";
    public static final String FETCH_MAX_POLL_RECORDS_CONFIG = "fetch.max.poll.records";
    public static final String FETCH_MAX_POLL_RECORDS_DOC = "Ids per poll, and so per transaction, of the fetch stage.";
    public static final String MAX_RESPONSE_BYTES_CONFIG = "hn.max.response.bytes";
    public static final String MAX_RESPONSE_BYTES_DOC = "Largest body read from the Hacker News API; a larger answer is not buffered and its item id is dead-lettered (items are a few KiB).";
    public static final long MAX_RESPONSE_BYTES_DEFAULT = 1L << 20;

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(BASE_URL_CONFIG, Type.STRING, "https://hacker-news.firebaseio.com", Importance.HIGH, BASE_URL_DOC)
            .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(100), Importance.MEDIUM, POLL_INTERVAL_MS_DOC)
            .define(FROM_ID_CONFIG, Type.LONG, -1L, ConfigDef.LambdaValidator.with((name, v) -> {
                if (!(v instanceof Long id) || id == 0 || id < -1) {
                    throw new ConfigException(name, v, "item ids start at 1; use -1 to start from " + BACKFILL_CONFIG);
                }
            }, () -> "-1 or >= 1"), Importance.HIGH, FROM_ID_DOC)
            .define(BACKFILL_CONFIG, Type.LONG, 1_000L, Range.atLeast(0), Importance.MEDIUM, BACKFILL_DOC)
            .define(WATERMARK_BATCH_CONFIG, Type.INT, 1_000, Range.between(1, 100_000), Importance.LOW, WATERMARK_BATCH_DOC)
            .define(FETCH_CONCURRENCY_CONFIG, Type.INT, 64, Range.between(1, 1024), Importance.HIGH, FETCH_CONCURRENCY_DOC)
            .define(FETCH_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.atLeast(1), Importance.MEDIUM, FETCH_TIMEOUT_MS_DOC)
            .define(FETCH_CONNECT_TIMEOUT_MS_CONFIG, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW, FETCH_CONNECT_TIMEOUT_MS_DOC)
            .define(FETCH_RETRY_ATTEMPTS_CONFIG, Type.INT, 12, Range.atLeast(1), Importance.MEDIUM, FETCH_RETRY_ATTEMPTS_DOC)
            .define(FETCH_RETRY_ELAPSED_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(0), Importance.MEDIUM, FETCH_RETRY_ELAPSED_MS_DOC)
            .define(FETCH_BACKOFF_INITIAL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(0), Importance.LOW, FETCH_BACKOFF_INITIAL_MS_DOC)
            .define(FETCH_BACKOFF_MAX_MS_CONFIG, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW, FETCH_BACKOFF_MAX_MS_DOC)
            .define(BREAKER_THRESHOLD_CONFIG, Type.INT, 50, Range.atLeast(1), Importance.LOW, BREAKER_THRESHOLD_DOC)
            .define(BREAKER_OPEN_MS_CONFIG, Type.LONG, 2_000L, Range.atLeast(0), Importance.LOW, BREAKER_OPEN_MS_DOC)
            .define(FETCH_MAX_POLL_RECORDS_CONFIG, Type.INT, 500, Range.between(1, 100_000), Importance.LOW, FETCH_MAX_POLL_RECORDS_DOC)
            .define(MAX_RESPONSE_BYTES_CONFIG, Type.LONG, MAX_RESPONSE_BYTES_DEFAULT, Range.between(1_024, 256L << 20), Importance.LOW, MAX_RESPONSE_BYTES_DOC);

    public HnConfig(Map<?, ?> props) {
        super(CONFIG, props);
        if (getLong(FETCH_BACKOFF_MAX_MS_CONFIG) < getLong(FETCH_BACKOFF_INITIAL_MS_CONFIG)) {
            throw new ConfigException(FETCH_BACKOFF_MAX_MS_CONFIG + " (" + getLong(FETCH_BACKOFF_MAX_MS_CONFIG)
                    + ") is below " + FETCH_BACKOFF_INITIAL_MS_CONFIG + " (" + getLong(FETCH_BACKOFF_INITIAL_MS_CONFIG)
                    + "): raise the max or lower the initial backoff");
        }
        if (getLong(FETCH_RETRY_ELAPSED_MS_CONFIG) < getLong(FETCH_TIMEOUT_MS_CONFIG) && getInt(FETCH_RETRY_ATTEMPTS_CONFIG) > 1) {
            throw new ConfigException(FETCH_RETRY_ELAPSED_MS_CONFIG + " is shorter than one request ("
                    + FETCH_TIMEOUT_MS_CONFIG + "): a timed-out item could never be retried; raise it or set "
                    + FETCH_RETRY_ATTEMPTS_CONFIG + "=1");
        }
    }

    public RetryPolicy fetchRetryPolicy() {
        return new RetryPolicy(Duration.ofMillis(getLong(FETCH_BACKOFF_INITIAL_MS_CONFIG)),
                Duration.ofMillis(getLong(FETCH_BACKOFF_MAX_MS_CONFIG)), getInt(FETCH_RETRY_ATTEMPTS_CONFIG),
                Duration.ofMillis(getLong(FETCH_RETRY_ELAPSED_MS_CONFIG)));
    }

    /** A client of the configured API with its own circuit breaker. */
    public HnApiClient newApiClient() {
        return new HnApiClient(getString(BASE_URL_CONFIG), Duration.ofMillis(getLong(FETCH_CONNECT_TIMEOUT_MS_CONFIG)),
                Duration.ofMillis(getLong(FETCH_TIMEOUT_MS_CONFIG)),
                new CircuitBreaker(getInt(BREAKER_THRESHOLD_CONFIG), Duration.ofMillis(getLong(BREAKER_OPEN_MS_CONFIG))),
                getLong(MAX_RESPONSE_BYTES_CONFIG));
    }
}
