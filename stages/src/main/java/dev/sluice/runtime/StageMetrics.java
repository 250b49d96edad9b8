package dev.sluice.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-stage counters of this process: records in, records out, dead-lettered, retries. Read by
 * {@code sluice status} and the exit-when-idle check.
 */
public final class StageMetrics {
    private static final Map<String, StageMetrics> BY_STAGE = new ConcurrentHashMap<>();

    public final AtomicLong in = new AtomicLong();
    public final AtomicLong out = new AtomicLong();
    public final AtomicLong deadLettered = new AtomicLong();
    public final AtomicLong retries = new AtomicLong();
    /** Partitions of this stage held back right now because their next record keeps failing (an outage). */
    public final AtomicLong stalledPartitions = new AtomicLong();

    private StageMetrics() {
    }

    /** The counters of a stage, created on first use. */
    public static StageMetrics of(String stage) {
        return BY_STAGE.computeIfAbsent(stage, s -> new StageMetrics());
    }

    /** Snapshot of all stages' counters seen in this process. */
    public static Map<String, StageMetrics> all() {
        return Map.copyOf(BY_STAGE);
    }

    @Override
    public String toString() {
        return "in=" + in + " out=" + out + " dlq=" + deadLettered + " retries=" + retries;
    }
}
