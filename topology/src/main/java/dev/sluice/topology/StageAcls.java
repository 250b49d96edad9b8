package dev.sluice.topology;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A stage's least-privilege Kafka ACLs as {@link AclBinding}s for {@code Admin.createAcls}: exactly
 * the grants of its generated Strimzi {@code KafkaUser} ({@link dev.sluice.topology.k8s.StageAcls}),
 * so the broker test that runs a stage under them proves the manifests' ACLs are sufficient.
 */
public final class StageAcls {

    private StageAcls() {
    }

    /** The principal of a stage's own credentials: {@code User:<prefix>sluice-<stage>} (its group id under {@code names}). */
    public static String principal(String stage, Names names) {
        return "User:" + names.groupId(stage);
    }

    /** The ACLs of {@code def} under {@code names} for its own principal, {@link #principal}. */
    public static List<AclBinding> forStage(StageDefinition<?, ?, ?, ?> def, Names names) {
        return forStage(def, principal(def.name(), names), names);
    }

    /** The ACLs of {@code def} under {@code names} for {@code principal}, e.g. {@code User:sluice-fetch}. */
    public static List<AclBinding> forStage(StageDefinition<?, ?, ?, ?> def, String principal, Names names) {
        return dev.sluice.topology.k8s.StageAcls.of(def, names).stream().flatMap(a -> a.bindings(principal).stream()).toList();
    }
}
