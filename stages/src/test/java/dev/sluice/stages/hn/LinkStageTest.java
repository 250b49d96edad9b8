package dev.sluice.stages.hn;

import static dev.sluice.stages.hn.HnFixtures.comment;
import static dev.sluice.stages.hn.HnFixtures.firstId;
import static dev.sluice.stages.hn.HnFixtures.parsedItem;
import static dev.sluice.stages.hn.HnFixtures.story;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.StageTopology;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.hn.HnLink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkStageTest {
    private static final Predicate<JsonNode> LIVE_STORY_WITH_URL = n -> "story".equals(n.path("type").asText())
            && n.has("url") && !n.path("dead").asBoolean() && !n.path("deleted").asBoolean();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<Long, HnItem> items;
    private TestOutputTopic<Long, HnLink> links;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void startDriver() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "links-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(StageTopology.build(new LinkStage().definition(), RetryPolicy.DEFAULT, "test", Map.of()), p);
        items = driver.createInputTopic(HnTopics.ITEMS, new LongSerializer(), new AvroSerde<>(HnItem.class).serializer());
        links = driver.createOutputTopic(HnTopics.LINKS, new LongDeserializer(), new AvroSerde<>(HnLink.class).deserializer());
        dlq = driver.createOutputTopic(HnTopics.dlq(HnTopics.ITEMS), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldEmitALinkForALiveStoryWithAUrl() {
        pipe(parsedItem(HnFixtures.STORY_WITH_TREE));

        assertThat(links.readKeyValuesToList()).containsExactly(KeyValue.pair(HnFixtures.STORY_WITH_TREE,
                HnLink.newBuilder()
                        .setStoryId(HnFixtures.STORY_WITH_TREE)
                        .setUrl("https://courses.pikuma.com/courses/learn-computer-graphics-programming")
                        .setHost("courses.pikuma.com")
                        .setTitle("Learn 3D Computer Graphics Programming from Scratch")
                        .setLooksLikePdf(false)
                        .build()));
    }

    @Test
    void shouldLowerCaseTheHostButKeepTheUrlAsWritten() {
        pipe(story(1L).url("https://News.YCombinator.COM/Item?id=1").parsed());

        HnLink link = links.readValue();
        assertThat(link.getHost()).isEqualTo("news.ycombinator.com");
        assertThat(link.getUrl()).isEqualTo("https://News.YCombinator.COM/Item?id=1");
        assertThat(link.getLooksLikePdf()).isFalse();
    }

    @Test
    void shouldFlagAFixtureStoryLinkingToAPdf() {
        long pdfStory = firstId(LIVE_STORY_WITH_URL.and(n -> n.path("url").asText().endsWith(".pdf")));

        pipe(parsedItem(pdfStory));

        HnLink link = links.readValue();
        assertThat(link.getStoryId()).isEqualTo(pdfStory);
        assertThat(link.getLooksLikePdf()).isTrue();
    }

    @Test
    void shouldFlagAPdfPathWhateverItsCaseAndQuery() {
        pipe(story(2L).url("HTTP://Example.org/papers/Paper.PDF?download=1").parsed());

        HnLink link = links.readValue();
        assertThat(link.getLooksLikePdf()).isTrue();
        assertThat(link.getHost()).isEqualTo("example.org");
    }

    @Test
    void shouldNotFlagAPdfMentionedOnlyInTheQuery() {
        pipe(story(3L).url("https://example.org/viewer?file=paper.pdf").parsed());

        assertThat(links.readValue().getLooksLikePdf()).isFalse();
    }

    @Test
    void shouldEmitNothingForAComment() {
        pipe(parsedItem(firstId(n -> "comment".equals(n.path("type").asText()))));
        pipe(comment(4L, 1L).url("https://example.org/").parsed());

        assertNothingEmitted();
    }

    @Test
    void shouldEmitNothingForADeadStory() {
        long dead = firstId(n -> "story".equals(n.path("type").asText()) && n.has("url") && n.path("dead").asBoolean());

        pipe(parsedItem(dead));
        pipe(story(5L).url("https://example.org/").dead().parsed());

        assertNothingEmitted();
    }

    @Test
    void shouldEmitNothingForADeletedStory() {
        pipe(parsedItem(firstId(n -> "story".equals(n.path("type").asText()) && n.path("deleted").asBoolean())));
        pipe(story(6L).url("https://example.org/").deleted().parsed());

        assertNothingEmitted();
    }

    @Test
    void shouldEmitNothingForAStoryWithoutUrl() {
        pipe(parsedItem(firstId(n -> "story".equals(n.path("type").asText()) && !n.has("url")
                && !n.path("dead").asBoolean() && !n.path("deleted").asBoolean())));

        assertNothingEmitted();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/paper.pdf", "mailto:someone@example.org", "javascript:alert(1)",
            "file:///etc/passwd", "example.org/no-scheme", "https:///no-host", "https://exa mple.org/space"})
    void shouldEmitNothingForANonWebUrl(String url) {
        pipe(story(7L).url(url).parsed());

        assertNothingEmitted();
    }

    @Test
    void shouldEmitALinkForEveryLiveFixtureStoryWithAWebUrlAndNothingElse() {
        List<Long> expected = HnFixtures.items().keySet().stream()
                .filter(id -> LIVE_STORY_WITH_URL.test(HnFixtures.itemNode(id)))
                .toList();

        HnFixtures.items().keySet().forEach(id -> pipe(parsedItem(id)));

        List<KeyValue<Long, HnLink>> out = links.readKeyValuesToList();
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(out).extracting(kv -> kv.key).containsExactlyElementsOf(expected);
        assertThat(out).allSatisfy(kv -> {
            assertThat(kv.value.getStoryId()).isEqualTo(kv.key);
            assertThat(kv.value.getUrl()).isEqualTo(HnFixtures.itemNode(kv.key).path("url").asText());
            assertThat(kv.value.getHost()).isNotBlank().isLowerCase();
        });
        assertThat(dlq.isEmpty()).isTrue();
    }

    private void pipe(HnItem item) {
        items.pipeInput(item.getId(), item);
    }

    private void assertNothingEmitted() {
        assertThat(links.isEmpty()).as("links").isTrue();
        assertThat(dlq.isEmpty()).as("dead letters").isTrue();
    }
}
