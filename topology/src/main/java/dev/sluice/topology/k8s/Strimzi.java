package dev.sluice.topology.k8s;

import static dev.sluice.topology.k8s.Yaml.map;

import dev.sluice.stage.Names;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Strimzi resources of the pipeline, applied in the Kafka cluster's namespace: a {@code KafkaTopic}
 * per topic of the catalog (so no stage needs the right to create one) and a {@code KafkaUser} per
 * stage with SCRAM-SHA-512 authentication and the simple-authorizer ACLs of {@link StageAcls}.
 */
final class Strimzi {
    static final String API_VERSION = "kafka.strimzi.io/v1beta2";
    /** The Kafka resource the topic and user operators manage (label {@code strimzi.io/cluster}). */
    static final String CLUSTER = "sluice";
    static final int REPLICAS = 3;
    static final String MIN_INSYNC_REPLICAS = "2";
    /** A dead letter is kept 30 days (time to re-drive it), and at most 1 GiB per partition. */
    static final long DLQ_RETENTION_MS = Duration.ofDays(30).toMillis();
    static final long DLQ_RETENTION_BYTES = 1L << 30;

    private Strimzi() {
    }

    private static Map<String, Object> metadata(String name) {
        return map("name", name, "labels", map("strimzi.io/cluster", CLUSTER, "app.kubernetes.io/name", "sluice"));
    }

    /** The KafkaTopic of {@code topic}: {@code partitions} partitions, {@code config} plus the pipeline's defaults. */
    static Map<String, Object> topic(String topic, int partitions, Map<String, String> config) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("min.insync.replicas", MIN_INSYNC_REPLICAS);
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> c.put(e.getKey(), e.getValue()));
        if (Names.isDlq(topic)) {
            c.put("retention.ms", String.valueOf(DLQ_RETENTION_MS));
            c.put("retention.bytes", String.valueOf(DLQ_RETENTION_BYTES));
        }
        String name = topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return map("apiVersion", API_VERSION, "kind", "KafkaTopic", "metadata", metadata(name), "spec", map(
                "topicName", topic, "partitions", partitions, "replicas", REPLICAS, "config", c));
    }

    /** The KafkaUser {@code user} (SCRAM-SHA-512) allowed exactly {@code acls}. */
    static Map<String, Object> user(String user, List<StageAcls.Acl> acls) {
        List<Object> rules = acls.stream().map(a -> (Object) map(
                "resource", resource(a),
                "operations", a.operations().stream().sorted().map(Strimzi::operation).toList(),
                "host", "*")).toList();
        return map("apiVersion", API_VERSION, "kind", "KafkaUser", "metadata", metadata(user), "spec", map(
                "authentication", map("type", "scram-sha-512"),
                "authorization", map("type", "simple", "acls", rules)));
    }

    private static Map<String, Object> resource(StageAcls.Acl a) {
        if (a.resourceType() == ResourceType.CLUSTER) {
            return map("type", "cluster");
        }
        String type = switch (a.resourceType()) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            default -> throw new IllegalArgumentException("no Strimzi ACL resource for " + a.resourceType());
        };
        return map("type", type, "name", a.name(), "patternType", a.patternType() == PatternType.PREFIXED ? "prefix" : "literal");
    }

    /** Kafka's IDEMPOTENT_WRITE as Strimzi spells it: IdempotentWrite. */
    static String operation(AclOperation op) {
        return Arrays.stream(op.name().split("_"))
                .map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT)).collect(Collectors.joining());
    }
}
