package dev.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stages.hn.HnConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start summary of the real stage catalog. */
class StartSummaryTest {
    private final List<StageDefinition<?, ?, ?, ?>> all = StageCatalog.entries();

    private String lineOf(List<String> lines, String stage) {
        return lines.stream().filter(l -> l.startsWith(stage + " ")).findFirst().orElseThrow();
    }

    @Test
    void shouldSayOneLinePerStageInDataFlowOrder() {
        List<String> lines = StartSummary.lines(all, Map.of(), Names.DEFAULT);

        assertThat(lines).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            StageDefinition<?, ?, ?, ?> def = all.get(i);
            assertThat(lines.get(i)).startsWith(def.name() + " ").doesNotContain("\n")
                    .contains(String.join(", ", def.inputTopics()) + " -> ").endsWith("group " + def.groupId(Names.DEFAULT));
        }
    }

    @Test
    void shouldAlignTheColumns() {
        List<String> lines = StartSummary.lines(all, Map.of(), Names.DEFAULT);

        assertThat(lines).extracting(l -> l.indexOf(" sluice.")).containsOnly(lines.get(0).indexOf(" sluice."));
        assertThat(lines).extracting(l -> l.indexOf("group ")).containsOnly(lines.get(0).indexOf("group "));
    }

    @Test
    void shouldSayHowEachKindRunsWithTheLoopsConcurrencyFromTheSettings() {
        List<String> lines = StartSummary.lines(all, Map.of(HnConfig.FETCH_CONCURRENCY_CONFIG, "12"), Names.DEFAULT);

        assertThat(lineOf(lines, "fetch")).contains("stateless: transactional loop x12")
                .contains("sluice.hn.item-ids -> sluice.hn.items");
        assertThat(lineOf(lines, "threads")).contains("stateful: Kafka Streams");
        assertThat(lineOf(lines, "store")).contains("custom").contains("sluice.hn.items -> PostgreSQL");
        assertThat(lineOf(lines, "assemble")).contains("sluice.documents.page-results, sluice.documents.pages.dlq -> ");
    }
}
