package dev.sluice.testkit.hn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configures an {@link HnReplayServer} ({@link HnReplayServer#builder()}). Transient faults
 * ({@link #failRate}) are 500, 503, 429 with {@code Retry-After: 1}, or a hang of {@link #hangMs}
 * followed by 500, chosen deterministically from {@code (seed, id, attempt)}; fixed per-id behaviours
 * take effect on every request. Precedence: {@code errorIds}, then transient faults, then
 * {@code nullIds}, then {@code malformedIds}.
 */
public final class HnReplayBuilder {
    final List<Path> files = new ArrayList<>();
    int port;
    int latencyMs;
    double failRate;
    int hangMs = 5000;
    long seed;
    int maxConsecutiveFaults = 3;
    Set<Long> nullIds = new HashSet<>();
    Set<Long> malformedIds = new HashSet<>();
    Map<Long, Integer> errorIds = new HashMap<>();

    HnReplayBuilder() {
    }

    /** Adds a JSONL file of items, one API item a line; may be called several times. */
    public HnReplayBuilder items(Path jsonl) {
        files.add(jsonl);
        return this;
    }

    /** The port to bind on 127.0.0.1; 0 (the default) picks a free one. */
    public HnReplayBuilder port(int port) {
        this.port = check(port, 0, 65535, "port");
        return this;
    }

    /** Milliseconds added to every response (default 0). */
    public HnReplayBuilder latencyMs(int ms) {
        this.latencyMs = check(ms, 0, Integer.MAX_VALUE, "latencyMs");
        return this;
    }

    /** Fraction (0..1) of item requests answered with a transient fault (default 0). */
    public HnReplayBuilder failRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("failRate must be within 0..1, was " + rate);
        }
        this.failRate = rate;
        return this;
    }

    /** How long a hanging request sleeps before answering 500 (default 5000 ms). */
    public HnReplayBuilder hangMs(int ms) {
        this.hangMs = check(ms, 0, Integer.MAX_VALUE, "hangMs");
        return this;
    }

    /** Seed of the fault choice (default 0); the same seed repeats the same faults. */
    public HnReplayBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** With failRate below 1, the most transient faults in a row for one id (default 3). */
    public HnReplayBuilder maxConsecutiveFaults(int max) {
        this.maxConsecutiveFaults = check(max, 0, Integer.MAX_VALUE, "maxConsecutiveFaults");
        return this;
    }

    /** Ids that always answer {@code null}, as if not visible yet. */
    public HnReplayBuilder nullIds(Set<Long> ids) {
        this.nullIds = new HashSet<>(ids);
        return this;
    }

    /** Ids that always answer 200 with a truncated JSON body. */
    public HnReplayBuilder malformedIds(Set<Long> ids) {
        this.malformedIds = new HashSet<>(ids);
        return this;
    }

    /** Ids that always answer the given HTTP status (e.g. 500 forever). */
    public HnReplayBuilder errorIds(Map<Long, Integer> statusById) {
        statusById.values().forEach(s -> check(s, 400, 599, "errorIds status"));
        this.errorIds = new HashMap<>(statusById);
        return this;
    }

    /** Loads the items, binds 127.0.0.1 and starts serving. */
    public HnReplayServer start() throws IOException {
        return new HnReplayServer(this, ReplayItems.load(files));
    }

    private static int check(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }
}
