package dev.sluice.testkit.hn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, loopback-only server speaking the Hacker News API ({@code GET /v0/maxitem.json},
 * {@code GET /v0/item/{id}.json}) over items loaded from JSONL files, with optional latency and
 * fault injection for testing clients.
 *
 * <p>Items are served byte for byte as loaded, with {@code Content-Type: application/json;
 * charset=utf-8}; an unknown id, or one above {@link #maxItem()}, answers {@code null} with 200.
 * Any other path answers 404 {@code {"error":"Permission denied"}}; any method but GET answers 405.
 * Latency is added to every response; faults (see {@link Builder}) only to item requests.
 */
public final class HnReplayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HnReplayServer.class);
    private static final Pattern ITEM_PATH = Pattern.compile("/v0/item/(\\d{1,18})\\.json");
    private static final String MAXITEM_PATH = "/v0/maxitem.json";
    private static final String JSON = "application/json; charset=utf-8";
    private static final int POOL_THREADS = 256;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    static {
        // The JDK server writes headers and body as separate segments; without TCP_NODELAY the body
        // waits for the client's delayed ACK (~40 ms a response). Read once, when the JDK's server
        // config class loads, so it only helps if no HttpServer was created before this class.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Map<Long, String> items;
    private final FaultPlan plan;
    private final int latencyMs;
    private final int hangMs;
    private final AtomicLong maxItem;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService pool = newPool();
    private final HttpServer server;

    private HnReplayServer(Builder b, Map<Long, String> items) throws IOException {
        this.items = items;
        this.plan = new FaultPlan(b.failRate, b.seed, b.maxConsecutiveFaults, b.nullIds, b.malformedIds, b.errorIds);
        this.latencyMs = b.latencyMs;
        this.hangMs = b.hangMs;
        this.maxItem = new AtomicLong(items.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", b.port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
        LOG.info("HN replay server on {} with {} items, maxitem {}", baseUrl(), items.size(), maxItem.get());
    }

    /** A new builder; nothing is loaded or bound until {@link Builder#start()}. */
    private volatile boolean down;
    private volatile double garbageRate;
    private final java.util.concurrent.atomic.AtomicLong garbage = new java.util.concurrent.atomic.AtomicLong();

    /** Answers this share of item requests with a truncated body (random, not repeated for an id by design). */
    public void setGarbageRate(double rate) {
        this.garbageRate = rate;
    }

    /** Garbled answers sent so far. */
    public long garbageCount() {
        return garbage.get();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, {@code http://127.0.0.1:PORT}; items are at {@code baseUrl() + "/v0/item/ID.json"}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The maxitem currently served; ids above it answer {@code null}. */
    public long maxItem() {
        return maxItem.get();
    }

    /** Sets the maxitem served, e.g. to reveal ids progressively; defaults to the largest loaded id. */
    public void setMaxItem(long id) {
        maxItem.set(id);
    }

    /** Item requests received so far, whatever their outcome. */
    public long requestCount() {
        return requests.get();
    }

    /**
     * An outage: while down, every item request answers 503 (maxitem still answers, as when only the
     * item backend fails).
     */
    public void setDown(boolean isDown) {
        this.down = isDown;
    }

    /** Ends the fixed error answer of {@code id}: the upstream recovered. */
    public void heal(long id) {
        plan.heal(id);
    }

    /** Transient faults injected so far (not counting fixed {@code errorIds} answers). */
    public long faultCount() {
        return plan.faultCount();
    }

    /** Stops listening and interrupts requests still sleeping; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            pause(latencyMs);
            route(ex);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", ex.getRequestURI(), e.toString());
        }
    }

    private void route(HttpExchange ex) throws IOException, InterruptedException {
        if (!"GET".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "GET");
            send(ex, 405, "{\"error\":\"Method not allowed\"}");
            return;
        }
        String path = ex.getRequestURI().getPath();
        Matcher item = ITEM_PATH.matcher(path);
        if (item.matches()) {
            serveItem(ex, Long.parseLong(item.group(1)));
        } else if (MAXITEM_PATH.equals(path)) {
            send(ex, 200, Long.toString(maxItem.get()));
        } else {
            send(ex, 404, "{\"error\":\"Permission denied\"}");
        }
    }

    private void serveItem(HttpExchange ex, long id) throws IOException, InterruptedException {
        requests.incrementAndGet();
        if (down) {
            sendError(ex, 503);
            return;
        }
        if (garbageRate > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < garbageRate) {
            garbage.incrementAndGet();
            send(ex, 200, truncated(id)); // a garbled answer, whole again next time
            return;
        }
        FaultPlan.Decision decision = plan.decide(id);
        switch (decision.kind()) {
            case HANG -> {
                pause(hangMs);
                sendError(ex, decision.status());
            }
            case STATUS -> sendError(ex, decision.status());
            case NULL_BODY -> send(ex, 200, "null");
            case MALFORMED -> send(ex, 200, truncated(id));
            default -> send(ex, 200, id <= maxItem.get() ? items.getOrDefault(id, "null") : "null");
        }
    }

    private String truncated(long id) {
        String full = items.getOrDefault(id, "{\"id\":" + id + ",\"type\":\"story\"}");
        return full.substring(0, full.length() / 2);
    }

    private static void sendError(HttpExchange ex, int status) throws IOException {
        if (status == 429) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        send(ex, status, "{\"error\":\"HTTP " + status + "\"}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", JSON);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void pause(int ms) throws InterruptedException {
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static ExecutorService newPool() {
        return Executors.newFixedThreadPool(POOL_THREADS, r -> {
            Thread t = new Thread(r, "hn-replay-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }


    /**
     * Configures an {@link HnReplayServer}. Transient faults ({@link #failRate}) are 500, 503,
     * 429 with {@code Retry-After: 1}, or a hang of {@link #hangMs} followed by 500, chosen
     * deterministically from {@code (seed, id, attempt)}; fixed per-id behaviours take effect on
     * every request. Precedence: {@code errorIds}, then transient faults, then {@code nullIds},
     * then {@code malformedIds}.
     */
    public static final class Builder {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private final List<Path> files = new ArrayList<>();
        private int port;
        private int latencyMs;
        private double failRate;
        private int hangMs = 5000;
        private long seed;
        private int maxConsecutiveFaults = 3;
        private Set<Long> nullIds = new HashSet<>();
        private Set<Long> malformedIds = new HashSet<>();
        private Map<Long, Integer> errorIds = new HashMap<>();

        private Builder() {
        }

        /** Adds a JSONL file of items, one API item a line; may be called several times. */
        public Builder items(Path jsonl) {
            files.add(jsonl);
            return this;
        }

        /** The port to bind on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = check(port, 0, 65535, "port");
            return this;
        }

        /** Milliseconds added to every response (default 0). */
        public Builder latencyMs(int ms) {
            this.latencyMs = check(ms, 0, Integer.MAX_VALUE, "latencyMs");
            return this;
        }

        /** Fraction (0..1) of item requests answered with a transient fault (default 0). */
        public Builder failRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("failRate must be within 0..1, was " + rate);
            }
            this.failRate = rate;
            return this;
        }

        /** How long a hanging request sleeps before answering 500 (default 5000 ms). */
        public Builder hangMs(int ms) {
            this.hangMs = check(ms, 0, Integer.MAX_VALUE, "hangMs");
            return this;
        }

        /** Seed of the fault choice (default 0); the same seed repeats the same faults. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** With failRate below 1, the most transient faults in a row for one id (default 3). */
        public Builder maxConsecutiveFaults(int max) {
            this.maxConsecutiveFaults = check(max, 0, Integer.MAX_VALUE, "maxConsecutiveFaults");
            return this;
        }

        /** Ids that always answer {@code null}, as if not visible yet. */
        public Builder nullIds(Set<Long> ids) {
            this.nullIds = new HashSet<>(ids);
            return this;
        }

        /** Ids that always answer 200 with a truncated JSON body. */
        public Builder malformedIds(Set<Long> ids) {
            this.malformedIds = new HashSet<>(ids);
            return this;
        }

        /** Ids that always answer the given HTTP status (e.g. 500 forever). */
        public Builder errorIds(Map<Long, Integer> statusById) {
            statusById.values().forEach(s -> check(s, 400, 599, "errorIds status"));
            this.errorIds = new HashMap<>(statusById);
            return this;
        }

        /** Loads the items, binds 127.0.0.1 and starts serving. */
        public HnReplayServer start() throws IOException {
            return new HnReplayServer(this, load(files));
        }

        /** Reads the JSONL files into id -> line (verbatim, terminator dropped); later files win. */
        private static Map<Long, String> load(List<Path> files) throws IOException {
            Map<Long, String> byId = new HashMap<>();
            for (Path file : files) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    int lineNo = 0;
                    for (String line; (line = reader.readLine()) != null; ) {
                        lineNo++;
                        if (!line.isBlank()) {
                            byId.put(idOf(line, file, lineNo), line);
                        }
                    }
                }
            }
            return Collections.unmodifiableMap(byId);
        }

        private static long idOf(String line, Path file, int lineNo) throws IOException {
            JsonNode id;
            try {
                id = MAPPER.readTree(line).get("id");
            } catch (JsonProcessingException e) {
                throw new IOException(file + ":" + lineNo + ": not JSON: " + e.getOriginalMessage(), e);
            }
            if (id == null || !id.canConvertToLong()) {
                throw new IOException(file + ":" + lineNo + ": item has no numeric \"id\"");
            }
            return id.longValue();
        }

        private static int check(int value, int min, int max, String what) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " must be within " + min + ".." + max + ", was " + value);
            }
            return value;
        }
    }
}
