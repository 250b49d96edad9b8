package dev.sluice.testkit.hn;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Latency is added to every response; faults (see {@link HnReplayBuilder}) only to item requests.
 */
public final class HnReplayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HnReplayServer.class);
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

    private final ReplayItems items;
    private final FaultPlan plan;
    private final HnApiHandler api;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService pool = newPool();
    private final HttpServer server;

    HnReplayServer(HnReplayBuilder b, ReplayItems items) throws IOException {
        this.items = items;
        this.plan = new FaultPlan(b.failRate, b.seed, b.maxConsecutiveFaults, b.nullIds, b.malformedIds, b.errorIds);
        this.api = new HnApiHandler(items, plan, b.latencyMs, b.hangMs);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", b.port), 1024);
        server.createContext("/", api);
        server.setExecutor(pool);
        server.start();
        LOG.info("HN replay server on {} with {} items, maxitem {}", baseUrl(), items.size(), items.maxItem());
    }

    /** A new builder; nothing is loaded or bound until {@link HnReplayBuilder#start()}. */
    public static HnReplayBuilder builder() {
        return new HnReplayBuilder();
    }

    /** Answers this share of item requests with a truncated body (random, not repeated for an id by design). */
    public void setGarbageRate(double rate) {
        api.setGarbageRate(rate);
    }

    /** Changes the milliseconds added to every response, e.g. to keep a client's requests in flight for a while. */
    public void setLatencyMs(int ms) {
        api.setLatencyMs(ms);
    }

    /** Garbled answers sent so far. */
    public long garbageCount() {
        return api.garbageCount();
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
        return items.maxItem();
    }

    /** Sets the maxitem served, e.g. to reveal ids progressively; defaults to the largest loaded id. */
    public void setMaxItem(long id) {
        items.setMaxItem(id);
    }

    /** Item requests received so far, whatever their outcome. */
    public long requestCount() {
        return api.requestCount();
    }

    /**
     * An outage: while down, every item request answers 503 (maxitem still answers, as when only the
     * item backend fails).
     */
    public void setDown(boolean isDown) {
        api.setDown(isDown);
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

    private static ExecutorService newPool() {
        return Executors.newFixedThreadPool(POOL_THREADS, r -> {
            Thread t = new Thread(r, "hn-replay-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
