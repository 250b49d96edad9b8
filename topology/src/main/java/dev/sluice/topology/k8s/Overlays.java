package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;

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

    static void add(Map<String, String> files) {
        files.put("overlays/dev/kustomization.yaml", "# dev: KEDA on the exported lag, PLAINTEXT broker, no credentials.\n"
                + Yaml.documents(List.of(overlay("sluice-dev", "dev", "keda", "kafka.kafka-dev.svc:9092", true))));
        files.put("overlays/prod/kustomization.yaml", PROD_NOTE
                + Yaml.documents(List.of(overlay("sluice", "0.1.0", "keda", "kafka-bootstrap.kafka.svc:9093", false))));
        files.put("overlays/prod-hpa/kustomization.yaml", PROD_NOTE + "# Without KEDA: plain HPAs on the External metric sluice_stage_lag (Prometheus Adapter).\n"
                + Yaml.documents(List.of(overlay("sluice", "0.1.0", "hpa", "kafka-bootstrap.kafka.svc:9093", false))));
    }

    private static final String PROD_NOTE = "# prod: create the Secret first (never committed), e.g.\n"
            + "#   kubectl -n sluice create secret generic sluice-credentials --from-file=credentials.properties\n"
            + "# with kafka.security.protocol=SASL_SSL, kafka.sasl.mechanism, kafka.sasl.jaas.config,\n"
            + "# kafka.ssl.truststore.location=/etc/sluice/credentials/truststore.p12 and db.url in it.\n";

    private static Map<String, Object> overlay(String namespace, String tag, String scaler, String bootstrap,
                                               boolean generateEmptySecret) {
        return map("apiVersion", "kustomize.config.k8s.io/v1beta1", "kind", "Kustomization",
                "namespace", namespace,
                "resources", List.of("../../base"),
                "components", List.of("../../components/" + scaler),
                "images", List.of(map("name", Workloads.IMAGE, "newName", "registry.example/sluice", "newTag", tag)),
                "generatorOptions", map("disableNameSuffixHash", true),
                "configMapGenerator", List.of(map("name", Workloads.CONFIG_MAP, "behavior", "merge",
                        "literals", List.of("bootstrap.servers=" + bootstrap))),
                "secretGenerator", generateEmptySecret ? List.of(map("name", Workloads.SECRET,
                        "literals", List.of("credentials.properties=# dev: PLAINTEXT broker, no credentials"))) : null);
    }
}
