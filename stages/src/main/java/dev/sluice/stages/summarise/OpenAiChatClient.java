package dev.sluice.stages.summarise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.UnavailableException;
import dev.sluice.stages.hn.CappedBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One {@code POST {base}/v1/chat/completions} call to an OpenAI-compatible endpoint, classified:
 * 429, 5xx, timeouts, connection errors, malformed bodies, empty {@code choices} and
 * {@code finish_reason=length} are retriable (honouring {@code Retry-After}); so is a body over
 * {@code llm.max.response.bytes}, which is cut off there and treated as a malformed answer. Other
 * 4xx (bad key, unknown model) are permanent for this model. Thread-safe.
 */
public final class OpenAiChatClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A good completion: its text and the usage the endpoint reported (or estimated when absent). */
    public record Completion(String content, int promptTokens, int completionTokens) {
    }

    private final String endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final long maxBodyBytes;

    /** A client reading answers up to the default {@code llm.max.response.bytes}. */
    public OpenAiChatClient(String baseUrl, String apiKey, Duration connectTimeout, Duration timeout) {
        this(baseUrl, apiKey, connectTimeout, timeout, SummariseConfig.MAX_RESPONSE_BYTES_DEFAULT);
    }

    public OpenAiChatClient(String baseUrl, String apiKey, Duration connectTimeout, Duration timeout, long maxBodyBytes) {
        String base = baseUrl.replaceAll("/+$", "");
        this.endpoint = (base.endsWith("/v1") ? base : base + "/v1") + "/chat/completions";
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.maxBodyBytes = maxBodyBytes;
    }

    /** One completion of {@code system} + {@code user} by {@code model}. */
    public Completion complete(String model, String system, String user, int maxTokens, double temperature)
            throws RetriableStageException, PermanentStageException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(endpoint)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(model, system, user, maxTokens, temperature)));
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<CappedBody.Body> response;
        try {
            response = http.send(rb.build(), CappedBody.handler(maxBodyBytes));
        } catch (IOException e) {
            throw new RetriableStageException(model + ": request failed: " + e, e);
        }
        return parse(model, user, response, maxBodyBytes);
    }

    private static String body(String model, String system, String user, int maxTokens, double temperature) {
        ObjectNode req = JSON.createObjectNode();
        req.put("model", model);
        ArrayNode messages = req.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        req.put("max_tokens", maxTokens);
        req.put("temperature", temperature);
        req.put("stream", false);
        return req.toString();
    }

    private static Completion parse(String model, String user, HttpResponse<CappedBody.Body> r, long maxBodyBytes)
            throws RetriableStageException, PermanentStageException {
        int status = r.statusCode();
        if (status == 429 || status >= 500) {
            throw new UnavailableException(model + ": HTTP " + status, retryAfter(r).orElse(null), null);
        }
        if (status != 200) {
            throw new PermanentStageException(model + ": HTTP " + status + ": " + abbreviate(r.body().text()));
        }
        if (r.body().tooLarge()) {
            throw new RetriableStageException(model + ": malformed answer: " + r.body().bytes() + " bytes or more, over the limit of "
                    + maxBodyBytes + " (" + SummariseConfig.MAX_RESPONSE_BYTES_CONFIG + ")");
        }
        String body = r.body().text();
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RetriableStageException(model + ": malformed JSON answer (" + body.length() + " bytes)");
        }
        JsonNode choice = n.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new RetriableStageException(model + ": answer without choices");
        }
        if ("length".equals(choice.path("finish_reason").asText())) {
            throw new RetriableStageException(model + ": truncated answer (finish_reason=length)");
        }
        String content = choice.path("message").path("content").asText("");
        int in = n.path("usage").path("prompt_tokens").asInt(Text.tokens(user));
        int out = n.path("usage").path("completion_tokens").asInt(Text.tokens(content));
        return new Completion(content, in, out);
    }

    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000)));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException notADate) {
                    return Optional.empty();
                }
            }
        });
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
