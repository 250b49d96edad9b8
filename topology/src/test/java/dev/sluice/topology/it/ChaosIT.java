package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.stages.hn.HnTopics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pipeline process is SIGKILLed at random moments mid-stream, three times, SIGTERMed mid-batch
 * twice, and restarted each time, while the API answers 3% transient errors and 3% garbled bodies
 * and goes down for longer than any retry budget; the 3,000 fixture items must end stored exactly
 * once, written to Kafka exactly once, and nothing may be dead-lettered.
 */
@Tag("long")
class ChaosIT {
    private static final int KILLS = 3;
    private static final int TERMS = 2;
    private static final Duration OUTAGE = Duration.ofSeconds(12);
    private final List<Duration> termTimes = new ArrayList<>();
    private static ItEnv env;
    private static HnReplayServer hn;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("chaos");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).failRate(0.03).seed(11).latencyMs(20)
                .hangMs(2000).start();
        hn.setGarbageRate(0.03);
    }

    @AfterAll
    static void stop() {
        hn.close();
        env.close();
    }

    @Test
    void shouldStoreEachItemExactlyOnceWhenThePipelineIsKilledAtRandomMoments() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        Path data = env.dir("data");
        Path log = data.resolve("sluice.log");
        List<Long> rowsAtKill = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            try (SluiceProcess p = SluiceProcess.start(log, args(data, false))) {
                long before = rows();
                awaitProgressBeyond(before, p);
                Thread.sleep(300 + random.nextInt(2500));
                p.kill();
                rowsAtKill.add(rows());
            }
        }
        for (int i = 0; i < TERMS; i++) {
            try (SluiceProcess p = SluiceProcess.start(log, args(data, false))) {
                awaitProgressOrAll(p);
                Thread.sleep(200 + random.nextInt(1000));
                termTimes.add(p.terminate(20));
            }
        }
        try (SluiceProcess p = SluiceProcess.start(log, args(data, true))) {
            awaitProgressOrAll(p);
            hn.setDown(true); // an outage longer than fetch.retry.max.elapsed.ms
            Thread.sleep(OUTAGE.toMillis());
            hn.setDown(false);
            assertThat(p.awaitExit(300)).as("exit code; log:\n%s", p.tail()).isZero();
        }
        assertThat(hn.garbageCount()).as("garbled answers served").isPositive();
        assertThat(termTimes).as("time to exit after SIGTERM").allMatch(d -> d.toSeconds() < 10);
        assertThat(rowsAtKill).as("rows at each kill (seed %d): every kill was mid-stream", seed)
                .hasSize(KILLS).allMatch(n -> n > 0 && n < 3000);
        assertStoredExactlyOnce();
        assertTopicExactlyOnce(HnTopics.ITEM_IDS);
        assertTopicExactlyOnce(HnTopics.ITEMS);
        assertThat(TopicReader.readAll(env.clientProps(), HnTopics.dlq(HnTopics.ITEM_IDS))).isEmpty();
    }

    private List<String> args(Path data, boolean exitWhenIdle) throws Exception {
        List<String> a = new ArrayList<>(List.of("run", "--stages", PipelineRun.HN_STAGES, "--bootstrap-servers", env.bootstrapServers(), "--db-url",
                env.jdbcUrl(), "--schema-registry-url", ItEnv.schemaRegistryUrl(),
                "--set", "schema.registry.auto.register=true", "--data-dir", data.toString(), "--hn-base-url", hn.baseUrl(), "--hn-from-id",
                Long.toString(HnExpectations.FIRST), "--poll-interval-ms", "300", "--instance-id", "chaos",
                "--set", "fetch.request.timeout.ms=1000", "--set", "fetch.concurrency=8",
                "--set", "fetch.max.poll.records=50", "--set", "watermark.batch.ids=20", "--set", "metrics.port=0",
                "--set", "fetch.retry.max.elapsed.ms=3000", "--set", "stall.backoff.max.ms=2000"));
        if (exitWhenIdle) {
            a.add("--exit-when-idle");
        }
        return a;
    }

    private static long rows() throws Exception {
        return Db.count(env.jdbcUrl(), "SELECT count(*) FROM hn_items");
    }

    /** Waits until the restarted pipeline stores more rows, unless every row is stored already. */
    private static void awaitProgressOrAll(SluiceProcess p) throws Exception {
        long before = rows();
        if (before < 3000) {
            awaitProgressBeyond(before, p);
        }
    }

    private static void awaitProgressBeyond(long before, SluiceProcess p) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (rows() <= before) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no progress after restart; log tail:\n" + p.tail());
            }
            Thread.sleep(100);
        }
    }

    private static void assertStoredExactlyOnce() throws Exception {
        List<Long> ids = Db.longs(env.jdbcUrl(), "SELECT id FROM hn_items ORDER BY id");
        assertThat(ids).hasSize(3000).doesNotHaveDuplicates();
        Map<Long, JsonNode> stored = Db.strings(env.jdbcUrl(), "SELECT raw::text FROM hn_items").stream()
                .map(HnExpectations::parse).collect(Collectors.toMap(n -> n.get("id").asLong(), n -> n));
        assertThat(stored).isEqualTo(HnExpectations.items());
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM sluice_sink_offsets")).isPositive();
    }

    private static void assertTopicExactlyOnce(String topic) {
        List<Long> keys = TopicReader.readAll(env.clientProps(), topic).stream()
                .map(r -> ByteBuffer.wrap(r.key()).getLong()).toList();
        assertThat(keys).as(topic).hasSize(3000).doesNotHaveDuplicates()
                .allMatch(k -> k >= HnExpectations.FIRST && k <= HnExpectations.LAST);
    }
}
