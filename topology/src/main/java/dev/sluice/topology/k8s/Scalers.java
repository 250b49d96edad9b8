package dev.sluice.topology.k8s;

import dev.sluice.stage.StageDefinition;
import static dev.sluice.topology.k8s.Workloads.metadata;
import static dev.sluice.topology.k8s.Workloads.with;
import static dev.sluice.topology.k8s.Yaml.map;
import static dev.sluice.topology.k8s.Yaml.object;

import dev.sluice.stage.Names;
import dev.sluice.stage.Scaling;
import dev.sluice.topology.StageCatalog;
import java.util.List;
import java.util.Map;

/**
 * The three ways a stage's StatefulSet scales on its lag, one Kustomize component each:
 * <ul>
 *   <li>{@code keda}: a KEDA ScaledObject with a {@code metrics-api} trigger on the lag exporter's
 *       {@code /lag/<stage>}: the exactly-once-correct lag, 0 when nothing is left, so the stage
 *       scales to zero where it may;</li>
 *   <li>{@code keda-kafka}: KEDA's own Kafka trigger on the group and input topic; it counts
 *       transaction markers as lag (1 per partition forever), so it never goes below 1 replica;</li>
 *   <li>{@code hpa}: a plain {@code autoscaling/v2} HPA on the External metric {@code sluice_stage_lag}
 *       (Prometheus Adapter), for clusters without KEDA.</li>
 * </ul>
 * Every one caps replicas at the input topic's partitions and uses {@link Scaling#lagThreshold()} as
 * the lag per replica.
 */
final class Scalers {
    static final String LAG_EXPORTER = "sluice-lag-exporter";
    static final int POLLING_SECONDS = 15;
    static final int COOLDOWN_SECONDS = 300;
    static final int SCALE_DOWN_WINDOW_SECONDS = 300;

    private final int partitions;
    private final int metricsPort;

    private final Names names;

    Scalers(int partitions, int metricsPort, Names names) {
        this.partitions = partitions;
        this.metricsPort = metricsPort;
        this.names = names;
    }

    /** KEDA ScaledObject on the exported lag (metrics-api trigger). */
    Map<String, Object> kedaMetricsApi(StageDefinition<?, ?, ?, ?> e) {
        Scaling s = e.scaling();
        Map<String, Object> trigger = map("type", "metrics-api", "name", "lag", "metadata", map(
                "url", "http://" + LAG_EXPORTER + ":" + metricsPort + "/lag/" + e.name(),
                "format", "json", "valueLocation", "lag",
                "targetValue", String.valueOf(s.lagThreshold()),
                "activationTargetValue", String.valueOf(s.activationLagThreshold())));
        return scaledObject(e, s.idleReplicas(), trigger);
    }

    /** KEDA ScaledObject with KEDA's Kafka trigger; its lag never reaches 0 under EOS, so min stays >= 1. */
    Map<String, Object> kedaKafka(StageDefinition<?, ?, ?, ?> e) {
        Scaling s = e.scaling();
        Map<String, Object> trigger = map("type", "kafka", "name", "lag", "metadata", map(
                "bootstrapServersFromEnv", "SLUICE_BOOTSTRAP_SERVERS",
                "consumerGroup", e.groupId(names), "topic", names.topic(e.inputTopic()),
                "lagThreshold", String.valueOf(s.lagThreshold()),
                // a caught-up group still shows 1 per partition (commit markers): activate only above that
                "activationLagThreshold", String.valueOf(Math.max(s.activationLagThreshold(), partitions)),
                "offsetResetPolicy", "earliest", "allowIdleConsumers", "false"),
                "authenticationRef", map("name", "sluice-kafka"));
        return scaledObject(e, s.minReplicas(), trigger);
    }

    private Map<String, Object> scaledObject(StageDefinition<?, ?, ?, ?> e, int min, Map<String, Object> trigger) {
        Scaling s = e.scaling();
        String name = e.workloadName();
        Map<String, Object> spec = map(
                "scaleTargetRef", map("apiVersion", "apps/v1", "kind", "StatefulSet", "name", name),
                "pollingInterval", POLLING_SECONDS,
                "cooldownPeriod", COOLDOWN_SECONDS,
                "minReplicaCount", min,
                "maxReplicaCount", s.maxReplicas(partitions),
                "advanced", map("horizontalPodAutoscalerConfig", map("behavior", behavior())),
                "triggers", List.of(trigger));
        return with(object("keda.sh/v1alpha1", "ScaledObject", metadata(name, e.name())), "spec", spec);
    }

    /** KEDA's Kafka trigger reads SASL/TLS settings from this Secret (keys as KEDA documents them). */
    static Map<String, Object> kafkaTriggerAuthentication() {
        List<Object> params = List.of("sasl", "username", "password", "tls", "ca").stream()
                .map(k -> (Object) map("parameter", k, "name", "sluice-kafka-keda", "key", k)).toList();
        return with(object("keda.sh/v1alpha1", "TriggerAuthentication", metadata("sluice-kafka", "scaling")),
                "spec", map("secretTargetRef", params));
    }

    /** A plain HPA on the External metric sluice_stage_lag{stage=...} (at least 1 replica: HPAs cannot reach 0). */
    Map<String, Object> hpa(StageDefinition<?, ?, ?, ?> e) {
        Scaling s = e.scaling();
        String name = e.workloadName();
        Map<String, Object> metric = map("type", "External", "external", map(
                "metric", map("name", "sluice_stage_lag", "selector", map("matchLabels", map("stage", e.name()))),
                "target", map("type", "AverageValue", "averageValue", String.valueOf(s.lagThreshold()))));
        Map<String, Object> spec = map(
                "scaleTargetRef", map("apiVersion", "apps/v1", "kind", "StatefulSet", "name", name),
                "minReplicas", s.minReplicas(),
                "maxReplicas", s.maxReplicas(partitions),
                "metrics", List.of(metric),
                "behavior", behavior());
        return with(object("autoscaling/v2", "HorizontalPodAutoscaler", metadata(name, e.name())), "spec", spec);
    }

    /** Prometheus Adapter rule serving sluice_stage_lag as an External metric (max over exporting pods). */
    static Map<String, Object> prometheusAdapterRules() {
        String rules = Yaml.write(map("externalRules", List.of(map(
                "seriesQuery", "sluice_stage_lag{stage!=\"\"}",
                "resources", map("namespaced", false),
                "name", map("as", "sluice_stage_lag"),
                "metricsQuery", "max by (stage) (sum by (stage, pod) (sluice_stage_lag{<<.LabelMatchers>>}))"))));
        return with(object("v1", "ConfigMap", metadata("sluice-prometheus-adapter-rules", "scaling")),
                "data", map("config.yaml", rules));
    }

    /** HPA behaviour: scale up at once (x2 or +4 per 15 s), scale down after a stabilisation window. */
    private static Map<String, Object> behavior() {
        return map(
                "scaleUp", map("stabilizationWindowSeconds", 0, "selectPolicy", "Max", "policies", List.of(
                        map("type", "Percent", "value", 100, "periodSeconds", 15),
                        map("type", "Pods", "value", 4, "periodSeconds", 15))),
                "scaleDown", map("stabilizationWindowSeconds", SCALE_DOWN_WINDOW_SECONDS, "policies", List.of(
                        map("type", "Percent", "value", 100, "periodSeconds", 15))));
    }
}
