package dev.sluice.stages.summarise;

import dev.sluice.runtime.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the summariser (model chain, budgets, cache) and of the Hacker News thread path. */
public final class SummariseConfig extends AbstractConfig {
    public static final String BASE_URL_CONFIG = "llm.base.url";
    public static final String BASE_URL_DOC = "Base URL of an OpenAI-compatible endpoint (POST {url}/v1/chat/completions): a hosted provider, vLLM, Ollama, llama.cpp's server. Empty: the offline extractive summariser only, no model and no network.";
    public static final String ALLOW_INSECURE_HTTP_CONFIG = "llm.allow.insecure.http";
    public static final String ALLOW_INSECURE_HTTP_DOC = "Allow an http:// llm.base.url on a host other than loopback; the prompts (documents, comments) and the API key then cross the network in clear. Off: such a URL fails at start; use https.";
    public static final String MAX_RESPONSE_BYTES_CONFIG = "llm.max.response.bytes";
    public static final String MAX_RESPONSE_BYTES_DOC = "Largest answer body read from the endpoint; a larger one is cut off and treated as a malformed answer (retried, then the chain falls back).";
    public static final long MAX_RESPONSE_BYTES_DEFAULT = 4L << 20;
    public static final String MODEL_CONFIG = "llm.model";
    public static final String MODEL_DOC = "Primary model name sent to the endpoint.";
    public static final String FALLBACK_MODEL_CONFIG = "llm.fallback.model";
    public static final String FALLBACK_MODEL_DOC = "Model tried when the primary fails (after its retries, or with its circuit open); empty: none. The offline summariser is always last in the chain unless llm.fallback.offline=false.";
    public static final String FALLBACK_OFFLINE_CONFIG = "llm.fallback.offline";
    public static final String FALLBACK_OFFLINE_DOC = "End the chain with the offline summariser. false: when every model fails the record's partition stalls; while a model is unavailable (HTTP 429/5xx, timeouts, open circuit) it is retried until one answers, never dead-lettered; other failures are dead-lettered with every model's reason once they repeat identically (stall.dead.letter.after.identical.failures).";
    public static final String API_KEY_ENV_CONFIG = "llm.api.key.env";
    public static final String API_KEY_ENV_DOC = "Environment variable holding the API key, sent as 'Authorization: Bearer'; unset or empty sends none.";
    public static final String TIMEOUT_MS_CONFIG = "llm.request.timeout.ms";
    public static final String TIMEOUT_MS_DOC = "Timeout of one completion request (retried when it expires).";
    public static final String CONNECT_TIMEOUT_MS_CONFIG = "llm.connect.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS_DOC = "TCP connect timeout of the endpoint.";
    public static final String MAX_TOKENS_CONFIG = "llm.max.tokens";
    public static final String MAX_TOKENS_DOC = "max_tokens of one completion: the longest answer accepted; an answer cut at it (finish_reason=length) is rejected.";
    public static final String TEMPERATURE_CONFIG = "llm.temperature";
    public static final String TEMPERATURE_DOC = "Sampling temperature sent with every completion.";
    public static final String CONTEXT_TOKENS_CONFIG = "llm.context.tokens";
    public static final String CONTEXT_TOKENS_DOC = "The model's context window; longer inputs are split into chunks that fit (with the prompt and the answer) and summarised map-reduce.";
    public static final String RETRY_ATTEMPTS_CONFIG = "llm.retry.max.attempts";
    public static final String RETRY_ATTEMPTS_DOC = "Attempts per completion on 429, 5xx, timeouts and rejected answers before the chain moves on to the next model.";
    public static final String BACKOFF_INITIAL_MS_CONFIG = "llm.retry.backoff.initial.ms";
    public static final String BACKOFF_INITIAL_MS_DOC = "First retry backoff ceiling; doubles per attempt, full jitter; a Retry-After is honoured.";
    public static final String BACKOFF_MAX_MS_CONFIG = "llm.retry.backoff.max.ms";
    public static final String BACKOFF_MAX_MS_DOC = "Largest backoff between completion attempts, Retry-After included.";
    public static final String BREAKER_FAILURES_CONFIG = "llm.breaker.failures";
    public static final String BREAKER_FAILURES_DOC = "Consecutive failed completions of one model that open its circuit: the chain skips it at once.";
    public static final String BREAKER_OPEN_MS_CONFIG = "llm.breaker.open.ms";
    public static final String BREAKER_OPEN_MS_DOC = "How long an open circuit skips its model before one trial request.";
    public static final String CONCURRENCY_CONFIG = "summarise.concurrency";
    public static final String CONCURRENCY_DOC = "Summaries in flight per summarise stage instance (records of one transaction processed at once).";
    public static final String MAX_POLL_CONFIG = "summarise.max.poll.records";
    public static final String MAX_POLL_DOC = "Records per poll, and so per transaction, of the summarise stages.";
    public static final String TOKEN_BUDGET_CONFIG = "summarise.token.budget";
    public static final String TOKEN_BUDGET_DOC = "Most tokens (in + out, all map-reduce calls) one summary may cost a model; a subject estimated above it goes down the chain (offline).";
    public static final String MAX_CHARS_CONFIG = "summarise.max.chars";
    public static final String MAX_CHARS_DOC = "Longest summary text accepted; a longer answer is rejected as over-long.";
    public static final String CACHE_CONFIG = "summarise.cache.enabled";
    public static final String CACHE_DOC = "Keep model answers in PostgreSQL table llm_cache by content hash, prompt version and model chain, so a replay never pays twice.";
    public static final String RETRY_ELAPSED_MS_CONFIG = "summarise.retry.max.elapsed.ms";
    public static final String RETRY_ELAPSED_MS_DOC = "How long the runtime retries in place a subject whose whole chain failed before its partition stalls (stall.backoff.*); an outage is never dead-lettered.";
    public static final String THREAD_MIN_CONFIG = "threads.min.comments";
    public static final String THREAD_MIN_DOC = "Comments a Hacker News thread needs before its first summary.";
    public static final String THREAD_EVERY_CONFIG = "threads.resummarise.every";
    public static final String THREAD_EVERY_DOC = "Further comments after which a thread is summarised again (a new version; earlier ones are kept).";
    public static final String THREAD_MAX_COMMENTS_CONFIG = "threads.max.comments";
    public static final String THREAD_MAX_COMMENTS_DOC = "Comments of a thread kept for its summaries (the earliest); later ones still count towards re-summarising.";
    public static final String RESOLVE_CONCURRENCY_CONFIG = "threads.resolve.concurrency";
    public static final String RESOLVE_CONCURRENCY_DOC = "Items resolved to their root story at once (ancestor fetches in flight) per instance.";
    public static final String RESOLVE_CACHE_CONFIG = "threads.resolve.cache.items";
    public static final String RESOLVE_CACHE_DOC = "Item-to-root entries kept in memory to resolve comments without fetching their ancestors.";
    public static final String RESOLVE_MAX_DEPTH_CONFIG = "threads.resolve.max.depth";
    public static final String RESOLVE_MAX_DEPTH_DOC = "Longest parent chain followed; a deeper (or cyclic) chain is dead-lettered.";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(BASE_URL_CONFIG, Type.STRING, "", Importance.HIGH, BASE_URL_DOC)
            .define(ALLOW_INSECURE_HTTP_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, ALLOW_INSECURE_HTTP_DOC)
            .define(MAX_RESPONSE_BYTES_CONFIG, Type.LONG, MAX_RESPONSE_BYTES_DEFAULT, Range.between(1_024, 1L << 30), Importance.LOW, MAX_RESPONSE_BYTES_DOC)
            .define(MODEL_CONFIG, Type.STRING, "", Importance.HIGH, MODEL_DOC)
            .define(FALLBACK_MODEL_CONFIG, Type.STRING, "", Importance.MEDIUM, FALLBACK_MODEL_DOC)
            .define(FALLBACK_OFFLINE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, FALLBACK_OFFLINE_DOC)
            .define(API_KEY_ENV_CONFIG, Type.STRING, "SLUICE_LLM_API_KEY", Importance.MEDIUM, API_KEY_ENV_DOC)
            .define(TIMEOUT_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM, TIMEOUT_MS_DOC)
            .define(CONNECT_TIMEOUT_MS_CONFIG, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW, CONNECT_TIMEOUT_MS_DOC)
            .define(MAX_TOKENS_CONFIG, Type.INT, 600, Range.between(16, 100_000), Importance.MEDIUM, MAX_TOKENS_DOC)
            .define(TEMPERATURE_CONFIG, Type.DOUBLE, 0.2, Range.between(0, 2), Importance.LOW, TEMPERATURE_DOC)
            .define(CONTEXT_TOKENS_CONFIG, Type.INT, 8_192, Range.between(256, 10_000_000), Importance.MEDIUM, CONTEXT_TOKENS_DOC)
            .define(RETRY_ATTEMPTS_CONFIG, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM, RETRY_ATTEMPTS_DOC)
            .define(BACKOFF_INITIAL_MS_CONFIG, Type.LONG, 200L, Range.atLeast(0), Importance.LOW, BACKOFF_INITIAL_MS_DOC)
            .define(BACKOFF_MAX_MS_CONFIG, Type.LONG, 10_000L, Range.atLeast(0), Importance.LOW, BACKOFF_MAX_MS_DOC)
            .define(BREAKER_FAILURES_CONFIG, Type.INT, 10, Range.atLeast(1), Importance.LOW, BREAKER_FAILURES_DOC)
            .define(BREAKER_OPEN_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW, BREAKER_OPEN_MS_DOC)
            .define(CONCURRENCY_CONFIG, Type.INT, 8, Range.between(1, 1024), Importance.HIGH, CONCURRENCY_DOC)
            .define(MAX_POLL_CONFIG, Type.INT, 64, Range.between(1, 10_000), Importance.LOW, MAX_POLL_DOC)
            .define(TOKEN_BUDGET_CONFIG, Type.INT, 60_000, Range.atLeast(1), Importance.MEDIUM, TOKEN_BUDGET_DOC)
            .define(MAX_CHARS_CONFIG, Type.INT, 4_000, Range.atLeast(1), Importance.MEDIUM, MAX_CHARS_DOC)
            .define(CACHE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, CACHE_DOC)
            .define(RETRY_ELAPSED_MS_CONFIG, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW, RETRY_ELAPSED_MS_DOC)
            .define(THREAD_MIN_CONFIG, Type.INT, 35, Range.atLeast(1), Importance.HIGH, THREAD_MIN_DOC)
            .define(THREAD_EVERY_CONFIG, Type.INT, 25, Range.atLeast(1), Importance.MEDIUM, THREAD_EVERY_DOC)
            .define(THREAD_MAX_COMMENTS_CONFIG, Type.INT, 300, Range.atLeast(1), Importance.LOW, THREAD_MAX_COMMENTS_DOC)
            .define(RESOLVE_CONCURRENCY_CONFIG, Type.INT, 16, Range.between(1, 1024), Importance.MEDIUM, RESOLVE_CONCURRENCY_DOC)
            .define(RESOLVE_CACHE_CONFIG, Type.INT, 500_000, Range.atLeast(0), Importance.LOW, RESOLVE_CACHE_DOC)
            .define(RESOLVE_MAX_DEPTH_CONFIG, Type.INT, 500, Range.atLeast(1), Importance.LOW, RESOLVE_MAX_DEPTH_DOC);

    public SummariseConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        if (!getString(BASE_URL_CONFIG).isBlank() && getString(MODEL_CONFIG).isBlank()) {
            throw new ConfigException(BASE_URL_CONFIG + " is set but " + MODEL_CONFIG + " is empty: name the model (--llm-model)");
        }
        if (remote()) {
            EndpointUrl.check(getString(BASE_URL_CONFIG), getBoolean(ALLOW_INSECURE_HTTP_CONFIG));
        }
        if (getString(BASE_URL_CONFIG).isBlank() && !getString(FALLBACK_MODEL_CONFIG).isBlank()) {
            throw new ConfigException(FALLBACK_MODEL_CONFIG + " needs " + BASE_URL_CONFIG + " (--llm-base-url); without it only the offline summariser runs");
        }
        if (getLong(BACKOFF_MAX_MS_CONFIG) < getLong(BACKOFF_INITIAL_MS_CONFIG)) {
            throw new ConfigException(BACKOFF_MAX_MS_CONFIG + " (" + getLong(BACKOFF_MAX_MS_CONFIG) + ") is below "
                    + BACKOFF_INITIAL_MS_CONFIG + " (" + getLong(BACKOFF_INITIAL_MS_CONFIG) + "): raise the max or lower the initial backoff");
        }
        if (getInt(CONTEXT_TOKENS_CONFIG) < 2 * getInt(MAX_TOKENS_CONFIG) + 200) {
            throw new ConfigException(CONTEXT_TOKENS_CONFIG + " (" + getInt(CONTEXT_TOKENS_CONFIG) + ") leaves no room for input next to "
                    + MAX_TOKENS_CONFIG + " (" + getInt(MAX_TOKENS_CONFIG) + "): it must be at least 2 x max tokens + 200");
        }
    }

    /** True when a remote model is configured. */
    public boolean remote() {
        return !getString(BASE_URL_CONFIG).isBlank();
    }

    /** Retries of one completion inside a summariser (before the chain moves on). */
    public RetryPolicy callRetryPolicy() {
        return new RetryPolicy(Duration.ofMillis(getLong(BACKOFF_INITIAL_MS_CONFIG)), Duration.ofMillis(getLong(BACKOFF_MAX_MS_CONFIG)),
                getInt(RETRY_ATTEMPTS_CONFIG), Duration.ofMillis(getLong(TIMEOUT_MS_CONFIG) * getInt(RETRY_ATTEMPTS_CONFIG)));
    }

    /** Retries of a whole subject by the stage runtime (when even the last link of the chain failed). */
    public RetryPolicy stageRetryPolicy() {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 5, Duration.ofMillis(getLong(RETRY_ELAPSED_MS_CONFIG)));
    }
}
