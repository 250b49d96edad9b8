package dev.sluice.stages.summarise;

import dev.sluice.stages.hn.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the summariser chain the configuration asks for. */
public final class Summarizers {

    private Summarizers() {
    }

    /**
     * Without {@code llm.base.url}: the offline summariser alone. With it: the primary model, the
     * fallback model if set, then the offline summariser unless {@code llm.fallback.offline=false};
     * each model with its own circuit breaker, the API key read from the configured environment variable.
     */
    public static FallbackChain fromConfig(SummariseConfig c) {
        OutputValidator validator = new OutputValidator(c.getInt(SummariseConfig.MAX_CHARS_CONFIG));
        List<Summarizer> links = new ArrayList<>();
        if (c.remote()) {
            String env = c.getString(SummariseConfig.API_KEY_ENV_CONFIG);
            OpenAiChatClient client = new OpenAiChatClient(c.getString(SummariseConfig.BASE_URL_CONFIG),
                    env.isBlank() ? null : System.getenv(env),
                    Duration.ofMillis(c.getLong(SummariseConfig.CONNECT_TIMEOUT_MS_CONFIG)),
                    Duration.ofMillis(c.getLong(SummariseConfig.TIMEOUT_MS_CONFIG)),
                    c.getLong(SummariseConfig.MAX_RESPONSE_BYTES_CONFIG));
            links.add(model(c, client, c.getString(SummariseConfig.MODEL_CONFIG), validator));
            if (!c.getString(SummariseConfig.FALLBACK_MODEL_CONFIG).isBlank()) {
                links.add(model(c, client, c.getString(SummariseConfig.FALLBACK_MODEL_CONFIG), validator));
            }
        }
        if (!c.remote() || c.getBoolean(SummariseConfig.FALLBACK_OFFLINE_CONFIG)) {
            links.add(new OfflineSummarizer(c.getInt(SummariseConfig.MAX_CHARS_CONFIG)));
        }
        return new FallbackChain(links);
    }

    private static Summarizer model(SummariseConfig c, OpenAiChatClient client, String model, OutputValidator validator) {
        OpenAiChatSummarizer.Limits limits = new OpenAiChatSummarizer.Limits(c.getInt(SummariseConfig.MAX_TOKENS_CONFIG),
                c.getDouble(SummariseConfig.TEMPERATURE_CONFIG), c.getInt(SummariseConfig.CONTEXT_TOKENS_CONFIG),
                c.getInt(SummariseConfig.TOKEN_BUDGET_CONFIG));
        CircuitBreaker breaker = new CircuitBreaker(c.getInt(SummariseConfig.BREAKER_FAILURES_CONFIG),
                Duration.ofMillis(c.getLong(SummariseConfig.BREAKER_OPEN_MS_CONFIG)));
        return new OpenAiChatSummarizer(client, model, limits, c.callRetryPolicy(), breaker, validator);
    }
}
