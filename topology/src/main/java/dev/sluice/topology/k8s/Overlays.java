package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;

import dev.sluice.topology.StageCatalog;
import java.util.List;
import java.util.Map;

/**
 * The Kustomize overlays: {@code dev} (KEDA, a PLAINTEXT broker, an empty credentials Secret
 * generated here), {@code prod} (KEDA, SASL/TLS: the Secret {@code sluice-credentials} is created out
 * of band and only referenced) and {@code prod-hpa} (as prod, with plain HPAs instead of KEDA).
 */
final class Overlays {
    private Overlays() {
    }

    static void add(Map<String, String> files, int metricsPort) {
        files.put("overlays/dev/kustomization.yaml", "# dev: KEDA on the exported lag, PLAINTEXT broker, no credentials.\n"
                + Yaml.documents(List.of(overlay("sluice-dev", "dev", "keda", "kafka.kafka-dev.svc:9092", true, metricsPort))));
        files.put("overlays/prod/kustomization.yaml", PROD_NOTE
                + Yaml.documents(List.of(overlay("sluice", "0.1.0", "keda", "kafka-bootstrap.kafka.svc:9093", false, metricsPort))));
        files.put("overlays/prod-hpa/kustomization.yaml", PROD_NOTE + "# Without KEDA: plain HPAs on the External metric sluice_stage_lag (Prometheus Adapter).\n"
                + Yaml.documents(List.of(overlay("sluice", "0.1.0", "hpa", "kafka-bootstrap.kafka.svc:9093", false, metricsPort))));
    }

    private static final String PROD_NOTE = "# prod: create the Secret first (never committed), e.g.\n"
            + "#   kubectl -n sluice create secret generic sluice-credentials --from-file=credentials.properties\n"
            + "# with kafka.security.protocol=SASL_SSL, kafka.sasl.mechanism, kafka.sasl.jaas.config,\n"
            + "# kafka.ssl.truststore.location=/etc/sluice/credentials/truststore.p12 and db.url in it.\n";

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
                                               boolean generateEmptySecret, int metricsPort) {
        return map("apiVersion", "kustomize.config.k8s.io/v1beta1", "kind", "Kustomization",
                "namespace", namespace,
                "resources", List.of("../../base"),
                "components", List.of("../../components/" + scaler),
                "images", List.of(map("name", Workloads.IMAGE, "newName", "registry.example/sluice", "newTag", tag)),
                "generatorOptions", map("disableNameSuffixHash", true),
                "configMapGenerator", List.of(map("name", Workloads.CONFIG_MAP, "behavior", "merge",
                        "literals", List.of("bootstrap.servers=" + bootstrap))),
                "secretGenerator", generateEmptySecret ? List.of(map("name", Workloads.SECRET,
                        "literals", List.of("credentials.properties=# dev: PLAINTEXT broker, no credentials"))) : null,
                "patches", exporterUrls(namespace, scaler, metricsPort));
    }
}
