package dev.sluice.stages.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.threads.ThreadComment;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageRecord;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnFixtures;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.summarise.SummariseConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Root resolution against the replay server over the shared fixture (real HTTP). */
class ThreadResolveStageTest {
    private HnReplayServer hn;
    private ThreadResolveStage stage;

    @BeforeEach
    void start() throws Exception {
        hn = HnReplayServer.builder().items(HnFixtures.itemsFile()).start();
        stage = new ThreadResolveStage();
        stage.init(new StageContext(ThreadResolveStage.NAME, "test", Map.of(HnConfig.BASE_URL_CONFIG, hn.baseUrl())));
    }

    @AfterEach
    void stop() {
        hn.close();
    }

    @Test
    void shouldTakeMaxPollRecordsFromTheFetchSettingUnderItsOwnConfig() {
        var def = stage.definition();
        assertThat(def.maxPollRecords(def.parse(Map.of(HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG, "7")))).isEqualTo(7);
    }

    private List<ThreadComment> process(long id) throws Exception {
        HnItem item = HnFixtures.parsedItem(id);
        List<ThreadComment> out = new ArrayList<>();
        stage.process(new StageRecord<>(HnTopics.ITEMS, 0, id, 0, id, item, new RecordHeaders()), (k, v) -> {
            assertThat(k).isEqualTo(v.getRootId());
            out.add(v);
        });
        return out;
    }

    /** The story's comments in the fixture, found by walking parents in the test itself. */
    private static List<Long> commentsOf(long story) {
        List<Long> ids = new ArrayList<>();
        for (long id : HnFixtures.items().keySet()) {
            long cur = id;
            JsonNode n = HnFixtures.itemNode(cur);
            while ("comment".equals(n.path("type").asText()) && HnFixtures.items().containsKey(n.path("parent").asLong())) {
                cur = n.path("parent").asLong();
                n = HnFixtures.itemNode(cur);
            }
            if (cur == story && id != story) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void shouldResolveEveryCommentOfAStoryToItInAnyOrderFetchingUnseenAncestors() throws Exception {
        List<Long> ids = commentsOf(HnFixtures.STORY_WITH_TREE);
        Collections.shuffle(ids, new Random(4));
        List<ThreadComment> out = new ArrayList<>();
        for (long id : ids) {
            out.addAll(process(id));
        }
        long live = ids.stream().map(HnFixtures::itemNode)
                .filter(n -> !n.path("deleted").asBoolean() && !n.path("dead").asBoolean() && n.hasNonNull("text")).count();
        assertThat(out).hasSize((int) live).allMatch(c -> c.getRootId() == HnFixtures.STORY_WITH_TREE && !c.getIsStory());
        assertThat(hn.requestCount()).as("ancestors fetched only while unseen").isLessThan(ids.size() * 2L);
    }

    @Test
    void shouldPassAStoryThroughAsItsOwnRootWithItsTitle() throws Exception {
        ThreadComment story = process(HnFixtures.STORY_WITH_TREE).get(0);
        assertThat(story.getIsStory()).isTrue();
        assertThat(story.getText()).isEqualTo(HnFixtures.itemNode(HnFixtures.STORY_WITH_TREE).get("title").asText());
    }

    @Test
    void shouldRefuseACommentWhoseAncestorTheApiDoesNotHave() {
        long orphan = HnFixtures.firstId(n -> "comment".equals(n.path("type").asText())
                && n.path("parent").asLong() < HnFixtures.FIRST_ID);
        assertThatThrownBy(() -> process(orphan)).isInstanceOf(PermanentStageException.class)
                .hasMessageContaining("does not exist: the API answered null");
    }
}
