package dev.sluice.topology.k8s;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege broker ACLs of each stage, derived from its {@link StageDefinition} alone:
 * Every name carries the deployment's {@code topic.prefix} ({@link Names}); without one:
 * <ul>
 *   <li>Read and Describe on its input topics, Read on its group {@code sluice-<stage>};</li>
 *   <li>Write and Describe on its output topics and its dead-letter topic;</li>
 *   <li>for a stage that writes in transactions (every per-record stage and every Kafka Streams
 *       one), Write and Describe on the transactional ids with prefix {@code sluice-<stage>-};</li>
 *   <li>IdempotentWrite on the cluster (every producer is idempotent);</li>
 *   <li>for a stage that {@link StageDefinition.Use#KAFKA_STREAMS runs Kafka Streams}, All on the
 *       topics with prefix {@code sluice-<stage>-} (its internal changelog and repartition topics,
 *       which Streams creates) and on its application id group {@code sluice-<stage>}.</li>
 * </ul>
 * No stage may create, delete or alter any pipeline topic: those are declared as {@code KafkaTopic}s.
 * The same list configures Strimzi {@code KafkaUser}s ({@link Strimzi}) and a real broker through
 * {@link Acl#bindings} and {@code Admin.createAcls}.
 */
public final class StageAcls {
    /** Name of the cluster resource in Kafka's ACLs. */
    public static final String CLUSTER = "kafka-cluster";
    /** The lag exporter's user; it reads every stage's input and group offsets. */
    public static final String LAG_EXPORTER = "sluice-lag-exporter";

    /** One grant: {@code operations} on the resource {@code name} of {@code resourceType}, matched literally or as a prefix. */
    public record Acl(ResourceType resourceType, String name, PatternType patternType, Set<AclOperation> operations) {
        public Acl {
            operations = Set.copyOf(operations);
        }

        /** This grant as allow-bindings for {@code principal} (e.g. {@code User:sluice-fetch}) from any host. */
        public List<AclBinding> bindings(String principal) {
            ResourcePattern pattern = new ResourcePattern(resourceType, name, patternType);
            return operations.stream().sorted().map(op -> new AclBinding(pattern,
                    new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW))).toList();
        }
    }

    private StageAcls() {
    }

    /** The Kafka user name of a stage (its group id under {@code names}), e.g. {@code sluice-fetch}. */
    public static String user(StageDefinition<?, ?, ?, ?> def, Names names) {
        return def.groupId(names);
    }

    /** The lag exporter's Kafka user name under {@code names}, e.g. {@code sluice-lag-exporter}. */
    public static String lagExporterUser(Names names) {
        return names.clientId(LAG_EXPORTER);
    }

    /** Every grant {@code def} needs on the physical names {@code names} gives, in a stable order, each resource once. */
    public static List<Acl> of(StageDefinition<?, ?, ?, ?> def, Names names) {
        Grants g = new Grants();
        String prefix = names.transactionalId(def.name(), "");
        String group = def.groupId(names);
        names.topics(def.inputTopics()).forEach(t -> g.add(ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ,
                AclOperation.DESCRIBE));
        g.add(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ);
        names.topics(def.outputTopics()).forEach(t -> g.add(ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE,
                AclOperation.DESCRIBE));
        g.add(ResourceType.TOPIC, names.topic(def.deadLetterTopic()), PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
        boolean streams = def.uses(StageDefinition.Use.KAFKA_STREAMS);
        if (def.kind() == StageDefinition.Kind.STATELESS || streams) {
            g.add(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        g.add(ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
        if (streams) {
            g.add(ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.ALL);
            g.add(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.ALL);
        }
        return g.list();
    }

    /** The lag exporter's grants: Read and Describe on every stage's inputs, Describe on every stage's group. */
    public static List<Acl> lagExporter(List<StageDefinition<?, ?, ?, ?>> defs, Names names) {
        Grants g = new Grants();
        for (StageDefinition<?, ?, ?, ?> d : defs) {
            names.topics(d.inputTopics()).forEach(t -> g.add(ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ,
                    AclOperation.DESCRIBE));
            g.add(ResourceType.GROUP, d.groupId(names), PatternType.LITERAL, AclOperation.DESCRIBE);
        }
        return g.list();
    }

    /** Operations per resource, merged; All absorbs the rest. */
    private static final class Grants {
        private final Map<ResourcePattern, EnumSet<AclOperation>> ops = new LinkedHashMap<>();

        void add(ResourceType type, String name, PatternType pattern, AclOperation... operations) {
            EnumSet<AclOperation> set = ops.computeIfAbsent(new ResourcePattern(type, name, pattern), k -> EnumSet.noneOf(AclOperation.class));
            set.addAll(List.of(operations));
            if (set.contains(AclOperation.ALL)) {
                set.retainAll(Set.of(AclOperation.ALL));
            }
        }

        List<Acl> list() {
            List<Acl> out = new ArrayList<>();
            ops.forEach((p, o) -> out.add(new Acl(p.resourceType(), p.name(), p.patternType(), o)));
            return out;
        }
    }
}
