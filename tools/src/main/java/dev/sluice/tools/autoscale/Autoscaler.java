package dev.sluice.tools.autoscale;

import dev.sluice.runtime.StageMetrics;
import dev.sluice.topology.LagMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's controller: every interval it measures the stage's lag ({@link LagMonitor}) and
 * throughput (records the instances consumed), asks {@link ScalingRule} for replicas, and starts or
 * stops instances to match, until the burst is drained and replicas are back at the idle count.
 */
final class Autoscaler {
    private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

    private final String stage;
    private final String group;
    private final String topic;
    private final ScalingRule rule;
    private final LagMonitor lag;
    private final StageInstances instances;
    private final Duration interval;
    private final List<Sample> samples = new ArrayList<>();

    Autoscaler(String stage, String group, String topic, ScalingRule rule, LagMonitor lag, StageInstances instances,
               Duration interval) {
        this.stage = stage;
        this.group = group;
        this.topic = topic;
        this.rule = rule;
        this.lag = lag;
        this.instances = instances;
        this.interval = interval;
    }

    /** Runs until drained and back at {@code idleReplicas} after having scaled up, or until {@code timeout}. */
    List<Sample> run(int idleReplicas, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long lastIn = StageMetrics.of(stage).in.get();
        long last = start;
        boolean scaledUp = false;
        while (System.nanoTime() - start < timeout.toNanos()) {
            long now = System.nanoTime();
            long in = StageMetrics.of(stage).in.get();
            long lagNow = lag.totalLag(group, topic);
            double seconds = (now - start) / 1e9;
            double rate = now == last ? 0 : (in - lastIn) / ((now - last) / 1e9);
            int running = instances.count();
            int desired = rule.desired(lagNow, running, (now - start) / 1_000_000);
            samples.add(new Sample(seconds, lagNow, running, rate, desired));
            log.info("autoscale {}: t={}s lag={} replicas={} {} rec/s -> {}", stage, Math.round(seconds), lagNow, running,
                    Math.round(rate), desired);
            scaledUp |= desired > idleReplicas;
            if (scaledUp && lagNow == 0 && running == idleReplicas && desired == idleReplicas) {
                return List.copyOf(samples);
            }
            instances.scaleTo(desired);
            lastIn = in;
            last = now;
            Thread.sleep(Math.max(0, interval.toMillis() - (System.nanoTime() - now) / 1_000_000));
        }
        throw new IllegalStateException("autoscale demo did not drain and settle within " + timeout + "; last: "
                + samples.get(samples.size() - 1));
    }
}
