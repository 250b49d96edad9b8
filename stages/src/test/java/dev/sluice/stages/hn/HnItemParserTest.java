package dev.sluice.stages.hn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.stage.PermanentStageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HnItemParserTest {
    private static final Instant FETCHED_AT = Instant.parse("2021-01-09T12:34:56.789Z");

    @Test
    void shouldParseEveryFixtureItemWithTheFieldsOfItsJson() throws Exception {
        Map<Long, String> items = HnFixtures.items();
        assertThat(items).hasSize(3_000);
        SoftAssertions softly = new SoftAssertions();

        for (Map.Entry<Long, String> e : items.entrySet()) {
            HnItem item = HnItemParser.parse(e.getKey(), e.getValue(), FETCHED_AT);
            assertMatchesJson(softly, item, e.getValue());
        }

        softly.assertAll();
    }

    @Test
    void shouldParsePollPartsPolloptAndJobFromTheApiDocExamples() throws Exception {
        List<String> lines = HnFixtures.lines(HnFixtures.apiDocExamplesFile());
        SoftAssertions softly = new SoftAssertions();
        List<String> types = new ArrayList<>();

        for (String line : lines) {
            long id = HnFixtures.tree(line).get("id").asLong();
            HnItem item = HnItemParser.parse(id, line, FETCHED_AT);
            assertMatchesJson(softly, item, line);
            types.add(item.getType());
        }

        softly.assertAll();
        assertThat(types).contains("story", "comment", "job", "poll", "pollopt");
    }

    @Test
    void shouldParseTheStoryWithItsCommentTree() throws Exception {
        HnItem story = HnItemParser.parse(HnFixtures.STORY_WITH_TREE, HnFixtures.item(HnFixtures.STORY_WITH_TREE), FETCHED_AT);

        assertThat(story.getType()).isEqualTo("story");
        assertThat(story.getBy()).isEqualTo("myth_drannon");
        assertThat(story.getTime()).isEqualTo(1_609_285_221L);
        assertThat(story.getScore()).isEqualTo(111);
        assertThat(story.getDescendants()).isEqualTo(40);
        assertThat(story.getKids()).startsWith(25_578_372L, 25_577_713L).hasSize(9);
        assertThat(story.getParent()).isNull();
        assertThat(story.getText()).isNull();
        assertThat(story.getDeleted()).isFalse();
        assertThat(story.getDead()).isFalse();
        assertThat(story.getFetchedAt()).isEqualTo(FETCHED_AT);
    }

    @Test
    void shouldKeepDeletedAndDeadFlags() throws Exception {
        long deletedAndDead = HnFixtures.firstId(n -> n.path("deleted").asBoolean() && n.path("dead").asBoolean());

        HnItem item = HnItemParser.parse(deletedAndDead, HnFixtures.item(deletedAndDead), FETCHED_AT);

        assertThat(item.getDeleted()).isTrue();
        assertThat(item.getDead()).isTrue();
        assertThat(item.getBy()).isNull();
    }

    @Test
    void shouldParseASyntheticItemBuiltByTheFixtureBuilder() throws Exception {
        String json = HnFixtures.comment(42L, 7L).kids(43L, 44L).dead().json();

        HnItem item = HnItemParser.parse(42L, json, FETCHED_AT);

        assertThat(item.getType()).isEqualTo("comment");
        assertThat(item.getParent()).isEqualTo(7L);
        assertThat(item.getKids()).containsExactly(43L, 44L);
        assertThat(item.getDead()).isTrue();
        assertThat(item.getRawJson()).isEqualTo(json);
    }

    static Stream<Arguments> unparseableBodies() {
        long id = HnFixtures.STORY_WITH_TREE;
        String line = HnFixtures.item(id);
        return Stream.of(
                Arguments.of("truncated JSON", id, line.substring(0, line.length() / 2)),
                Arguments.of("not JSON at all", id, "<html>Service Unavailable</html>"),
                Arguments.of("a JSON array", id, "[" + line + "]"),
                Arguments.of("JSON null", id, "null"),
                Arguments.of("a JSON number", id, "25576462"),
                Arguments.of("an empty body", id, ""),
                Arguments.of("an object without id", id, HnFixtures.story(id).without("id").json()),
                Arguments.of("a non-numeric id", id, "{\"id\":\"abc\",\"type\":\"story\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparseableBodies")
    void shouldRejectABodyThatIsNotAnItemObjectNamingTheItemId(String what, long id, String body) {
        assertThatThrownBy(() -> HnItemParser.parse(id, body, FETCHED_AT))
                .isInstanceOfAny(PermanentStageException.class, dev.sluice.stage.RetriableStageException.class)
                .hasMessageContaining(Long.toString(id));
    }

    @Test
    void shouldCallTruncatedJsonMalformedAndWorthAnotherTry() {
        String line = HnFixtures.item(HnFixtures.FIRST_ID);

        assertThatThrownBy(() -> HnItemParser.parse(HnFixtures.FIRST_ID, line.substring(0, 40), FETCHED_AT))
                .isInstanceOf(dev.sluice.stage.RetriableStageException.class)
                .hasMessageContaining("malformed")
                .hasMessageContaining(Long.toString(HnFixtures.FIRST_ID));
    }

    @Test
    void shouldRejectAnItemWhoseIdIsNotTheOneAskedFor() {
        String other = HnFixtures.item(HnFixtures.FIRST_ID + 1);

        assertThatThrownBy(() -> HnItemParser.parse(HnFixtures.FIRST_ID, other, FETCHED_AT))
                .isInstanceOf(PermanentStageException.class)
                .hasMessageContaining(Long.toString(HnFixtures.FIRST_ID))
                .hasMessageContaining(Long.toString(HnFixtures.FIRST_ID + 1));
    }

    private static void assertMatchesJson(SoftAssertions softly, HnItem item, String line) {
        JsonNode n = HnFixtures.tree(line);
        String at = "item " + n.get("id").asLong() + " field ";
        softly.assertThat(item.getId()).as(at + "id").isEqualTo(n.get("id").asLong());
        softly.assertThat(item.getType()).as(at + "type").isEqualTo(text(n, "type"));
        softly.assertThat(item.getBy()).as(at + "by").isEqualTo(text(n, "by"));
        softly.assertThat(item.getTime()).as(at + "time").isEqualTo(longOrNull(n, "time"));
        softly.assertThat(item.getText()).as(at + "text").isEqualTo(text(n, "text"));
        softly.assertThat(item.getParent()).as(at + "parent").isEqualTo(longOrNull(n, "parent"));
        softly.assertThat(item.getPoll()).as(at + "poll").isEqualTo(longOrNull(n, "poll"));
        softly.assertThat(item.getKids()).as(at + "kids").isEqualTo(ids(n, "kids"));
        softly.assertThat(item.getParts()).as(at + "parts").isEqualTo(ids(n, "parts"));
        softly.assertThat(item.getUrl()).as(at + "url").isEqualTo(text(n, "url"));
        softly.assertThat(item.getTitle()).as(at + "title").isEqualTo(text(n, "title"));
        softly.assertThat(item.getScore()).as(at + "score").isEqualTo(n.has("score") ? n.get("score").intValue() : null);
        softly.assertThat(item.getDescendants()).as(at + "descendants")
                .isEqualTo(n.has("descendants") ? n.get("descendants").intValue() : null);
        softly.assertThat(item.getDeleted()).as(at + "deleted").isEqualTo(n.has("deleted") && n.get("deleted").booleanValue());
        softly.assertThat(item.getDead()).as(at + "dead").isEqualTo(n.has("dead") && n.get("dead").booleanValue());
        softly.assertThat(item.getFetchedAt()).as(at + "fetched_at").isEqualTo(FETCHED_AT);
        softly.assertThat(item.getRawJson()).as(at + "raw_json").isEqualTo(line);
    }

    private static String text(JsonNode n, String field) {
        return n.has(field) ? n.get(field).textValue() : null;
    }

    private static Long longOrNull(JsonNode n, String field) {
        return n.has(field) ? n.get(field).longValue() : null;
    }

    private static List<Long> ids(JsonNode n, String field) {
        if (!n.has(field)) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        n.get(field).forEach(k -> out.add(k.longValue()));
        return out;
    }
}
