package dev.sluice.stages.hn;

import static dev.sluice.stages.hn.HnFixtures.firstId;
import static dev.sluice.stages.hn.HnFixtures.idRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.runtime.ErrorClassifier;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageRecord;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ItemFetchStageTest {
    private static final long NULL_ID = HnFixtures.FIRST_ID + 1;
    private static final long MALFORMED_ID = HnFixtures.FIRST_ID + 2;
    private static final long NOT_FOUND_ID = HnFixtures.FIRST_ID + 3;
    private static final long SERVER_ERROR_ID = HnFixtures.FIRST_ID + 4;
    private static final long TOO_MANY_ID = HnFixtures.FIRST_ID + 5;

    private static HnReplayServer server;

    private final List<ItemFetchStage> stages = new ArrayList<>();
    private final List<HnItem> emitted = new ArrayList<>();
    private final List<Long> emittedKeys = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = HnReplayServer.builder()
                .items(HnFixtures.itemsFile())
                .nullIds(Set.of(NULL_ID))
                .malformedIds(Set.of(MALFORMED_ID))
                .errorIds(Map.of(NOT_FOUND_ID, 404, SERVER_ERROR_ID, 500, TOO_MANY_ID, 429))
                .start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeStages() {
        stages.forEach(ItemFetchStage::close);
    }

    @Test
    void shouldEmitAFetchedItemWithItsFields() throws Exception {
        long id = HnFixtures.STORY_WITH_TREE;

        fetch(stage(server), idRecord(id));

        assertThat(emittedKeys).containsExactly(id);
        HnItem item = emitted.get(0);
        assertThat(HnItem.newBuilder(item).setFetchedAt(HnFixtures.FETCHED_AT).build()).isEqualTo(HnFixtures.parsedItem(id));
        assertThat(item.getTitle()).isEqualTo("Learn 3D Computer Graphics Programming from Scratch");
        assertThat(item.getKids()).hasSize(9);
        assertThat(item.getRawJson()).isEqualTo(HnFixtures.item(id));
        assertThat(item.getFetchedAt()).isNotNull();
    }

    @Test
    void shouldTakeTheIdFromTheKeyWhenTheValueIsNull() throws Exception {
        long id = HnFixtures.FIRST_ID;

        fetch(stage(server), new StageRecord<Long, HnItemId>(HnTopics.ITEM_IDS, 0, 0L, 0L, id, null, new RecordHeaders()));

        assertThat(emittedKeys).containsExactly(id);
        assertThat(emitted.get(0).getType()).isEqualTo("comment");
    }

    @Test
    void shouldEmitADeletedItemWithItsDeletedFlag() throws Exception {
        long deleted = firstId(n -> n.path("deleted").asBoolean() && !n.path("dead").asBoolean());

        fetch(stage(server), idRecord(deleted));

        assertThat(emittedKeys).containsExactly(deleted);
        assertThat(emitted.get(0).getDeleted()).isTrue();
        assertThat(emitted.get(0).getDead()).isFalse();
        assertThat(emitted.get(0).getRawJson()).isEqualTo(HnFixtures.item(deleted));
    }

    @Test
    void shouldEmitADeadItemWithItsDeadFlag() throws Exception {
        long dead = firstId(n -> n.path("dead").asBoolean() && !n.path("deleted").asBoolean());

        fetch(stage(server), idRecord(dead));

        assertThat(emittedKeys).containsExactly(dead);
        assertThat(emitted.get(0).getDead()).isTrue();
        assertThat(emitted.get(0).getDeleted()).isFalse();
        assertThat(emitted.get(0).getText()).isEqualTo(HnFixtures.itemNode(dead).path("text").textValue());
    }

    @Test
    void shouldRetryAnItemTheApiAnswersNullFor() {
        ItemFetchStage stage = stage(server);

        assertThatThrownBy(() -> fetch(stage, idRecord(NULL_ID)))
                .isInstanceOf(RetriableStageException.class)
                .hasMessageContaining("null")
                .hasMessageContaining(Long.toString(NULL_ID));
        assertThat(emitted).isEmpty();
    }

    @Test
    void shouldRetryAnIdAboveMaxItem() {
        ItemFetchStage stage = stage(server);

        assertThatThrownBy(() -> fetch(stage, idRecord(HnFixtures.LAST_ID + 1)))
                .isInstanceOf(RetriableStageException.class)
                .hasMessageContaining("null");
    }

    @Test
    void shouldFailRetriablyOnMalformedJsonSoThatAGarbledAnswerIsFetchedAgain() {
        ItemFetchStage stage = stage(server);

        assertThatThrownBy(() -> fetch(stage, idRecord(MALFORMED_ID)))
                .isInstanceOf(dev.sluice.stage.RetriableStageException.class)
                .hasMessageContaining("malformed")
                .hasMessageContaining(Long.toString(MALFORMED_ID));
        assertThat(emitted).isEmpty();
    }

    @Test
    void shouldFailPermanentlyOnNotFound() {
        ItemFetchStage stage = stage(server);

        assertThatThrownBy(() -> fetch(stage, idRecord(NOT_FOUND_ID)))
                .isInstanceOf(PermanentStageException.class)
                .hasMessageContaining("404");
    }

    @Test
    void shouldRetryAServerError() {
        ItemFetchStage stage = stage(server);

        assertThatThrownBy(() -> fetch(stage, idRecord(SERVER_ERROR_ID)))
                .isInstanceOfSatisfying(RetriableStageException.class,
                        e -> assertThat(e.retryAfter()).isEmpty())
                .hasMessageContaining("500");
    }

    @Test
    void shouldRetryTooManyRequestsAfterTheRetryAfterTheServerAsksFor() {
        ItemFetchStage stage = stage(server);

        assertThatThrownBy(() -> fetch(stage, idRecord(TOO_MANY_ID)))
                .isInstanceOfSatisfying(RetriableStageException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)))
                .hasMessageContaining("429");
    }

    @Test
    void shouldRetryARequestThatTakesLongerThanTheRequestTimeout() throws Exception {
        try (HnReplayServer slow = HnReplayServer.builder().items(HnFixtures.itemsFile()).latencyMs(5_000).start()) {
            ItemFetchStage stage = stage(slow, Map.of(HnConfig.FETCH_TIMEOUT_MS_CONFIG, 200L));

            assertThatThrownBy(() -> fetch(stage, idRecord(HnFixtures.STORY_WITH_TREE)))
                    .isInstanceOf(RetriableStageException.class)
                    .hasCauseInstanceOf(HttpTimeoutException.class)
                    .satisfies(e -> assertThat(ErrorClassifier.isRetriable(e)).isTrue());
        }
        assertThat(emitted).isEmpty();
    }

    @Test
    void shouldRefuseRequestsWithoutCallingTheApiOnceTheBreakerIsOpen() throws Exception {
        ItemFetchStage stage = stage(server, Map.of(HnConfig.BREAKER_THRESHOLD_CONFIG, 2,
                HnConfig.BREAKER_OPEN_MS_CONFIG, 600_000L));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> fetch(stage, idRecord(SERVER_ERROR_ID))).isInstanceOf(RetriableStageException.class);
        }
        long requestsBefore = server.requestCount();

        assertThatThrownBy(() -> fetch(stage, idRecord(HnFixtures.STORY_WITH_TREE)))
                .isInstanceOfSatisfying(RetriableStageException.class,
                        e -> assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive()))
                .hasMessageContaining("circuit open");
        assertThat(server.requestCount()).isEqualTo(requestsBefore);
    }

    @Test
    void shouldLetAnotherTrialThroughWhenTheTrialRequestWasInterrupted() throws Exception {
        AtomicLong nanos = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(1), nanos::get);
        HnApiClient api = new HnApiClient(server.baseUrl(), Duration.ofSeconds(5), Duration.ofSeconds(5), breaker);
        assertThatThrownBy(() -> api.item(SERVER_ERROR_ID)).isInstanceOf(RetriableStageException.class);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> api.item(HnFixtures.FIRST_ID)).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());

        assertThat(api.item(HnFixtures.FIRST_ID)).isEqualTo(HnFixtures.item(HnFixtures.FIRST_ID));
    }

    @Test
    void shouldParseRetryAfterGivenInSeconds() {
        assertThat(HnApiClient.parseRetryAfter("1")).contains(Duration.ofSeconds(1));
        assertThat(HnApiClient.parseRetryAfter(" 120 ")).contains(Duration.ofSeconds(120));
        assertThat(HnApiClient.parseRetryAfter("-5")).contains(Duration.ZERO);
    }

    @Test
    void shouldParseRetryAfterGivenAsAnHttpDate() {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));

        Optional<Duration> d = HnApiClient.parseRetryAfter(inTwoMinutes);

        // the date has whole seconds, and some time passes between formatting and parsing
        assertThat(d).hasValueSatisfying(v -> assertThat(v).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120)));
    }

    @Test
    void shouldParseAnHttpDateInThePastAsNoWait() {
        assertThat(HnApiClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    }

    @Test
    void shouldIgnoreAnUnreadableRetryAfter() {
        assertThat(HnApiClient.parseRetryAfter("soon")).isEmpty();
        assertThat(HnApiClient.parseRetryAfter("")).isEmpty();
    }

    private ItemFetchStage stage(HnReplayServer target) {
        return stage(target, Map.of());
    }

    private ItemFetchStage stage(HnReplayServer target, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(overrides);
        props.put(HnConfig.BASE_URL_CONFIG, target.baseUrl());
        HnConfig config = new HnConfig(props);
        ItemFetchStage stage = new ItemFetchStage();
        stage.init(new StageContext(ItemFetchStage.NAME, "test", Map.copyOf(config.originals())));
        stages.add(stage);
        return stage;
    }

    private void fetch(ItemFetchStage stage, StageRecord<Long, HnItemId> record) throws Exception {
        stage.process(record, (k, v) -> {
            emittedKeys.add(k);
            emitted.add(v);
        });
    }
}
