package dev.sluice.testkit.llm;

import static dev.sluice.testkit.llm.Replies.error;
import static dev.sluice.testkit.llm.Replies.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/chat/completions} of a {@link FakeLlmServer}: latency, then a fault from the
 * {@link LlmFaultPlan} or the deterministic answer ({@link FakeAnswers}), cut at {@code max_tokens};
 * counts requests and good answers per model.
 */
final class Completions {
    private final LlmFaultPlan plan;
    private final int latencyMs;
    private final int hangMs;
    private final Replies replies = new Replies();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answered = new ConcurrentHashMap<>();

    Completions(LlmFaultPlan plan, int latencyMs, int hangMs) {
        this.plan = plan;
        this.latencyMs = latencyMs;
        this.hangMs = hangMs;
    }

    long requests(String model) {
        return requests.getOrDefault(model, new AtomicLong()).get();
    }

    long answered(String model) {
        return answered.getOrDefault(model, new AtomicLong()).get();
    }

    void complete(HttpExchange ex, JsonNode req) throws IOException, InterruptedException {
        String model = req.path("model").asText("");
        String system = req.path("messages").path(0).path("content").asText("");
        String user = req.path("messages").path(req.path("messages").size() - 1).path("content").asText("");
        if (model.isEmpty() || user.isEmpty()) {
            send(ex, 400, error("invalid_request_error", "model and messages are required"));
            return;
        }
        requests.computeIfAbsent(model, m -> new AtomicLong()).incrementAndGet();
        Thread.sleep(latencyMs);
        LlmFault fault = plan.decide(model, req.path("messages").toString());
        if (fault != null && respondWithFault(ex, fault, model, system, user)) {
            return;
        }
        String answer = FakeAnswers.answer(system, user);
        int maxTokens = req.path("max_tokens").asInt(Integer.MAX_VALUE);
        boolean cut = (answer.length() + 3) / 4 > maxTokens;
        if (!cut) {
            answered.computeIfAbsent(model, m -> new AtomicLong()).incrementAndGet();
        }
        send(ex, 200, replies.completion(model, cut ? answer.substring(0, maxTokens * 4) : answer, cut ? "length" : "stop",
                (system.length() + user.length() + 3) / 4).toString());
    }

    /** Answers with the fault; false when the fault leaves a normal answer to give. */
    private boolean respondWithFault(HttpExchange ex, LlmFault fault, String model, String system, String user)
            throws IOException, InterruptedException {
        String answer = FakeAnswers.answer(system, user);
        int promptTokens = (system.length() + user.length() + 3) / 4;
        switch (fault) {
            case RATE_LIMIT -> {
                ex.getResponseHeaders().set("Retry-After", "1");
                send(ex, 429, error("rate_limit_exceeded", "Rate limit reached for " + model));
            }
            case SERVER_ERROR -> send(ex, 500, error("server_error", "The server had an error"));
            case HANG -> {
                Thread.sleep(hangMs);
                send(ex, 504, error("timeout", "upstream timed out"));
            }
            case MALFORMED -> {
                String full = replies.completion(model, answer, "stop", promptTokens).toString();
                send(ex, 200, full.substring(0, full.length() / 2));
            }
            case EMPTY_CHOICES -> {
                ObjectNode c = replies.completion(model, answer, "stop", promptTokens);
                c.putArray("choices");
                send(ex, 200, c.toString());
            }
            case TRUNCATED -> send(ex, 200, replies.completion(model, answer.substring(0, answer.length() / 2), "length",
                    promptTokens).toString());
            default -> {
                return false;
            }
        }
        return true;
    }
}
