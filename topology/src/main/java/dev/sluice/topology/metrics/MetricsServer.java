package dev.sluice.topology.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints of a Sluice process (JDK HttpServer): {@code /metrics} in Prometheus text format,
 * {@code /healthz} (liveness: 200 unless a stage failed fatally), {@code /readyz} (readiness: 200 once
 * every stage is running, e.g. Kafka Streams RUNNING or REBALANCING) and, when lag is exported,
 * {@code /lag/<stage>} as {@code {"stage":"fetch","lag":123}} for KEDA's metrics-api trigger.
 * Requests and responses have a 10 s deadline, and at most one scrape runs at a time on the four
 * server threads, so a slow scraper never starves the health probes.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    /** Longest time a client may take to send its request, and the server to answer it (seconds). */
    static final String REQUEST_TIMEOUT_SECONDS = "10";

    static {
        // the JDK server's own request and response deadlines: a slow or stuck client cannot hold a thread
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", REQUEST_TIMEOUT_SECONDS));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", REQUEST_TIMEOUT_SECONDS));
    }

    private final HttpServer server;
    /** One scrape at a time: /metrics can never take the threads the health probes need. */
    private final java.util.concurrent.Semaphore scrape = new java.util.concurrent.Semaphore(1);
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "sluice-metrics-http");
        t.setDaemon(true);
        return t;
    });

    /** Binds {@code port} on all interfaces and serves until closed; {@code lag} may be null. */
    public MetricsServer(int port, PrometheusMeterRegistry registry, BooleanSupplier live, BooleanSupplier ready,
                         LagGauges lag) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/metrics", ex -> metrics(ex, registry));
        server.createContext("/healthz", ex -> status(ex, live.getAsBoolean()));
        server.createContext("/readyz", ex -> status(ex, ready.getAsBoolean()));
        server.createContext("/lag/", ex -> lag(ex, lag));
        server.setExecutor(pool);
        server.start();
        log.info("serving /metrics, /healthz, /readyz{} on port {}", lag == null ? "" : ", /lag/<stage>", port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange ex, PrometheusMeterRegistry registry) throws IOException {
        if (!scrape.tryAcquire()) {
            send(ex, 503, "a scrape is already running\n", "text/plain; charset=utf-8");
            return;
        }
        try {
            send(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8");
        } finally {
            scrape.release();
        }
    }

    private static void status(HttpExchange ex, boolean ok) throws IOException {
        send(ex, ok ? 200 : 503, ok ? "ok\n" : "not ok\n", "text/plain; charset=utf-8");
    }

    private static void lag(HttpExchange ex, LagGauges lag) throws IOException {
        String stage = ex.getRequestURI().getPath().substring("/lag/".length());
        if (lag == null || !lag.knows(stage)) {
            send(ex, 404, "{\"error\":\"no lag exported for stage '" + stage.replaceAll("[^a-z0-9-]", "") + "'\"}",
                    "application/json");
        } else if (lag.total(stage) < 0) {
            send(ex, 503, "{\"error\":\"lag not read yet\"}", "application/json");
        } else {
            send(ex, 200, "{\"stage\":\"" + stage + "\",\"lag\":" + lag.total(stage) + "}", "application/json");
        }
    }

    private static void send(HttpExchange ex, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
