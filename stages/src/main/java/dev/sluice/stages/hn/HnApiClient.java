package dev.sluice.stages.hn;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.UnavailableException;
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
 * Blocking client of the Hacker News API ({@code /v0/maxitem.json}, {@code /v0/item/{id}.json})
 * with timeouts and a shared circuit breaker. Answers are classified for the stage runtime:
 * 429, 5xx, timeouts and connection errors are retriable (honouring {@code Retry-After}); other
 * 4xx are permanent, and so is a body over {@code hn.max.response.bytes} (no item is that large:
 * the id is dead-lettered rather than buffered). Thread-safe; callers provide the concurrency.
 */
public final class HnApiClient {
    private final String baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final CircuitBreaker breaker;
    private final long maxBodyBytes;

    /** A client reading bodies up to the default {@code hn.max.response.bytes}. */
    public HnApiClient(String baseUrl, Duration connectTimeout, Duration requestTimeout, CircuitBreaker breaker) {
        this(baseUrl, connectTimeout, requestTimeout, breaker, HnConfig.MAX_RESPONSE_BYTES_DEFAULT);
    }

    public HnApiClient(String baseUrl, Duration connectTimeout, Duration requestTimeout, CircuitBreaker breaker,
                       long maxBodyBytes) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder()
                .version(this.baseUrl.startsWith("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.requestTimeout = requestTimeout;
        this.breaker = breaker;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The body of {@code GET /v0/item/{id}.json}: a JSON object, or {@code null} when not visible yet. */
    public String item(long id) throws RetriableStageException, PermanentStageException, InterruptedException {
        return get("/v0/item/" + id + ".json");
    }

    /** The current largest item id. */
    public long maxItem() throws RetriableStageException, PermanentStageException, InterruptedException {
        String body = get("/v0/maxitem.json").trim();
        try {
            return Long.parseLong(body);
        } catch (NumberFormatException e) {
            throw new PermanentStageException("maxitem.json answered '" + abbreviate(body) + "', not an id");
        }
    }

    private String get(String path) throws RetriableStageException, PermanentStageException, InterruptedException {
        Duration open = breaker.tryAcquire();
        if (!open.isZero()) {
            throw new UnavailableException("circuit open after repeated failures of " + baseUrl, open, null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<CappedBody.Body> response;
        try {
            response = http.send(request, CappedBody.handler(maxBodyBytes));
        } catch (IOException e) {
            breaker.onFailure();
            throw new RetriableStageException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException | RuntimeException e) {
            breaker.onAbandoned();
            throw e;
        }
        return classify(path, response);
    }

    private String classify(String path, HttpResponse<CappedBody.Body> response)
            throws RetriableStageException, PermanentStageException {
        int status = response.statusCode();
        CappedBody.Body body = response.body();
        if (status == 200) {
            breaker.onSuccess();
            if (body.tooLarge()) {
                throw new PermanentStageException("GET " + path + " answered " + body.bytes() + " bytes or more, over the limit of "
                        + maxBodyBytes + " (" + HnConfig.MAX_RESPONSE_BYTES_CONFIG + ")");
            }
            return body.text();
        }
        if (status == 429 || status >= 500) {
            breaker.onFailure();
            Duration retryAfter = retryAfter(response).orElse(null);
            throw new UnavailableException("GET " + path + " answered HTTP " + status, retryAfter, null);
        }
        breaker.onSuccess();
        throw new PermanentStageException("GET " + path + " answered HTTP " + status + ": " + abbreviate(body.text()));
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(HnApiClient::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
