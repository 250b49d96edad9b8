package dev.sluice.stage;

import java.util.Map;
import java.util.Objects;

/**
 * How a stage scales on Kubernetes and in the local autoscale demo: part of its {@link StageDefinition},
 * {@link #DEFAULT} when a stage sets nothing. The generated manifests ({@code ./sluice k8s generate})
 * and the demo controller both read it, so a new stage gets its Deployment and scaler from its
 * definition alone.
 *
 * @param lagThreshold           target lag per replica (KEDA {@code lagThreshold}/{@code targetValue},
 *                               the HPA's {@code AverageValue}): replicas = ceil(lag / lagThreshold)
 * @param activationLagThreshold lag at or below which the stage is idle (scaled to zero when allowed)
 * @param minReplicas            replicas while there is work (at least 1)
 * @param maxReplicas            upper bound; the manifests cap it further at the topic's partitions
 * @param scaleToZero            whether the stage may run no replica while idle (not for pollers)
 * @param autoscaled             false for a stage that must run as exactly {@code minReplicas}
 *                               (the watermark poller): no scaler is generated for it
 * @param cpuRequest             Kubernetes CPU request, e.g. {@code 500m}; the limit is the same
 *                               amount times two unless {@code cpuLimit} is set
 * @param cpuLimit               Kubernetes CPU limit
 * @param memory                 memory request and limit (equal: a JVM's heap does not shrink back)
 * @param env                    extra environment of the container, e.g. {@code OMP_THREAD_LIMIT=1}
 */
public record Scaling(long lagThreshold, long activationLagThreshold, int minReplicas, int maxReplicas,
                      boolean scaleToZero, boolean autoscaled, String cpuRequest, String cpuLimit, String memory,
                      Map<String, String> env) {

    /** A stateless stage: 1,000 records of lag per replica, up to 8 replicas, scales to zero. */
    public static final Scaling DEFAULT = new Scaling(1_000, 0, 1, 8, true, true, "250m", "1", "768Mi", Map.of());

    public Scaling {
        Objects.requireNonNull(cpuRequest, "cpuRequest");
        Objects.requireNonNull(cpuLimit, "cpuLimit");
        Objects.requireNonNull(memory, "memory");
        env = Map.copyOf(env);
        if (lagThreshold < 1) {
            throw new IllegalArgumentException("lagThreshold must be >= 1, was " + lagThreshold);
        }
        if (activationLagThreshold < 0) {
            throw new IllegalArgumentException("activationLagThreshold must be >= 0, was " + activationLagThreshold);
        }
        if (minReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("need 1 <= minReplicas <= maxReplicas, was " + minReplicas + ".." + maxReplicas);
        }
    }

    /** A stage run as exactly one replica, never autoscaled (a poller that must not run twice). */
    public static Scaling singleton() {
        return new Scaling(DEFAULT.lagThreshold, 0, 1, 1, false, false, "100m", "500m", "512Mi", Map.of());
    }

    public Scaling lagThreshold(long perReplica) {
        return new Scaling(perReplica, activationLagThreshold, minReplicas, maxReplicas, scaleToZero, autoscaled,
                cpuRequest, cpuLimit, memory, env);
    }

    public Scaling activation(long lag) {
        return new Scaling(lagThreshold, lag, minReplicas, maxReplicas, scaleToZero, autoscaled, cpuRequest, cpuLimit,
                memory, env);
    }

    public Scaling replicas(int min, int max) {
        return new Scaling(lagThreshold, activationLagThreshold, min, max, scaleToZero, autoscaled, cpuRequest,
                cpuLimit, memory, env);
    }

    public Scaling scaleToZero(boolean allowed) {
        return new Scaling(lagThreshold, activationLagThreshold, minReplicas, maxReplicas, allowed, autoscaled,
                cpuRequest, cpuLimit, memory, env);
    }

    public Scaling resources(String cpuReq, String cpuLim, String mem) {
        return new Scaling(lagThreshold, activationLagThreshold, minReplicas, maxReplicas, scaleToZero, autoscaled,
                cpuReq, cpuLim, mem, env);
    }

    public Scaling env(Map<String, String> vars) {
        return new Scaling(lagThreshold, activationLagThreshold, minReplicas, maxReplicas, scaleToZero, autoscaled,
                cpuRequest, cpuLimit, memory, vars);
    }

    /** CPU-bound work with native threads (Tesseract): one core per replica, one OCR thread. */
    public Scaling oneCorePerReplica() {
        return resources("1", "1", memory).env(Map.of("OMP_THREAD_LIMIT", "1"));
    }

    /** Replicas when idle: 0 where allowed, else {@code minReplicas}. */
    public int idleReplicas() {
        return scaleToZero ? 0 : minReplicas;
    }

    /** {@code maxReplicas}, capped by the partitions of the input topic (more would sit idle). */
    public int maxReplicas(int partitions) {
        return Math.min(maxReplicas, partitions);
    }
}
