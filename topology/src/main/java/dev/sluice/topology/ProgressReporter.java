package dev.sluice.topology;

import dev.sluice.runtime.StageMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line every {@code log.progress.interval.ms} saying what the stages of this process did since
 * it started, from their {@link StageMetrics}: records in and out, dead letters, stalled partitions.
 * Stages that counted nothing yet are left out; nothing is logged while nothing changes, and a last
 * line on {@link #close} gives the totals.
 *
 * <pre>progress (records in/out): fetch 3000/3000, threads-resolve 3000/1103 dlq=1897, pdf-links 120/0 stalled=2</pre>
 */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final List<String> stages;
    private final Function<String, StageMetrics> metrics;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-progress");
        t.setDaemon(true);
        return t;
    });
    private String last = "";

    ProgressReporter(List<String> stages, Function<String, StageMetrics> metrics) {
        this.stages = List.copyOf(stages);
        this.metrics = metrics;
    }

    /** Reports on {@code stages} every {@code every}; {@code every} zero reports nothing. */
    public static ProgressReporter start(List<String> stages, Duration every) {
        ProgressReporter r = new ProgressReporter(stages, StageMetrics::of);
        if (!every.isZero()) {
            r.timer.scheduleWithFixedDelay(r::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return r;
    }

    /** Logs the progress line when it differs from the last one logged. */
    synchronized void report() {
        String now = line(stages, metrics);
        if (now != null && !now.equals(last)) {
            log.info(now);
            last = now;
        }
    }

    /** The progress line of {@code stages}, or null while none has counted anything. */
    static String line(List<String> stages, Function<String, StageMetrics> metrics) {
        List<String> parts = new ArrayList<>();
        for (String stage : stages) {
            StageMetrics m = metrics.apply(stage);
            long in = m.in.get();
            long out = m.out.get();
            long dlq = m.deadLettered.get();
            long stalled = m.stalledPartitions.get();
            if (in + out + dlq + stalled == 0) {
                continue;
            }
            parts.add(stage + " " + in + "/" + out + (dlq > 0 ? " dlq=" + dlq : "") + (stalled > 0 ? " stalled=" + stalled : ""));
        }
        return parts.isEmpty() ? null : "progress (records in/out): " + String.join(", ", parts);
    }

    /** Stops reporting and logs the totals, if they changed since the last line. */
    @Override
    public void close() {
        timer.shutdownNow();
        report();
    }
}
