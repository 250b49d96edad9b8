package dev.sluice.tools.autoscale;

import dev.sluice.stage.Scaling;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The replica rule KEDA and the HPA apply to a stage's lag, for the local autoscale demo:
 * <ol>
 *   <li>lag at or below the activation threshold: idle (0 replicas where the stage may scale to zero,
 *       else its minimum), as KEDA deactivates;</li>
 *   <li>else desired = ceil(lag / lagThreshold), bounded by min replicas and by
 *       min(max replicas, partitions); from zero, KEDA activates one replica first;</li>
 *   <li>the HPA's tolerance: when lag per replica is within 10% of the threshold, nothing changes;</li>
 *   <li>scale-up rate as the generated manifests' behaviour: at most double or +4 per step;</li>
 *   <li>scale-down stabilisation: the highest recommendation of the last window wins, so replicas
 *       fall only once lag has stayed low for the whole window.</li>
 * </ol>
 * Not thread-safe: one controller calls it.
 */
public final class ScalingRule {
    /** The HPA's default tolerance (--horizontal-pod-autoscaler-tolerance). */
    public static final double TOLERANCE = 0.1;

    private final Scaling scaling;
    private final int max;
    private final long windowMillis;
    private final Deque<long[]> recommendations = new ArrayDeque<>();

    public ScalingRule(Scaling scaling, int partitions, Duration scaleDownWindow) {
        this.scaling = scaling;
        this.max = scaling.maxReplicas(partitions);
        this.windowMillis = scaleDownWindow.toMillis();
    }

    /** Replicas to run now, given the total lag and the replicas running, at {@code nowMillis}. */
    public int desired(long lag, int current, long nowMillis) {
        int raw = recommend(lag, current);
        recommendations.addLast(new long[] {nowMillis, raw});
        while (recommendations.peekFirst()[0] < nowMillis - windowMillis) {
            recommendations.removeFirst();
        }
        if (raw >= current) {
            return Math.min(raw, Math.max(current * 2, current + 4));
        }
        long stabilised = recommendations.stream().mapToLong(r -> r[1]).max().orElse(raw);
        return (int) Math.min(current, stabilised);
    }

    private int recommend(long lag, int current) {
        int floor = Math.min(scaling.minReplicas(), max);
        if (lag <= scaling.activationLagThreshold()) {
            return scaling.scaleToZero() ? 0 : floor;
        }
        if (current == 0) {
            return 1;
        }
        double ratio = (double) lag / ((double) scaling.lagThreshold() * current);
        if (Math.abs(ratio - 1.0) <= TOLERANCE) {
            return Math.max(floor, Math.min(current, max));
        }
        long wanted = (lag + scaling.lagThreshold() - 1) / scaling.lagThreshold();
        return (int) Math.max(floor, Math.min(wanted, max));
    }

    /** The most replicas this rule gives: min(max replicas, partitions). */
    public int maxReplicas() {
        return max;
    }
}
