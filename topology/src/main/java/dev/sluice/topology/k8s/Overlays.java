package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;

import dev.sluice.topology.StageCatalog;
import java.util.List;
import java.util.Map;

/**
 * The Kustomize overlays: {@code dev} (KEDA, a PLAINTEXT broker, a MinIO blob store, and a Secret
 * template with placeholder values per stage), {@code prod} (KEDA, SASL/TLS: each stage's Secret
 * {@code sluice-<stage>} is created out of band and only referenced) and {@code prod-hpa} (as prod,
 * with plain HPAs instead of KEDA).
 */
final class Overlays {
    private static final String STRIMZI_BOOTSTRAP = "sluice-kafka-bootstrap." + K8sManifests.KAFKA_NAMESPACE + ".svc";

    private Overlays() {
    }

    static void add(Map<String, String> files, int metricsPort) {
        files.put("overlays/dev/kustomization.yaml", "# dev: KEDA on the exported lag, PLAINTEXT broker, MinIO, placeholder Secrets.\n"
                + Yaml.documents(List.of(overlay("sluice-dev", "dev", "keda", STRIMZI_BOOTSTRAP + ":9092", true, metricsPort))));
        files.put("overlays/dev/" + Workloads.BLOB_PROPERTIES, Yaml.HEADER + blobProperties("http://minio.minio-dev.svc:9000", "sluice-dev"));
        files.put("overlays/dev/secrets.yaml", Yaml.documents(secretTemplates()));
        files.put("overlays/prod/kustomization.yaml", PROD_NOTE
                + Yaml.documents(List.of(overlay("sluice", "0.1.0", "keda", STRIMZI_BOOTSTRAP + ":9093", false, metricsPort))));
        files.put("overlays/prod-hpa/kustomization.yaml", PROD_NOTE + "# Without KEDA: plain HPAs on the External metric sluice_stage_lag (Prometheus Adapter).\n"
                + Yaml.documents(List.of(overlay("sluice", "0.1.0", "hpa", STRIMZI_BOOTSTRAP + ":9093", false, metricsPort))));
    }

    private static final String PROD_NOTE = "# prod: create each workload's Secret first (never committed), e.g.\n"
            + "#   kubectl -n sluice create secret generic sluice-fetch --from-file=credentials.properties\n"
            + "# with kafka.security.protocol=SASL_SSL, kafka.sasl.mechanism=SCRAM-SHA-512, kafka.sasl.jaas.config of\n"
            + "# its KafkaUser, kafka.ssl.truststore.location=/etc/sluice/credentials/truststore.p12, plus the keys\n"
            + "# its StatefulSet reads (db.url, llm.api.key, aws.access.key.id, aws.secret.access.key): see k8s/README.md.\n";

    /** The blob store settings: S3 on {@code endpoint} (path-style, as MinIO and most S3-compatible servers need). */
    static String blobProperties(String endpoint, String bucket) {
        return "blob.store=s3\nblob.s3.endpoint=" + endpoint + "\nblob.s3.bucket=" + bucket + "\nblob.s3.path.style=true\n";
    }

    /** A Secret template per stage and one for the lag exporter, with placeholder values. */
    private static List<Map<String, Object>> secretTemplates() {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        StageCatalog.entries().forEach(e -> out.add(StageSecrets.template(e.workloadName(), e.name(), StageSecrets.entries(e))));
        out.add(StageSecrets.template(Scalers.LAG_EXPORTER, "lag-exporter", List.of()));
        return out;
    }

    /**
     * KEDA's operator runs in its own namespace, so the metrics-api URL names the lag exporter's
     * Service with the overlay's namespace.
     */
    private static List<Object> exporterUrls(String namespace, String scaler, int metricsPort) {
        if (!scaler.equals("keda")) {
            return null;
        }
        return StageCatalog.entries().stream().filter(e -> e.scaling().autoscaled()).map(e -> (Object) map(
                "target", map("kind", "ScaledObject", "name", "sluice-" + e.name()),
                "patch", Yaml.write(List.of(map("op", "replace", "path", "/spec/triggers/0/metadata/url",
                        "value", "http://" + Scalers.LAG_EXPORTER + "." + namespace + ".svc:" + metricsPort + "/lag/" + e.name())))))
                .toList();
    }

    private static Map<String, Object> overlay(String namespace, String tag, String scaler, String bootstrap,
                                               boolean dev, int metricsPort) {
        return map("apiVersion", "kustomize.config.k8s.io/v1beta1", "kind", "Kustomization",
                "namespace", namespace,
                "resources", dev ? List.of("../../base", "secrets.yaml") : List.of("../../base"),
                "components", List.of("../../components/" + scaler),
                "images", List.of(map("name", Workloads.IMAGE, "newName", "registry.example/sluice", "newTag", tag)),
                "generatorOptions", map("disableNameSuffixHash", true),
                "configMapGenerator", List.of(map("name", Workloads.CONFIG_MAP, "behavior", "merge",
                        "literals", List.of("bootstrap.servers=" + bootstrap),
                        "files", dev ? List.of(Workloads.BLOB_PROPERTIES) : null)),
                "patches", exporterUrls(namespace, scaler, metricsPort));
    }
}
