package dev.sluice.testkit.llm;

import static dev.sluice.testkit.llm.Replies.error;
import static dev.sluice.testkit.llm.Replies.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    private final LlmFaultPlan plan;
    private final Completions completions;
    private final String apiKey;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-llm");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;

    private FakeLlmServer(Builder b) throws IOException {
        this.plan = new LlmFaultPlan(b.failRate, b.seed, b.maxConsecutive, b.faults, b.down);
        this.completions = new Completions(plan, b.latencyMs, b.hangMs);
        this.apiKey = b.apiKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", b.port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
        LOG.info("fake LLM on {} (latency {} ms, fail rate {})", baseUrl(), b.latencyMs, b.failRate);
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
        return completions.requests(model);
    }

    /** Good answers (200, a choice, finish_reason stop) given for {@code model}: the calls a provider would bill. */
    public long answered(String model) {
        return completions.answered(model);
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
                completions.complete(ex, Replies.read(ex));
            } else {
                send(ex, 404, error("not_found", "Unknown path " + path));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", ex.getRequestURI(), e.toString());
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
