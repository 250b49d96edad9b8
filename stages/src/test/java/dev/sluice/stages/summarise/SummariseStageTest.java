package dev.sluice.stages.summarise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.llm.FakeLlmServer;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.schemas.summaries.Summary;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SummariseStageTest {

    /** The cache as the stage sees it, in memory (the PostgreSQL one is proven in SummariesIT). */
    static final class MapCache implements SummaryCache {
        final Map<String, Draft> map = new ConcurrentHashMap<>();

        @Override
        public Optional<Draft> get(String key) {
            return Optional.ofNullable(map.get(key));
        }

        @Override
        public void put(String key, String promptVersion, Draft draft) {
            map.put(key, draft);
        }
    }

    private static List<Summary> run(SummariseStage<String, DocumentText> stage, DocumentText doc) throws Exception {
        List<Summary> out = new ArrayList<>();
        stage.process(new StageRecord<>(SummaryTopics.DOCUMENT_TEXT, 0, 0, 0, doc.getDocId(), doc, new RecordHeaders()),
                (k, v) -> out.add(v));
        return out;
    }

    @Test
    void shouldNotPayTwiceForTheSameInputAndPromptVersion() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.builder().start()) {
            SummariseConfig config = SummaryFixtures.config(llm.baseUrl());
            MapCache cache = new MapCache();
            DocumentText doc = new DocumentText("d1", "Title", "First claim. Second claim. Third.");
            SummariseStage<String, DocumentText> first = new SummariseStage<>(Subjects::document,
                    () -> Summarizers.fromConfig(config), () -> cache);
            first.init(new StageContext("summarise-documents", "test", Map.of()));
            Summary paid = run(first, doc).get(0);
            SummariseStage<String, DocumentText> replay = new SummariseStage<>(Subjects::document,
                    () -> Summarizers.fromConfig(config), () -> cache);
            replay.init(new StageContext("summarise-documents", "test", Map.of()));
            Summary again = run(replay, doc).get(0);
            assertThat(llm.answered(SummaryFixtures.PRIMARY)).isEqualTo(1);
            assertThat(again.getText()).isEqualTo(paid.getText());
            assertThat(again.getCached()).isTrue();
            assertThat(paid.getCached()).isFalse();
            assertThat(paid.getModel()).isEqualTo(SummaryFixtures.PRIMARY);
            assertThat(paid.getPromptVersion()).isEqualTo("document-v2");
            assertThat(paid.getSubjectKind()).isEqualTo("document");
            assertThat(paid.getVersion()).isEqualTo(1);
        }
    }

    @Test
    void shouldNotCacheOfflineSummariesSoAReplayTriesTheModelAgain() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.builder().down(java.util.Set.of(SummaryFixtures.PRIMARY)).start()) {
            SummariseConfig config = SummaryFixtures.config(llm.baseUrl(), SummariseConfig.RETRY_ATTEMPTS_CONFIG, 1);
            MapCache cache = new MapCache();
            SummariseStage<String, DocumentText> stage = new SummariseStage<>(Subjects::document,
                    () -> Summarizers.fromConfig(config), () -> cache);
            stage.init(new StageContext("summarise-documents", "test", Map.of()));
            Summary s = run(stage, new DocumentText("d2", null, "Only offline. Yes.")).get(0);
            assertThat(s.getModel()).isEqualTo(OfflineSummarizer.MODEL);
            assertThat(cache.map).isEmpty();
        }
    }
}
