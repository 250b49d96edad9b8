package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;

import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicies of the pipeline. Ingress: every sluice pod is closed except its metrics port
 * to the {@value #MONITORING_NAMESPACE} namespace (and the lag exporter's to KEDA's, for the
 * {@code metrics-api} trigger). Egress, one policy per stage, derived from its definition: DNS, the
 * Kafka brokers and the schema registry always; PostgreSQL if it {@link StageDefinition#needsDatabase
 * needs the database}; the blob store, the LLM endpoint, the Hacker News API or the public web only if
 * it {@link StageDefinition#uses uses} them.
 *
 * <p>In-cluster services are reached by namespace: label the namespace hosting each with its
 * {@link Peer#label()} (e.g. {@code kubectl label namespace kafka sluice.dev/kafka=true}). The public
 * web ({@code pdf-links}: http and https; the Hacker News API: https) is any address but the
 * private, shared, link-local and unique-local ranges, so a link can never reach into the cluster.
 */
final class NetworkPolicies {
    static final String MONITORING_NAMESPACE = "monitoring";
    static final String KEDA_NAMESPACE = "keda";
    static final List<String> NON_PUBLIC_V4 = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "169.254.0.0/16");
    static final List<String> NON_PUBLIC_V6 = List.of("fc00::/7", "fe80::/10");

    /** An in-cluster service a stage may reach: the namespace label that admits it and its TCP ports. */
    enum Peer {
        KAFKA(9092, 9093), SCHEMA_REGISTRY(8080), DATABASE(5432), BLOB_STORE(443, 9000), LLM(443, 8000);

        private final List<Integer> ports;

        Peer(Integer... ports) {
            this.ports = List.of(ports);
        }

        /** Namespace label admitting this peer, e.g. {@code sluice.dev/schema-registry}. */
        String label() {
            return "sluice.dev/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        Map<String, Object> rule() {
            return map("to", List.of(map("namespaceSelector", map("matchLabels", map(label(), "true")))),
                    "ports", tcp(ports));
        }
    }

    private NetworkPolicies() {
    }

    /** The peers {@code e} reaches inside the cluster. */
    static List<Peer> peers(StageDefinition<?, ?, ?, ?> e) {
        List<Peer> p = new ArrayList<>(List.of(Peer.KAFKA, Peer.SCHEMA_REGISTRY));
        if (e.needsDatabase()) {
            p.add(Peer.DATABASE);
        }
        if (e.uses(StageDefinition.Use.BLOB_STORE)) {
            p.add(Peer.BLOB_STORE);
        }
        if (e.uses(StageDefinition.Use.LLM)) {
            p.add(Peer.LLM);
        }
        return p;
    }

    /** Egress of stage {@code e}. */
    static Map<String, Object> egress(StageDefinition<?, ?, ?, ?> e) {
        List<Object> rules = new ArrayList<>(List.of(dns()));
        peers(e).forEach(p -> rules.add(p.rule()));
        if (e.uses(StageDefinition.Use.WEB)) {
            rules.add(publicWeb(80, 443));
        } else if (e.uses(StageDefinition.Use.HN_API)) {
            rules.add(publicWeb(443));
        }
        return policy(e.workloadName(), e.name(), List.of("Egress"), "egress", rules);
    }

    /** Egress of the lag exporter: DNS and the brokers. */
    static Map<String, Object> lagExporterEgress() {
        return policy(Scalers.LAG_EXPORTER, "lag-exporter", List.of("Egress"), "egress", List.of(dns(), Peer.KAFKA.rule()));
    }

    /** Closes every sluice pod to ingress but the metrics port from the monitoring namespace. */
    static Map<String, Object> ingress(int metricsPort) {
        return with(Yaml.object("networking.k8s.io/v1", "NetworkPolicy", Workloads.metadata("sluice-ingress", "network")),
                "spec", map("podSelector", map("matchLabels", map("app.kubernetes.io/name", "sluice")),
                        "policyTypes", List.of("Ingress"),
                        "ingress", List.of(from(MONITORING_NAMESPACE, metricsPort))));
    }

    /** KEDA's operator reads the lag exporter's /lag/&lt;stage&gt;. */
    static Map<String, Object> lagExporterIngress(int metricsPort) {
        return policy(Scalers.LAG_EXPORTER + "-keda", "lag-exporter", List.of("Ingress"), "ingress",
                List.of(from(KEDA_NAMESPACE, metricsPort)));
    }

    private static Map<String, Object> from(String namespace, int port) {
        return map("from", List.of(map("namespaceSelector", map("matchLabels",
                map("kubernetes.io/metadata.name", namespace)))), "ports", tcp(List.of(port)));
    }

    private static Map<String, Object> dns() {
        List<Object> ports = List.of(map("protocol", "UDP", "port", 53), map("protocol", "TCP", "port", 53));
        return map("to", List.of(map(
                "namespaceSelector", map("matchLabels", map("kubernetes.io/metadata.name", "kube-system")),
                "podSelector", map("matchLabels", map("k8s-app", "kube-dns")))), "ports", ports);
    }

    private static Map<String, Object> publicWeb(Integer... ports) {
        return map("to", List.of(
                map("ipBlock", map("cidr", "0.0.0.0/0", "except", NON_PUBLIC_V4)),
                map("ipBlock", map("cidr", "::/0", "except", NON_PUBLIC_V6))), "ports", tcp(List.of(ports)));
    }

    private static List<Object> tcp(List<Integer> ports) {
        return ports.stream().map(p -> (Object) map("protocol", "TCP", "port", p)).toList();
    }

    private static Map<String, Object> policy(String name, String component, List<String> types, String key, List<Object> rules) {
        return with(Yaml.object("networking.k8s.io/v1", "NetworkPolicy", Workloads.metadata(name, component)),
                "spec", map("podSelector", map("matchLabels", Workloads.labels(component)), "policyTypes", types, key, rules));
    }

    private static Map<String, Object> with(Map<String, Object> head, String key, Object value) {
        return Workloads.with(head, key, value);
    }
}
