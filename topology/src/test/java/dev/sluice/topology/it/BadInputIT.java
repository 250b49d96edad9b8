package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnTopics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.sluice.runtime.RuntimeConfig;
import dev.sluice.runtime.StageMetrics;

/**
 * Bad answers from the API — null forever, truncated JSON forever, 500 for longer than any retry
 * budget, 404, plus random 429s, 5xx and timeouts. An outage stalls its partition until the API
 * recovers and loses nothing; only what repeats identically (null, garbled) or is permanent (404)
 * is dead-lettered, with its reason, and the pipeline goes on.
 */
class BadInputIT {
    private static final long FIRST = HnExpectations.FIRST;
    private static final long LAST = FIRST + 299;
    private static final long NULL_ID = FIRST + 10;
    private static final long MALFORMED_ID = FIRST + 20;
    private static final long ERROR_500_ID = FIRST + 30;
    private static final long NOT_FOUND_ID = FIRST + 40;
    private static final int RETRY_BUDGET_MS = 2000;
    private static final int IDENTICAL_FAILURES = 4;
    private static ItEnv env;
    private static HnReplayServer hn;
    private static volatile boolean stalledBeforeRecovery;

    @BeforeAll
    static void run() throws Exception {
        env = ItEnv.start("badinput");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).failRate(0.1).seed(3).hangMs(1500)
                .nullIds(Set.of(NULL_ID)).malformedIds(Set.of(MALFORMED_ID))
                .errorIds(Map.of(ERROR_500_ID, 500, NOT_FOUND_ID, 404)).start();
        hn.setMaxItem(LAST);
        PipelineRun.on(env, env.dir("data"), hn.baseUrl()).set(HnConfig.FROM_ID_CONFIG, FIRST)
                .set(HnConfig.FETCH_TIMEOUT_MS_CONFIG, 500)
                .set(HnConfig.FETCH_RETRY_ELAPSED_MS_CONFIG, RETRY_BUDGET_MS)
                .set(HnConfig.FETCH_BACKOFF_MAX_MS_CONFIG, 500)
                .set(RuntimeConfig.STALL_BACKOFF_MAX_MS_CONFIG, 2000)
                .set(RuntimeConfig.IDENTICAL_FAILURES_CONFIG, IDENTICAL_FAILURES)
                .runUntilIdle(Duration.ofMinutes(3), BadInputIT::healTheOutageOnceStalled);
    }

    /** The 500s outlast every retry budget: wait until fetch stalls on them, then let the API recover. */
    private static void healTheOutageOnceStalled() {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (StageMetrics.of("fetch").stalledPartitions.get() == 0 && System.nanoTime() < deadline) {
            sleep(100);
        }
        stalledBeforeRecovery = StageMetrics.of("fetch").stalledPartitions.get() > 0;
        sleep(RETRY_BUDGET_MS + 1000); // longer than the in-place retry budget (fetch.retry.max.elapsed.ms)
        hn.heal(ERROR_500_ID);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterAll
    static void stop() {
        hn.close();
        env.close();
    }

    @Test
    void shouldStoreEveryGoodItemDespiteFaults() throws Exception {
        assertThat(hn.faultCount()).isPositive();
        List<Long> ids = Db.longs(env.jdbcUrl(), "SELECT id FROM hn_items ORDER BY id");
        assertThat(ids).hasSize(297).doesNotHaveDuplicates().contains(ERROR_500_ID)
                .doesNotContain(NULL_ID, MALFORMED_ID, NOT_FOUND_ID);
    }

    @Test
    void shouldStallOnAnOutageLongerThanTheRetryBudgetAndStoreTheItemOnceUpstreamRecovers() throws Exception {
        assertThat(stalledBeforeRecovery).as("fetch stalled its partition while the API answered 500").isTrue();
        assertThat(Db.longs(env.jdbcUrl(), "SELECT id FROM hn_items WHERE id = " + ERROR_500_ID)).containsExactly(ERROR_500_ID);
    }

    @Test
    void shouldDeadLetterEachBadItemOnceWithItsReasonAndOrigin() {
        Map<Long, ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(env.clientProps(), HnTopics.dlq(HnTopics.ITEM_IDS))
                .stream().collect(Collectors.toMap(r -> ByteBuffer.wrap(r.key()).getLong(), r -> r));
        assertThat(dead.keySet()).as("an outage is never dead-lettered").containsExactlyInAnyOrder(NULL_ID, MALFORMED_ID, NOT_FOUND_ID);
        assertThat(message(dead.get(NULL_ID))).contains("not visible yet").contains("null");
        assertThat(message(dead.get(MALFORMED_ID))).contains("malformed JSON for item " + MALFORMED_ID);
        assertThat(message(dead.get(NOT_FOUND_ID))).contains("HTTP 404");
        assertThat(header(dead.get(NULL_ID), DeadLetters.CLASS)).isEqualTo("dev.sluice.runtime.RetriesExhaustedException");
        assertThat(header(dead.get(NULL_ID), DeadLetters.RETRIABLE)).isEqualTo("true");
        assertThat(Integer.parseInt(header(dead.get(NULL_ID), DeadLetters.ATTEMPTS))).isGreaterThanOrEqualTo(IDENTICAL_FAILURES);
        assertThat(header(dead.get(NOT_FOUND_ID), DeadLetters.RETRIABLE)).as("404 is permanent").isEqualTo("false");
        for (ConsumerRecord<byte[], byte[]> r : dead.values()) {
            assertThat(header(r, DeadLetters.TOPIC)).isEqualTo(HnTopics.ITEM_IDS);
            assertThat(header(r, DeadLetters.STAGE)).isEqualTo("fetch");
            assertThat(header(r, DeadLetters.PARTITION)).matches("[0-7]");
            assertThat(Long.parseLong(header(r, DeadLetters.OFFSET))).isNotNegative();
            assertThat(header(r, DeadLetters.CLASS)).startsWith("dev.sluice.");
        }
    }

    private static String message(ConsumerRecord<byte[], byte[]> r) {
        return header(r, DeadLetters.MESSAGE);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return DeadLetters.header(r.headers(), key);
    }
}
