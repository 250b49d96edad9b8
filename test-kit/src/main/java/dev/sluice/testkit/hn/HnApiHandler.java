package dev.sluice.testkit.hn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of an {@link HnReplayServer}: latency first, then routing; item requests go through
 * the outage switch, the garbage rate and the {@link FaultPlan} before the item is served.
 */
final class HnApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HnReplayServer.class);
    private static final Pattern ITEM_PATH = Pattern.compile("/v0/item/(\\d{1,18})\\.json");
    private static final String MAXITEM_PATH = "/v0/maxitem.json";
    private static final String JSON = "application/json; charset=utf-8";

    private final ReplayItems items;
    private final FaultPlan plan;
    private volatile int latencyMs;
    private final int hangMs;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong garbage = new AtomicLong();
    private volatile boolean down;
    private volatile double garbageRate;

    HnApiHandler(ReplayItems items, FaultPlan plan, int latencyMs, int hangMs) {
        this.items = items;
        this.plan = plan;
        this.latencyMs = latencyMs;
        this.hangMs = hangMs;
    }

    long requestCount() {
        return requests.get();
    }

    long garbageCount() {
        return garbage.get();
    }

    void setDown(boolean isDown) {
        this.down = isDown;
    }

    void setGarbageRate(double rate) {
        this.garbageRate = rate;
    }

    void setLatencyMs(int ms) {
        this.latencyMs = Math.max(0, ms);
    }

    @Override
    public void handle(HttpExchange ex) {
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
            send(ex, 200, Long.toString(items.maxItem()));
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
        if (garbageRate > 0 && ThreadLocalRandom.current().nextDouble() < garbageRate) {
            garbage.incrementAndGet();
            send(ex, 200, items.truncated(id)); // a garbled answer, whole again next time
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
            case MALFORMED -> send(ex, 200, items.truncated(id));
            default -> send(ex, 200, items.body(id));
        }
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
}
