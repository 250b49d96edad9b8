package dev.sluice.topology.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import dev.sluice.topology.StageCatalog;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Each stage's ACLs follow from its definition and grant nothing beyond it. */
class StageAclsTest {
    private static final Set<AclOperation> MANAGE = Set.of(AclOperation.ALL, AclOperation.CREATE, AclOperation.DELETE,
            AclOperation.ALTER, AclOperation.ALTER_CONFIGS);

    @Test
    void shouldNeverLetAStageCreateDeleteOrAlterAPipelineTopic() {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            for (StageAcls.Acl a : StageAcls.of(e, Names.DEFAULT)) {
                if (a.resourceType() == ResourceType.TOPIC && a.operations().stream().anyMatch(MANAGE::contains)) {
                    assertThat(StageCatalog.topics()).as("%s may manage %s", e.name(), a.name())
                            .noneMatch(t -> covers(a, t));
                }
            }
        }
    }

    @Test
    void shouldLetAStageReadOnlyItsInputsAndWriteOnlyItsOutputsAndItsDeadLetterTopic() {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            for (String t : StageCatalog.topics()) {
                boolean reads = allows(e, ResourceType.TOPIC, t, AclOperation.READ);
                boolean writes = allows(e, ResourceType.TOPIC, t, AclOperation.WRITE);
                assertThat(reads).as("%s reads %s", e.name(), t).isEqualTo(e.inputTopics().contains(t));
                assertThat(writes).as("%s writes %s", e.name(), t)
                        .isEqualTo(e.outputTopics().contains(t) || e.deadLetterTopic().equals(t));
            }
        }
    }

    @Test
    void shouldLetAStageUseItsOwnGroupAndNoOtherStagesGroup() {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            for (StageDefinition<?, ?, ?, ?> other : StageCatalog.entries()) {
                assertThat(allows(e, ResourceType.GROUP, other.groupId(Names.DEFAULT), AclOperation.READ))
                        .as("%s reads the group of %s", e.name(), other.name()).isEqualTo(e == other);
            }
        }
    }

    @Test
    void shouldCoverTheTransactionalIdOfEveryInstanceOfATransactionalStage() {
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            boolean transactional = e.kind() == StageDefinition.Kind.STATELESS || e.uses(StageDefinition.Use.KAFKA_STREAMS);
            String pod = Names.DEFAULT.transactionalId(e.name(), "sluice-" + e.name() + "-3");
            assertThat(allows(e, ResourceType.TRANSACTIONAL_ID, pod, AclOperation.WRITE)).as(e.name()).isEqualTo(transactional);
            assertThat(allows(e, ResourceType.CLUSTER, StageAcls.CLUSTER, AclOperation.IDEMPOTENT_WRITE)).isTrue();
        }
        assertThat(allows(StageCatalog.entry("store"), ResourceType.TRANSACTIONAL_ID, "sluice-store-documents-x", AclOperation.WRITE))
                .as("a sink writes no transactions, so cannot fence store-documents' producers").isFalse();
    }

    @Test
    void shouldGiveKafkaStreamsStagesTheirInternalTopicsAndApplicationIdGroupOnly() {
        StageDefinition<?, ?, ?, ?> assemble = StageCatalog.entry("assemble");
        assertThat(allows(assemble, ResourceType.TOPIC, "sluice-assemble-pages-store-changelog", AclOperation.CREATE)).isTrue();
        assertThat(allows(assemble, ResourceType.GROUP, "sluice-assemble", AclOperation.ALL)).isTrue();
        StageDefinition<?, ?, ?, ?> watermark = StageCatalog.entry("watermark");
        assertThat(watermark.uses(StageDefinition.Use.KAFKA_STREAMS)).as("a custom runtime around a Streams app").isTrue();
        assertThat(allows(watermark, ResourceType.TOPIC, "sluice-watermark-progress-changelog", AclOperation.CREATE)).isTrue();
        StageDefinition<?, ?, ?, ?> fetch = StageCatalog.entry("fetch");
        assertThat(allows(fetch, ResourceType.TOPIC, "sluice-fetch-x-changelog", AclOperation.CREATE)).isFalse();
    }

    @Test
    void shouldGiveTheLagExporterReadOnlyAccess() {
        List<StageAcls.Acl> acls = StageAcls.lagExporter(StageCatalog.entries(), Names.DEFAULT);
        assertThat(acls).allSatisfy(a -> assertThat(a.operations()).isSubsetOf(AclOperation.READ, AclOperation.DESCRIBE));
        assertThat(acls).anySatisfy(a -> assertThat(a.name()).isEqualTo("sluice-fetch"));
    }

    @Test
    void shouldTurnEveryGrantIntoOneAllowBindingPerOperation() {
        StageDefinition<?, ?, ?, ?> fetch = StageCatalog.entry("fetch");
        List<AclBinding> bindings = StageAcls.of(fetch, Names.DEFAULT).stream().flatMap(a -> a.bindings("User:sluice-fetch").stream()).toList();
        assertThat(bindings).hasSize(StageAcls.of(fetch, Names.DEFAULT).stream().mapToInt(a -> a.operations().size()).sum());
        assertThat(bindings).allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:sluice-fetch"));
    }

    private static boolean allows(StageDefinition<?, ?, ?, ?> e, ResourceType type, String name, AclOperation op) {
        return StageAcls.of(e, Names.DEFAULT).stream().anyMatch(a -> a.resourceType() == type && covers(a, name)
                && (a.operations().contains(op) || a.operations().contains(AclOperation.ALL)
                || op == AclOperation.DESCRIBE && a.operations().stream().anyMatch(o -> o != AclOperation.IDEMPOTENT_WRITE)));
    }

    private static boolean covers(StageAcls.Acl a, String name) {
        return a.patternType() == PatternType.PREFIXED ? name.startsWith(a.name()) : name.equals(a.name());
    }
}
