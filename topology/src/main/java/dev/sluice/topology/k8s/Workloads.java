package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;
import static dev.sluice.topology.k8s.Yaml.object;

import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's StatefulSet, metrics Service and PodDisruptionBudget, and the lag exporter's Deployment.
 * Every pod runs the same image as {@code sluice run --stages <name> --instance-id $(POD_NAME)}:
 * non-root, read-only root filesystem (emptyDirs for /tmp and the Streams state), no service account
 * token, settings from the ConfigMap {@value #CONFIG_MAP} and, from its own Secret
 * {@code sluice-<stage>}, only the credentials that stage needs ({@link StageSecrets}).
 *
 * <p>Stages run as StatefulSets ({@code podManagementPolicy: Parallel}, so they scale like a
 * Deployment) because the pod name is then stable ({@code sluice-fetch-0}) and becomes the
 * instance id: a restarted pod has the same transactional id and static member id as the one it
 * replaces, so it fences that predecessor's producer and takes its partitions back at once.
 */
final class Workloads {
    static final String CONFIG_MAP = "sluice-config";
    static final String IMAGE = "sluice";
    /** Key of the ConfigMap with the blob store settings, given only to stages that touch blobs. */
    static final String BLOB_PROPERTIES = "blob.properties";
    /** Longer than the slowest clean stop: Streams closes within 30 s, a loop aborts its open transaction. */
    static final int GRACE_SECONDS = 60;
    static final int UID = 10001;

    private final int metricsPort;

    Workloads(int metricsPort) {
        this.metricsPort = metricsPort;
    }

    int metricsPort() {
        return metricsPort;
    }

    static Map<String, Object> labels(String component) {
        return map("app.kubernetes.io/name", "sluice", "app.kubernetes.io/component", component);
    }

    static Map<String, Object> metadata(String name, String component) {
        return map("name", name, "labels", labels(component));
    }

    /** The StatefulSet of stage {@code e}: replicas only when not autoscaled. */
    Map<String, Object> statefulSet(StageDefinition<?, ?, ?, ?> e) {
        String name = e.workloadName();
        List<StageSecrets.Entry> secrets = StageSecrets.entries(e);
        Map<String, Object> podLabels = new LinkedHashMap<>(labels(e.name()));
        e.uses().stream().sorted().forEach(u -> podLabels.put(useLabel(u), "true"));
        if (e.needsDatabase()) {
            podLabels.put("sluice.dev/uses-database", "true");
        }
        Map<String, Object> spec = map("replicas", e.scaling().autoscaled() ? null : e.scaling().minReplicas(),
                "serviceName", name + "-metrics",
                "podManagementPolicy", "Parallel",
                "updateStrategy", map("type", "RollingUpdate"),
                "revisionHistoryLimit", 3,
                "selector", map("matchLabels", labels(e.name())),
                "template", template(podLabels, runArgs(e), e.scaling(), name, StageSecrets.env(name, secrets)));
        return with(object("apps/v1", "StatefulSet", metadata(name, e.name())), "spec", spec);
    }

    /** The pod label marking a stage that reaches {@code u}, e.g. {@code sluice.dev/uses-llm}. */
    static String useLabel(StageDefinition.Use u) {
        return "sluice.dev/uses-" + u.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A Deployment of {@code component} running {@code args} with the Secret {@code name}; replicas only when not autoscaled. */
    Map<String, Object> deployment(String name, String component, List<String> args, Scaling s) {
        Map<String, Object> spec = map("replicas", s.autoscaled() ? null : s.minReplicas(),
                "revisionHistoryLimit", 3,
                "selector", map("matchLabels", labels(component)),
                "template", template(labels(component), args, s, name, List.of()));
        return with(object("apps/v1", "Deployment", metadata(name, component)), "spec", spec);
    }

    private Map<String, Object> template(Map<String, Object> podLabels, List<String> args, Scaling s, String secret,
                                         List<Object> secretEnv) {
        Map<String, Object> pod = map(
                "automountServiceAccountToken", false,
                "terminationGracePeriodSeconds", GRACE_SECONDS,
                "securityContext", map("runAsNonRoot", true, "runAsUser", UID, "runAsGroup", UID, "fsGroup", UID,
                        "seccompProfile", map("type", "RuntimeDefault")),
                "containers", List.of(container(args, s, secretEnv)),
                "volumes", List.of(
                        map("name", "tmp", "emptyDir", map("sizeLimit", "256Mi")),
                        map("name", "data", "emptyDir", map("sizeLimit", "2Gi")),
                        map("name", "config", "configMap", map("name", CONFIG_MAP)),
                        map("name", "credentials", "secret", map("secretName", secret))));
        return map("metadata", map("labels", podLabels, "annotations",
                map("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(metricsPort),
                        "prometheus.io/path", "/metrics")), "spec", pod);
    }

    private Map<String, Object> container(List<String> args, Scaling s, List<Object> secretEnv) {
        List<Object> env = new ArrayList<>();
        env.add(map("name", "POD_NAME", "valueFrom", map("fieldRef", map("fieldPath", "metadata.name"))));
        env.add(map("name", "SLUICE_BOOTSTRAP_SERVERS", "valueFrom",
                map("configMapKeyRef", map("name", CONFIG_MAP, "key", "bootstrap.servers"))));
        env.add(map("name", "SLUICE_JAVA_OPTS", "value", "-XX:MaxRAMPercentage=70 -Djava.io.tmpdir=/tmp"));
        env.addAll(secretEnv);
        s.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.add(map("name", e.getKey(), "value", e.getValue())));
        return map("name", "sluice", "image", IMAGE, "args", args, "env", env,
                "ports", List.of(map("name", "metrics", "containerPort", metricsPort)),
                "startupProbe", map("httpGet", probe("/healthz"), "periodSeconds", 5,
                        "failureThreshold", 24),
                "livenessProbe", map("httpGet", probe("/healthz"), "periodSeconds", 10, "failureThreshold", 3),
                "readinessProbe", map("httpGet", probe("/readyz"), "periodSeconds", 5, "failureThreshold", 2),
                "resources", map("requests", map("cpu", s.cpuRequest(), "memory", s.memory()),
                        "limits", map("cpu", s.cpuLimit(), "memory", s.memory())),
                "securityContext", map("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true,
                        "capabilities", map("drop", List.of("ALL"))),
                "volumeMounts", List.of(
                        map("name", "tmp", "mountPath", "/tmp"),
                        map("name", "data", "mountPath", "/var/lib/sluice"),
                        map("name", "config", "mountPath", "/etc/sluice/config", "readOnly", true),
                        map("name", "credentials", "mountPath", "/etc/sluice/credentials", "readOnly", true)));
    }

    private static Map<String, Object> probe(String path) {
        return map("path", path, "port", "metrics");
    }

    /** The command line of a stage's container: the blob store settings and the database only where it needs them. */
    static List<String> runArgs(StageDefinition<?, ?, ?, ?> e) {
        List<String> args = new ArrayList<>(List.of("run", "--stages", e.name(), "--instance-id", "$(POD_NAME)",
                "--bootstrap-servers", "$(SLUICE_BOOTSTRAP_SERVERS)", "--data-dir", "/var/lib/sluice",
                "--config", "/etc/sluice/config/sluice.properties"));
        if (e.uses(StageDefinition.Use.BLOB_STORE)) {
            args.addAll(List.of("--config", "/etc/sluice/config/" + BLOB_PROPERTIES));
        }
        args.addAll(List.of("--config", "/etc/sluice/credentials/" + StageSecrets.CREDENTIALS));
        if (e.needsDatabase()) {
            args.addAll(List.of("--db-url", "$(" + StageSecrets.DB_URL_ENV + ")"));
        }
        return args;
    }

    /**
     * The Service Prometheus (and KEDA, for the lag exporter) reads /metrics through; {@code headless}
     * for a stage, whose StatefulSet it governs (one DNS name per pod).
     */
    Map<String, Object> service(String name, String component, boolean headless) {
        return with(object("v1", "Service", metadata(name, component)), "spec", map(
                "clusterIP", headless ? "None" : null,
                "selector", labels(component),
                "ports", List.of(map("name", "metrics", "port", metricsPort, "targetPort", "metrics"))));
    }

    /** At most one pod of the stage down at a time during voluntary disruptions (drains, upgrades). */
    static Map<String, Object> disruptionBudget(String name, String component) {
        return with(object("policy/v1", "PodDisruptionBudget", metadata(name, component)), "spec", map(
                "maxUnavailable", 1, "selector", map("matchLabels", labels(component))));
    }

    static Map<String, Object> with(Map<String, Object> head, String key, Object value) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(head);
        m.put(key, value);
        return m;
    }
}
