package dev.sluice.testkit.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** The JSON bodies of a {@link FakeLlmServer}: requests read, completions and errors written in the OpenAI shapes. */
final class Replies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong ids = new AtomicLong();

    /** A request body as JSON. */
    static JsonNode read(HttpExchange ex) throws IOException {
        return JSON.readTree(ex.getRequestBody());
    }

    /** A chat completion with one choice; {@code usage} counts tokens as characters / 4. */
    ObjectNode completion(String model, String content, String finish, int promptTokens) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-" + ids.incrementAndGet());
        c.put("object", "chat.completion");
        c.put("created", System.currentTimeMillis() / 1000);
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", finish);
        int completionTokens = (content.length() + 3) / 4;
        c.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return c;
    }

    /** An error body, {@code {"error":{"message":..,"type":..}}}. */
    static String error(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("message", message).put("type", type);
        return e.toString();
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
