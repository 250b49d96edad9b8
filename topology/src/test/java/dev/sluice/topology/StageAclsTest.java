package dev.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.junit.jupiter.api.Test;

/** The ACLs derived from stage definitions: what each stage needs, nothing to create topics with. */
class StageAclsTest {

    private static List<String> describe(List<AclBinding> acls) {
        return acls.stream().map(b -> b.pattern().resourceType() + ":" + b.pattern().patternType() + ":" + b.pattern().name()
                + ":" + b.entry().operation()).toList();
    }

    @Test
    void shouldGrantAPerRecordStageReadOnItsInputWriteOnItsOutputAndDeadLettersAndItsTransactionalIds() {
        List<AclBinding> acls = StageAcls.forStage(StageCatalog.entry("fetch"));
        assertThat(describe(acls)).containsExactlyInAnyOrder(
                "TOPIC:LITERAL:sluice.hn.item-ids:READ", "TOPIC:LITERAL:sluice.hn.item-ids:DESCRIBE",
                "GROUP:LITERAL:sluice-fetch:READ",
                "TOPIC:LITERAL:sluice.hn.items:WRITE", "TOPIC:LITERAL:sluice.hn.items:DESCRIBE",
                "TOPIC:LITERAL:sluice.hn.item-ids.dlq:WRITE", "TOPIC:LITERAL:sluice.hn.item-ids.dlq:DESCRIBE",
                "TRANSACTIONAL_ID:PREFIXED:sluice-fetch-:WRITE", "TRANSACTIONAL_ID:PREFIXED:sluice-fetch-:DESCRIBE",
                "CLUSTER:LITERAL:kafka-cluster:IDEMPOTENT_WRITE");
        assertThat(acls).allMatch(b -> b.entry().principal().equals("User:sluice-fetch") && b.entry().host().equals("*")
                && b.entry().permissionType() == AclPermissionType.ALLOW);
    }

    @Test
    void shouldGiveAStreamsStageItsOwnInternalTopicsAndExactlyItsGroup() {
        List<String> acls = describe(StageAcls.forStage(StageCatalog.entry("threads"), "User:t"));
        assertThat(acls).contains("TOPIC:PREFIXED:sluice-threads-:ALL", "GROUP:LITERAL:sluice-threads:ALL",
                "TOPIC:LITERAL:sluice.hn.thread-comments:READ", "TOPIC:LITERAL:sluice.hn.thread-snapshots:WRITE",
                "TOPIC:LITERAL:sluice.hn.thread-comments.dlq:WRITE");
        assertThat(acls).noneMatch(a -> a.startsWith("GROUP:PREFIXED")).noneMatch(a -> a.endsWith(":" + AclOperation.CREATE));
    }
}
