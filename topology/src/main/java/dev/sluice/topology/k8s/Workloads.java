package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;
import static dev.sluice.topology.k8s.Yaml.object;

import dev.sluice.stage.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stage's Deployment, metrics Service and PodDisruptionBudget. Every Deployment runs the same image
 * as {@code sluice run --stages <name> --instance-id $(POD_NAME)}: non-root, read-only root
 * filesystem (emptyDirs for /tmp and the Streams state), settings from the ConfigMap
 * {@value #CONFIG_MAP} and SASL/TLS and database credentials from the Secret {@value #SECRET}, both
 * mounted as properties files, so no credential is ever in a manifest.
 */
final class Workloads {
    static final String CONFIG_MAP = "sluice-config";
    static final String SECRET = "sluice-credentials";
    static final String IMAGE = "sluice";
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

    /** The Deployment of {@code component} running {@code args}; replicas only when not autoscaled. */
    Map<String, Object> deployment(String name, String component, List<String> args, Scaling s) {
        Map<String, Object> pod = map(
                "terminationGracePeriodSeconds", GRACE_SECONDS,
                "securityContext", map("runAsNonRoot", true, "runAsUser", UID, "runAsGroup", UID, "fsGroup", UID,
                        "seccompProfile", map("type", "RuntimeDefault")),
                "containers", List.of(container(args, s)),
                "volumes", List.of(
                        map("name", "tmp", "emptyDir", map("sizeLimit", "256Mi")),
                        map("name", "data", "emptyDir", map("sizeLimit", "2Gi")),
                        map("name", "config", "configMap", map("name", CONFIG_MAP)),
                        map("name", "credentials", "secret", map("secretName", SECRET))));
        Map<String, Object> template = map("metadata", map("labels", labels(component), "annotations",
                map("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(metricsPort),
                        "prometheus.io/path", "/metrics")), "spec", pod);
        Map<String, Object> spec = map("replicas", s.autoscaled() ? null : s.minReplicas(),
                "revisionHistoryLimit", 3,
                "selector", map("matchLabels", labels(component)),
                "template", template);
        return with(object("apps/v1", "Deployment", metadata(name, component)), "spec", spec);
    }

    private Map<String, Object> container(List<String> args, Scaling s) {
        List<Object> env = new ArrayList<>();
        env.add(map("name", "POD_NAME", "valueFrom", map("fieldRef", map("fieldPath", "metadata.name"))));
        env.add(map("name", "SLUICE_BOOTSTRAP_SERVERS", "valueFrom",
                map("configMapKeyRef", map("name", CONFIG_MAP, "key", "bootstrap.servers"))));
        env.add(map("name", "SLUICE_JAVA_OPTS", "value", "-XX:MaxRAMPercentage=70 -Djava.io.tmpdir=/tmp"));
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

    /** The command line of a stage's container. */
    static List<String> runArgs(String stage) {
        return List.of("run", "--stages", stage, "--instance-id", "$(POD_NAME)",
                "--bootstrap-servers", "$(SLUICE_BOOTSTRAP_SERVERS)", "--data-dir", "/var/lib/sluice",
                "--config", "/etc/sluice/config/sluice.properties",
                "--config", "/etc/sluice/credentials/credentials.properties");
    }

    /** The Service Prometheus (and KEDA, for the lag exporter) reads /metrics through. */
    Map<String, Object> service(String name, String component) {
        return with(object("v1", "Service", metadata(name, component)), "spec", map(
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
