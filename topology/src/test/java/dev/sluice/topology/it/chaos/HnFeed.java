package dev.sluice.topology.it.chaos;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.topology.it.HnExpectations;
import java.time.Duration;

/**
 * The Hacker News API of a chaos run: every fixture item served by {@link HnReplayServer} (so the
 * thread resolver finds ancestors below the first id fed) with 3% transient faults and 3% garbled
 * answers, and a maxitem that grows in steps from the first id to the last, as new items appear on
 * the live API: the script reveals a step before each event, so every event hits items in flight.
 */
public final class HnFeed implements AutoCloseable {
    /** Steps of maxitem from the first id to the last: the SIGTERMs mid-batch are over by step 11 at the latest. */
    public static final int STEPS = 14;
    /** Milliseconds added to every answer, outside {@link #setLatencyMs}. */
    public static final int LATENCY_MS = 20;
    private final HnReplayServer server;
    private final ChaosPlan plan;
    private final long step;

    public HnFeed(ChaosPlan plan, long seed) throws Exception {
        this.plan = plan;
        this.step = (plan.items() + STEPS - 1) / STEPS;
        this.server = HnReplayServer.builder().items(SharedFixtures.hnItems()).failRate(0.03).seed(seed).latencyMs(LATENCY_MS)
                .hangMs(2000).start();
        server.setGarbageRate(ChaosPlan.GARBAGE_RATE);
        server.setMaxItem(plan.firstId() - 1);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** Reveals the next step of items (maxitem grows); false when every item is out already. */
    public boolean revealNext() {
        long max = Math.min(HnExpectations.LAST, server.maxItem() + step);
        boolean grew = max > server.maxItem();
        server.setMaxItem(max);
        ChaosLog.event("maxitem %d (%d items out)", max, max - plan.firstId() + 1);
        return grew;
    }

    /** Reveals every remaining item. */
    public void revealAll() {
        server.setMaxItem(HnExpectations.LAST);
        ChaosLog.event("maxitem %d: every item out", HnExpectations.LAST);
    }
    /**
     * An outage of the item backend (every item request answers 503) for {@code d}, during which the
     * next step of items appears (maxitem still answers), so fetch has items to ask for even when it
     * had caught up before; returns the requests refused.
     */
    public long outage(Duration d) throws InterruptedException {
        long before = server.requestCount();
        server.setDown(true);
        ChaosLog.event("HN API down for %d s (maxitem %d)", d.toSeconds(), server.maxItem());
        revealNext();
        try {
            Thread.sleep(d.toMillis());
        } finally {
            server.setDown(false);
        }
        long refused = server.requestCount() - before;
        ChaosLog.event("HN API up again after refusing %d item requests", refused);
        return refused;
    }

    /** Slows every answer down (or back to {@link #LATENCY_MS}). */
    public void setLatencyMs(int ms) {
        server.setLatencyMs(ms);
    }

    /** Item requests received so far. */
    public long requests() {
        return server.requestCount();
    }

    /** Garbled answers sent so far. */
    public long garbage() {
        return server.garbageCount();
    }

    /** Transient faults (5xx, 429, hangs) injected so far. */
    public long faults() {
        return server.faultCount();
    }

    public long maxItem() {
        return server.maxItem();
    }

    @Override
    public void close() {
        server.close();
    }
}
