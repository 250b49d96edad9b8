package dev.sluice.stages.documents;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real web server on 127.0.0.1 for the download tests: serves bytes, redirects and slow bodies,
 * and records every request's path and {@code Host} header.
 */
final class LocalSite implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final List<String> hosts = new CopyOnWriteArrayList<>();

    private final ExecutorService handlers = Executors.newCachedThreadPool();

    private LocalSite(HttpServer server) {
        this.server = server;
        server.setExecutor(handlers);
        server.start();
    }

    static LocalSite http() throws IOException {
        return new LocalSite(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    static LocalSite https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new LocalSite(s);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code scheme://127.0.0.1:port/path}. */
    String url(String path) {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port() + path;
    }

    int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Serves {@code body} at {@code path}; {@code chunked} sends it without Content-Length. */
    LocalSite serve(String path, String type, byte[] body, boolean chunked) {
        return handle(path, ex -> {
            ex.getResponseHeaders().add("Content-Type", type);
            ex.sendResponseHeaders(200, chunked ? 0 : body.length);
            ex.getResponseBody().write(body);
        });
    }

    /** Answers {@code path} with {@code status} and {@code Location: location}. */
    LocalSite redirect(String path, int status, String location) {
        return handle(path, ex -> {
            ex.getResponseHeaders().add("Location", location);
            ex.sendResponseHeaders(status, -1);
        });
    }

    /** Sends a PDF's first bytes at once, then one byte every {@code pauseMs}. */
    LocalSite drip(String path, byte[] pdf, long pauseMs) {
        return handle(path, ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/pdf");
            ex.sendResponseHeaders(200, pdf.length);
            ex.getResponseBody().write(pdf, 0, 8);
            try {
                for (int i = 8; i < pdf.length; i++) {
                    ex.getResponseBody().flush();
                    Thread.sleep(pauseMs);
                    ex.getResponseBody().write(pdf[i]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private LocalSite handle(String path, Handler h) {
        server.createContext(path, ex -> {
            if (!ex.getRequestURI().getPath().equals(path)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            hosts.add(ex.getRequestHeaders().getFirst("Host"));
            try {
                h.handle(ex);
            } catch (IOException e) {
                // the client went away (e.g. at its deadline)
            } finally {
                ex.close();
            }
        });
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
