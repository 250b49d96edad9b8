package dev.sluice.topology.k8s;

import dev.sluice.stage.StageDefinition;
import static dev.sluice.topology.k8s.Yaml.map;

import dev.sluice.stage.Names;
import dev.sluice.stage.Scaling;
import dev.sluice.topology.StageCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests of the pipeline, generated from {@link StageCatalog}: a Kustomize base
 * (settings, the lag exporter, the ingress policy, and per stage a StatefulSet, headless metrics
 * Service, PodDisruptionBudget and egress NetworkPolicy), components for the scalers ({@code keda},
 * {@code keda-kafka}, {@code hpa}, see {@link Scalers}), overlays {@code dev} (with Secret templates),
 * {@code prod} (KEDA) and {@code prod-hpa} (plain HPA), and {@code kafka/}: the Strimzi topics and
 * users, applied in the Kafka cluster's namespace. Adding a stage to the catalog adds its files here;
 * {@code K8sManifestsTest} fails when the committed {@code k8s/} differs.
 */
public final class K8sManifests {
    /** Folders whose content is entirely generated (k8s/README.md is not). */
    static final List<String> GENERATED_DIRS = List.of("base", "components", "overlays", "kafka");
    /** Namespace of the Kafka cluster, where Strimzi's operators watch KafkaTopics and KafkaUsers. */
    static final String KAFKA_NAMESPACE = "kafka";

    private final int partitions;
    private final Workloads workloads;
    private final Scalers scalers;
    private final Names names;

    /**
     * Manifests for topics of {@code partitions} partitions and metrics served on {@code metricsPort},
     * the topics, groups and Kafka users named by {@code names} (workloads keep their names: one
     * deployment per namespace). Its prefix names Strimzi resources, so it must be lower-case.
     */
    public K8sManifests(int partitions, int metricsPort, Names names) {
        if (!names.prefix().matches("([a-z0-9][a-z0-9.-]*)?")) {
            throw new IllegalArgumentException("topic.prefix '" + names.prefix() + "' names Strimzi KafkaTopics and KafkaUsers:"
                    + " for k8s generate use lower-case letters, digits, '.' and '-', starting with a letter or digit");
        }
        this.partitions = partitions;
        this.names = names;
        this.workloads = new Workloads(metricsPort);
        this.scalers = new Scalers(partitions, metricsPort, names);
    }

    /** Relative path to content of every generated file. */
    public SortedMap<String, String> files() {
        SortedMap<String, String> f = new TreeMap<>();
        List<String> base = new ArrayList<>(List.of("config.yaml", "network.yaml", "lag-exporter.yaml"));
        f.put("base/config.yaml", Yaml.documents(List.of(configMap())));
        f.put("base/network.yaml", Yaml.documents(List.of(NetworkPolicies.ingress(workloads.metricsPort()),
                NetworkPolicies.lagExporterIngress(workloads.metricsPort()))));
        f.put("base/lag-exporter.yaml", Yaml.documents(lagExporter()));
        kafka(f);
        Map<String, List<String>> components = Map.of("keda", new ArrayList<>(), "keda-kafka",
                new ArrayList<>(List.of("trigger-authentication.yaml")), "hpa",
                new ArrayList<>(List.of("prometheus-adapter-rules.yaml")));
        f.put("components/keda-kafka/trigger-authentication.yaml", Yaml.documents(List.of(Scalers.kafkaTriggerAuthentication())));
        f.put("components/hpa/prometheus-adapter-rules.yaml", Yaml.documents(List.of(Scalers.prometheusAdapterRules())));
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            String file = "stage-" + e.name() + ".yaml";
            base.add(file);
            f.put("base/" + file, Yaml.documents(stage(e)));
            if (e.scaling().autoscaled()) {
                addScaler(f, components.get("keda"), "keda", "scaledobject-" + e.name() + ".yaml", scalers.kedaMetricsApi(e));
                addScaler(f, components.get("keda-kafka"), "keda-kafka", "scaledobject-" + e.name() + ".yaml", scalers.kedaKafka(e));
                addScaler(f, components.get("hpa"), "hpa", "hpa-" + e.name() + ".yaml", scalers.hpa(e));
            }
        }
        f.put("base/kustomization.yaml", Yaml.documents(List.of(map("apiVersion", "kustomize.config.k8s.io/v1beta1",
                "kind", "Kustomization", "labels", List.of(map("pairs", map("app.kubernetes.io/part-of", "sluice"))),
                "resources", base))));
        components.forEach((name, files) -> f.put("components/" + name + "/kustomization.yaml", Yaml.documents(List.of(
                map("apiVersion", "kustomize.config.k8s.io/v1alpha1", "kind", "Component", "resources", files)))));
        Overlays.add(f, workloads.metricsPort());
        return f;
    }

    private static void addScaler(Map<String, String> f, List<String> list, String component, String file,
                                  Map<String, Object> object) {
        list.add(file);
        f.put("components/" + component + "/" + file, Yaml.documents(List.of(object)));
    }

    private List<Map<String, Object>> stage(StageDefinition<?, ?, ?, ?> e) {
        String name = e.workloadName();
        return List.of(workloads.statefulSet(e),
                workloads.service(name + "-metrics", e.name(), true),
                Workloads.disruptionBudget(name, e.name()),
                NetworkPolicies.egress(e));
    }

    /** k8s/kafka: a KafkaTopic per topic and a KafkaUser per stage (and the lag exporter), in the Kafka namespace. */
    private void kafka(Map<String, String> f) {
        Map<String, Map<String, String>> configs = StageCatalog.topicConfigs();
        List<Map<String, Object>> topics = StageCatalog.topics().stream()
                .map(t -> Strimzi.topic(names.topic(t), partitions, configs.getOrDefault(t, Map.of()))).toList();
        List<Map<String, Object>> users = new ArrayList<>();
        StageCatalog.entries().forEach(e -> users.add(Strimzi.user(StageAcls.user(e, names), StageAcls.of(e, names))));
        users.add(Strimzi.user(StageAcls.lagExporterUser(names), StageAcls.lagExporter(StageCatalog.entries(), names)));
        f.put("kafka/topics.yaml", Yaml.documents(topics));
        f.put("kafka/users.yaml", Yaml.documents(users));
        f.put("kafka/kustomization.yaml", "# Apply in the Kafka cluster's namespace: kubectl apply -k k8s/kafka\n"
                + Yaml.documents(List.of(map("apiVersion", "kustomize.config.k8s.io/v1beta1", "kind", "Kustomization",
                "namespace", KAFKA_NAMESPACE, "resources", List.of("topics.yaml", "users.yaml")))));
    }

    private List<Map<String, Object>> lagExporter() {
        List<String> args = List.of("lag-exporter", "--bootstrap-servers", "$(SLUICE_BOOTSTRAP_SERVERS)",
                "--config", "/etc/sluice/config/sluice.properties",
                "--config", "/etc/sluice/credentials/credentials.properties");
        return List.of(workloads.deployment(Scalers.LAG_EXPORTER, "lag-exporter", args, Scaling.singleton()),
                workloads.service(Scalers.LAG_EXPORTER, "lag-exporter", false),
                NetworkPolicies.lagExporterEgress());
    }

    private Map<String, Object> configMap() {
        String props = "topic.partitions=" + partitions + "\nmetrics.port=" + workloadsPort()
                + "\nschema.registry.url=http://schema-registry:8080/apis/ccompat/v7\n"
                + (names.prefix().isEmpty() ? "" : "topic.prefix=" + names.prefix() + "\n");
        return Workloads.with(Yaml.object("v1", "ConfigMap", Workloads.metadata(Workloads.CONFIG_MAP, "config")),
                "data", map("bootstrap.servers", "kafka:9092", "sluice.properties", props,
                        Workloads.BLOB_PROPERTIES, Overlays.blobProperties("http://minio.minio.svc:9000", "sluice-blobs")));
    }

    private int workloadsPort() {
        return workloads.metricsPort();
    }

    /** Writes every file under {@code dir}, removing generated files no stage produces any more. */
    public void write(Path dir) throws IOException {
        SortedMap<String, String> files = files();
        for (String sub : GENERATED_DIRS) {
            Path d = dir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        if (!files.containsKey(dir.relativize(p).toString().replace('\\', '/'))) {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
    }
}
