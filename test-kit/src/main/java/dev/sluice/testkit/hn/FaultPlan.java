package dev.sluice.testkit.hn;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how {@link HnReplayServer} answers one item request: normally, with a fixed per-id
 * behaviour ({@code errorIds}, {@code nullIds}, {@code malformedIds}), or with an injected transient
 * fault (500, 503, 429, or a hang).
 *
 * <p>Transient faults are a pure function of {@code (seed, id, attempt)}, where {@code attempt}
 * counts the requests for that id so far, so a replay with the same seed and the same per-id
 * request order sees the same faults. With {@code failRate < 1} at most {@code maxConsecutive}
 * faults in a row are injected for one id, so a client that retries always gets through; with
 * {@code failRate == 1} every request fails.
 */
final class FaultPlan {

    private static final Logger LOG = LoggerFactory.getLogger(FaultPlan.class);

    /** How the server answers. */
    enum Kind { SERVE, NULL_BODY, MALFORMED, STATUS, HANG }

    /** One answer: its kind, the HTTP status (for STATUS and HANG) and whether it is injected. */
    /** Answers {@code id} normally from now on (an upstream that recovers). */
    void heal(long id) {
        errorIds.remove(id);
    }

    record Decision(Kind kind, int status, boolean injected) {
        static final Decision SERVE = new Decision(Kind.SERVE, 200, false);
        static final Decision NULL_BODY = new Decision(Kind.NULL_BODY, 200, false);
        static final Decision MALFORMED = new Decision(Kind.MALFORMED, 200, false);
    }

    private static final Decision[] TRANSIENT = {
        new Decision(Kind.STATUS, 500, true),
        new Decision(Kind.STATUS, 503, true),
        new Decision(Kind.STATUS, 429, true),
        new Decision(Kind.HANG, 500, true),
    };

    /** Per-id history: requests so far, current run of faults, and the latest fault (or null). */
    private record Tally(int attempts, int streak, Decision fault) {}

    private final double failRate;
    private final long seed;
    private final int maxConsecutive;
    private final Set<Long> nullIds;
    private final Set<Long> malformedIds;
    private final Map<Long, Integer> errorIds;
    private final ConcurrentHashMap<Long, Tally> tallies = new ConcurrentHashMap<>();
    private final AtomicLong faults = new AtomicLong();

    FaultPlan(double failRate, long seed, int maxConsecutive,
              Set<Long> nullIds, Set<Long> malformedIds, Map<Long, Integer> errorIds) {
        this.failRate = failRate;
        this.seed = seed;
        this.maxConsecutive = maxConsecutive;
        this.nullIds = Set.copyOf(nullIds);
        this.malformedIds = Set.copyOf(malformedIds);
        this.errorIds = new java.util.concurrent.ConcurrentHashMap<>(errorIds);
    }

    /** Decides the answer to the next request for {@code id}, counting it as one more attempt. */
    Decision decide(long id) {
        Integer fixed = errorIds.get(id);
        if (fixed != null) {
            return new Decision(Kind.STATUS, fixed, false);
        }
        if (failRate > 0) {
            Tally tally = tallies.compute(id, (key, old) -> next(key, old));
            if (tally.fault() != null) {
                faults.incrementAndGet();
                LOG.debug("injecting {} {} for item {} (attempt {})", tally.fault().kind(),
                        tally.fault().status(), id, tally.attempts());
                return tally.fault();
            }
        }
        if (nullIds.contains(id)) {
            return Decision.NULL_BODY;
        }
        return malformedIds.contains(id) ? Decision.MALFORMED : Decision.SERVE;
    }

    /** Transient faults injected so far. */
    long faultCount() {
        return faults.get();
    }

    private Tally next(long id, Tally old) {
        int attempt = old == null ? 0 : old.attempts();
        int streak = old == null ? 0 : old.streak();
        boolean capped = failRate < 1 && streak >= maxConsecutive;
        Decision fault = capped ? null : transientFault(id, attempt);
        return new Tally(attempt + 1, fault == null ? 0 : streak + 1, fault);
    }

    /** The fault for attempt {@code attempt} (0-based) at {@code id}, or null; ignores the cap. */
    Decision transientFault(long id, int attempt) {
        long h = mix(seed ^ mix(id) ^ mix(0x9E3779B97F4A7C15L * (attempt + 1L)));
        if ((h >>> 11) * 0x1.0p-53 >= failRate) {
            return null;
        }
        return TRANSIENT[(int) Long.remainderUnsigned(mix(h), TRANSIENT.length)];
    }

    /** The SplitMix64 finalizer: a cheap, well-spread 64-bit hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
