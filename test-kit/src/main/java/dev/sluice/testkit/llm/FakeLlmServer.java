package dev.sluice.testkit.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, loopback-only server speaking the OpenAI chat-completions protocol
 * ({@code POST /v1/chat/completions}, {@code GET /v1/models}) with a deterministic "model": the
 * answer is computed from the prompt ({@link FakeAnswers}), and {@code usage} counts tokens as
 * characters / 4. Latency is added to every completion; faults ({@link LlmFault}) are injected by
 * rate ({@link LlmFaultPlan}), by script, or for models marked down (always 503).
 *
 * <p>Counts requests and good answers ("paid calls") per model, so tests can prove a cache saves calls.
 */
public final class FakeLlmServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeLlmServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmFaultPlan plan;
    private final int latencyMs;
    private final int hangMs;
    private final String apiKey;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-llm");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;

    private FakeLlmServer(Builder b) throws IOException {
        this.plan = new LlmFaultPlan(b.failRate, b.seed, b.maxConsecutive, b.faults, b.down);
        this.latencyMs = b.latencyMs;
        this.hangMs = b.hangMs;
        this.apiKey = b.apiKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", b.port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
        LOG.info("fake LLM on {} (latency {} ms, fail rate {})", baseUrl(), latencyMs, b.failRate);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT}; completions are at {@code baseUrl() + "/v1/chat/completions"}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The fault plan, to script faults or mark models down while running. */
    public LlmFaultPlan faults() {
        return plan;
    }

    /** Completion requests received for {@code model}, whatever their outcome. */
    public long requests(String model) {
        return requests.getOrDefault(model, new AtomicLong()).get();
    }

    /** Good answers (200, a choice, finish_reason stop) given for {@code model}: the calls a provider would bill. */
    public long answered(String model) {
        return answered.getOrDefault(model, new AtomicLong()).get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (apiKey != null && !("Bearer " + apiKey).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, error("invalid_api_key", "Incorrect API key provided"));
            } else if (path.equals("/v1/models") && ex.getRequestMethod().equals("GET")) {
                send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"fake\",\"object\":\"model\",\"owned_by\":\"sluice\"}]}");
            } else if (path.equals("/v1/chat/completions") && ex.getRequestMethod().equals("POST")) {
                complete(ex, JSON.readTree(ex.getRequestBody()));
            } else {
                send(ex, 404, error("not_found", "Unknown path " + path));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", ex.getRequestURI(), e.toString());
        }
    }

    private void complete(HttpExchange ex, JsonNode req) throws IOException, InterruptedException {
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
        send(ex, 200, completion(model, cut ? answer.substring(0, maxTokens * 4) : answer, cut ? "length" : "stop",
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
                String full = completion(model, answer, "stop", promptTokens).toString();
                send(ex, 200, full.substring(0, full.length() / 2));
            }
            case EMPTY_CHOICES -> {
                ObjectNode c = completion(model, answer, "stop", promptTokens);
                c.putArray("choices");
                send(ex, 200, c.toString());
            }
            case TRUNCATED -> send(ex, 200, completion(model, answer.substring(0, answer.length() / 2), "length",
                    promptTokens).toString());
            default -> {
                return false;
            }
        }
        return true;
    }

    private ObjectNode completion(String model, String content, String finish, int promptTokens) {
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

    private static String error(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("message", message).put("type", type);
        return e.toString();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Configures a {@link FakeLlmServer}. */
    public static final class Builder {
        private int port;
        private int latencyMs;
        private int hangMs = 5_000;
        private double failRate;
        private long seed;
        private int maxConsecutive = 2;
        private java.util.Set<LlmFault> faults = java.util.EnumSet.allOf(LlmFault.class);
        private java.util.Set<String> down = java.util.Set.of();
        private String apiKey;

        public Builder port(int port) { this.port = port; return this; }
        /** Milliseconds added to every completion (default 0). */
        public Builder latencyMs(int ms) { this.latencyMs = ms; return this; }
        /** How long a {@link LlmFault#HANG} lasts before its 504 (default 5000 ms). */
        public Builder hangMs(int ms) { this.hangMs = ms; return this; }
        /** Fraction (0..1) of completions answered with a fault drawn from {@link #faults} (default 0). */
        public Builder failRate(double rate) { this.failRate = rate; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Most faults in a row for one prompt, so a retrying client gets through (default 2). */
        public Builder maxConsecutive(int n) { this.maxConsecutive = n; return this; }
        /** The kinds injected at {@link #failRate} (default all). */
        public Builder faults(java.util.Set<LlmFault> kinds) { this.faults = java.util.EnumSet.copyOf(kinds); return this; }
        /** Models that answer 503 to every completion. */
        public Builder down(java.util.Set<String> models) { this.down = java.util.Set.copyOf(models); return this; }
        /** Requires {@code Authorization: Bearer KEY} (default: no key required). */
        public Builder apiKey(String key) { this.apiKey = key; return this; }

        public FakeLlmServer start() throws IOException {
            if (!(failRate >= 0 && failRate <= 1)) {
                throw new IllegalArgumentException("failRate must be within 0..1, was " + failRate);
            }
            return new FakeLlmServer(this);
        }
    }
}
