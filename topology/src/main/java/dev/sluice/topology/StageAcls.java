package dev.sluice.topology;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege Kafka ACLs of one stage, derived from its {@link StageDefinition} and the ids in
 * {@link Names}, for a principal that creates no topics (run with {@code topics.create.on.start=false}):
 * <ul>
 *   <li>Read and Describe on each input topic, Read on the group {@code sluice-<stage>};</li>
 *   <li>Write and Describe on each output topic and on the dead-letter topic;</li>
 *   <li>Write and Describe on transactional ids prefixed {@code sluice-<stage>-}, IdempotentWrite on the cluster;</li>
 *   <li>a Kafka Streams stage ({@link StageDefinition.Kind#STATEFUL}, and {@link StageDefinition.Kind#CUSTOM}
 *       ones, which may run Streams) also All on topics prefixed {@code sluice-<stage>-} (its changelog and
 *       repartition topics, which it creates) and on its group {@code sluice-<stage>}.</li>
 * </ul>
 * The prefixes are those of {@link Names}; note that {@code sluice-threads-} also matches the ids of a
 * stage named {@code threads-resolve}. The watermark's poller also writes its own input, which its
 * definition does not declare: not covered here.
 */
public final class StageAcls {

    private StageAcls() {
    }

    /** The principal of a stage's own credentials: {@code User:sluice-<stage>} (its group id). */
    public static String principal(String stage) {
        return "User:" + Names.groupId(stage);
    }

    /** The ACLs of {@code def} for its own principal, {@link #principal}. */
    public static List<AclBinding> forStage(StageDefinition<?, ?, ?, ?> def) {
        return forStage(def, principal(def.name()));
    }

    /** The ACLs of {@code def} for {@code principal}, e.g. {@code User:sluice-fetch}. */
    public static List<AclBinding> forStage(StageDefinition<?, ?, ?, ?> def, String principal) {
        String group = Names.groupId(def.name());
        String ownPrefix = group + "-";
        List<AclBinding> acls = new ArrayList<>();
        for (String in : def.inputTopics()) {
            allow(acls, principal, topic(in, PatternType.LITERAL), AclOperation.READ, AclOperation.DESCRIBE);
        }
        Set<String> written = new LinkedHashSet<>(def.outputTopics());
        written.add(def.deadLetterTopic());
        for (String out : written) {
            allow(acls, principal, topic(out, PatternType.LITERAL), AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        allow(acls, principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, ownPrefix, PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(acls, principal, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                AclOperation.IDEMPOTENT_WRITE);
        ResourcePattern groupPattern = new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL);
        if (def.kind() == StageDefinition.Kind.STATELESS) {
            allow(acls, principal, groupPattern, AclOperation.READ);
        } else {
            allow(acls, principal, groupPattern, AclOperation.ALL);
            allow(acls, principal, topic(ownPrefix, PatternType.PREFIXED), AclOperation.ALL);
        }
        return List.copyOf(acls);
    }

    private static ResourcePattern topic(String name, PatternType type) {
        return new ResourcePattern(ResourceType.TOPIC, name, type);
    }

    private static void allow(List<AclBinding> acls, String principal, ResourcePattern pattern, AclOperation... ops) {
        for (AclOperation op : ops) {
            acls.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
        }
    }
}
