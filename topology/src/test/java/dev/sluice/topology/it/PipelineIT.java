package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.topology.cli.SluiceCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The whole Hacker News path on a real broker and PostgreSQL, against a replay server injecting transient faults. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
    private static ItEnv env;
    private static HnReplayServer hn;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("pipeline");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).failRate(0.1).seed(7).latencyMs(2).hangMs(2000).start();
        PipelineRun.on(env, env.dir("data"), hn.baseUrl()).set("hn.from.id", HnExpectations.FIRST)
                .runUntilIdle(Duration.ofMinutes(4));
    }

    @AfterAll
    static void stop() {
        hn.close();
        env.close();
    }

    @Test
    @Order(1)
    void shouldStoreEveryItemOnceWithTheApiFieldsDespiteTransientFaults() throws Exception {
        assertThat(hn.faultCount()).as("faults injected").isGreaterThan(100);
        List<Long> ids = Db.longs(env.jdbcUrl(), "SELECT id FROM hn_items ORDER BY id");
        assertThat(ids).hasSize(3000).doesNotHaveDuplicates().first().isEqualTo(HnExpectations.FIRST);
        assertThat(ids).last().isEqualTo(HnExpectations.LAST);
        Map<Long, JsonNode> stored = Db.strings(env.jdbcUrl(), "SELECT raw::text FROM hn_items").stream()
                .map(HnExpectations::parse).collect(Collectors.toMap(n -> n.get("id").asLong(), n -> n));
        assertThat(stored).isEqualTo(HnExpectations.items());
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM hn_items WHERE deleted")).isEqualTo(HnExpectations.flagged("deleted"));
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM hn_items WHERE dead")).isEqualTo(HnExpectations.flagged("dead"));
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM hn_items WHERE type = 'comment' AND parent IS NULL")).isZero();
    }

    @Test
    @Order(2)
    void shouldWriteEachIdAndEachItemToKafkaExactlyOnce() {
        assertExactlyOnce(HnTopics.ITEM_IDS, 3000);
        assertExactlyOnce(HnTopics.ITEMS, 3000);
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.dlq(HnTopics.ITEM_IDS))).isEmpty();
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.dlq(HnTopics.ITEMS))).isEmpty();
    }

    @Test
    @Order(3)
    void shouldEmitALinkForEveryLiveStoryWithAUrl() {
        List<ConsumerRecord<byte[], byte[]>> links = TopicReader.readAll(env.clientProps(), HnTopics.LINKS);
        assertThat(links).hasSize((int) HnExpectations.liveLinkedStories(HnExpectations.FIRST, HnExpectations.LAST));
    }

    @Test
    @Order(4)
    void shouldExportStoredItemsAsJsonLinesInIdOrder() {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = SluiceCli.execute("export", "hn_items", "--format", "jsonl", "--db-url", env.jdbcUrl());
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero();
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3000);
        assertThat(HnExpectations.parse(lines.get(0))).isEqualTo(HnExpectations.items().get(HnExpectations.FIRST));
    }

    private static void assertExactlyOnce(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(env.clientProps(), topic);
        List<Long> keys = records.stream().map(r -> java.nio.ByteBuffer.wrap(r.key()).getLong()).toList();
        assertThat(keys).as(topic).hasSize(expected).doesNotHaveDuplicates();
        assertThat(keys).allMatch(k -> k >= HnExpectations.FIRST && k <= HnExpectations.LAST);
    }
}
