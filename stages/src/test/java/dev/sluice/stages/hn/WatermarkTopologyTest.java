package dev.sluice.stages.hn;

import dev.sluice.stage.Names;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.hn.HnMaxItem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkTopologyTest {
    private static final Duration PUNCTUATION = Duration.ofMillis(100);

    @TempDir
    Path stateDir;

    private final WatermarkProgress progress = new WatermarkProgress();
    private TopologyTestDriver driver;
    private TestInputTopic<String, HnMaxItem> maxItem;
    private TestInputTopic<String, byte[]> rawMaxItem;
    private TestOutputTopic<Long, HnItemId> itemIds;
    private TestOutputTopic<byte[], byte[]> dlq;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldEmitFromIdThroughMaxItemOnFirstObservation() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 25_576_000L, HnConfig.BACKFILL_CONFIG, 5L));

        observe(25_576_020L);

        List<KeyValue<Long, HnItemId>> emitted = itemIds.readKeyValuesToList();
        assertThat(emitted).extracting(kv -> kv.key).containsExactlyElementsOf(range(25_576_000L, 25_576_020L));
        assertThat(emitted).allSatisfy(kv -> {
            assertThat(kv.value.getId()).isEqualTo(kv.key);
            assertThat(kv.value.getSource()).isEqualTo("watermark");
        });
    }

    @Test
    void shouldBackfillTheLastIdsBelowMaxItemWithoutFromId() {
        start(Map.of(HnConfig.BACKFILL_CONFIG, 5L));

        observe(1_000L);

        assertThat(emittedIds()).containsExactly(996L, 997L, 998L, 999L, 1_000L);
    }

    @Test
    void shouldNotBackfillBelowIdOne() {
        start(Map.of(HnConfig.BACKFILL_CONFIG, 1_000L));

        observe(3L);

        assertThat(emittedIds()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldEmitOnlyTheNewRangeWhenMaxItemGrows() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 100L));
        observe(110L);
        itemIds.readKeyValuesToList();

        observe(115L);

        assertThat(emittedIds()).containsExactly(111L, 112L, 113L, 114L, 115L);
    }

    @Test
    void shouldEmitNothingForARepeatedOrSmallerMaxItem() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 100L));
        observe(110L);
        itemIds.readKeyValuesToList();

        observe(110L);
        observe(105L);
        driver.advanceWallClockTime(PUNCTUATION);
        observe(99L);

        assertThat(itemIds.isEmpty()).isTrue();
        assertThat(progress.nextId()).isEqualTo(111L);
        assertThat(progress.target()).isEqualTo(110L);
    }

    @Test
    void shouldDrainALargeBacklogInBoundedStepsWithNoGapAndNoRepeat() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 1L, HnConfig.WATERMARK_BATCH_CONFIG, 10));
        List<Long> all = new ArrayList<>();

        observe(95L);
        List<Long> step = emittedIds();
        assertThat(step).containsExactlyElementsOf(range(1L, 10L));
        all.addAll(step);
        assertThat(progress.caughtUpWith(95L)).isFalse();

        for (int punctuation = 0; punctuation < 20; punctuation++) {
            driver.advanceWallClockTime(PUNCTUATION);
            step = emittedIds();
            assertThat(step).as("ids of one step").hasSizeLessThanOrEqualTo(10);
            all.addAll(step);
        }

        assertThat(all).containsExactlyElementsOf(range(1L, 95L));
        assertThat(progress.nextId()).isEqualTo(96L);
        assertThat(progress.caughtUpWith(95L)).isTrue();
    }

    @Test
    void shouldTakeOneBoundedStepPerRecordAndPerPunctuation() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 1L, HnConfig.WATERMARK_BATCH_CONFIG, 10));

        observe(35L);
        assertThat(emittedIds()).containsExactlyElementsOf(range(1L, 10L));
        observe(35L);
        assertThat(emittedIds()).containsExactlyElementsOf(range(11L, 20L));
        driver.advanceWallClockTime(PUNCTUATION);
        assertThat(emittedIds()).containsExactlyElementsOf(range(21L, 30L));
        observe(40L);
        assertThat(emittedIds()).containsExactlyElementsOf(range(31L, 40L));
        driver.advanceWallClockTime(PUNCTUATION);
        assertThat(itemIds.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterGarbageOnTheMaxItemTopicAndKeepWorking() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 100L));
        observe(102L);
        itemIds.readKeyValuesToList();
        byte[] garbage = "{\"maxitem\": 103}".getBytes(UTF_8);

        rawMaxItem.pipeInput(MaxItemPoller.KEY, garbage);
        observe(104L);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).containsExactly(MaxItemPoller.KEY.getBytes(UTF_8));
        assertThat(dead.value()).containsExactly(garbage);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.TOPIC)).isEqualTo(HnTopics.MAXITEM);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("1");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo(WatermarkTopology.NAME);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.MESSAGE)).contains("cannot decode");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(emittedIds()).containsExactly(103L, 104L);
    }

    @Test
    void shouldDeadLetterAnEmptyMaxItemRecord() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 100L));

        rawMaxItem.pipeInput(MaxItemPoller.KEY, (byte[]) null);
        observe(100L);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.MESSAGE)).contains("empty maxitem record");
        assertThat(emittedIds()).containsExactly(100L);
    }

    @Test
    void shouldKeepNextIdAndTargetInTheStore() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 1L, HnConfig.WATERMARK_BATCH_CONFIG, 10));

        observe(25L);

        KeyValueStore<String, Long> store = driver.getKeyValueStore(WatermarkTopology.STORE);
        assertThat(store.get(WatermarkProcessor.NEXT)).isEqualTo(11L);
        assertThat(store.get(WatermarkProcessor.TARGET)).isEqualTo(25L);
    }

    @Test
    void shouldContinueFromTheStoredWatermarkInsteadOfFromIdOnTheNextObservation() {
        // Not a process restart (the test driver keeps the store only while open): the stored
        // next/target, as a restart would restore them from the changelog, decide where ids resume.
        start(Map.of(HnConfig.FROM_ID_CONFIG, 1L));
        observe(5L);
        itemIds.readKeyValuesToList();
        KeyValueStore<String, Long> store = driver.getKeyValueStore(WatermarkTopology.STORE);
        store.put(WatermarkProcessor.NEXT, 500L);
        store.put(WatermarkProcessor.TARGET, 499L);

        observe(503L);

        assertThat(emittedIds()).containsExactly(500L, 501L, 502L, 503L);
        assertThat(store.get(WatermarkProcessor.NEXT)).isEqualTo(504L);
        assertThat(store.get(WatermarkProcessor.TARGET)).isEqualTo(503L);
    }

    @Test
    void shouldDrainAStoredBacklogOnPunctuationWithoutANewObservation() {
        start(Map.of(HnConfig.FROM_ID_CONFIG, 1L));
        observe(5L);
        itemIds.readKeyValuesToList();
        KeyValueStore<String, Long> store = driver.getKeyValueStore(WatermarkTopology.STORE);
        store.put(WatermarkProcessor.TARGET, 8L);

        driver.advanceWallClockTime(PUNCTUATION);

        assertThat(emittedIds()).containsExactly(6L, 7L, 8L);
    }

    private void start(Map<String, Object> hnProps) {
        Map<String, Object> props = new HashMap<>(hnProps);
        driver = new TopologyTestDriver(WatermarkTopology.build(new HnConfig(props), progress, Names.DEFAULT), streamsProps());
        AvroSerde<HnMaxItem> maxItemSerde = new AvroSerde<>(HnMaxItem.class);
        maxItem = driver.createInputTopic(HnTopics.MAXITEM, new StringSerializer(), maxItemSerde.serializer());
        rawMaxItem = driver.createInputTopic(HnTopics.MAXITEM, new StringSerializer(), new ByteArraySerializer());
        itemIds = driver.createOutputTopic(HnTopics.ITEM_IDS, new LongDeserializer(),
                new AvroSerde<>(HnItemId.class).deserializer());
        dlq = driver.createOutputTopic(HnTopics.dlq(HnTopics.MAXITEM), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void observe(long max) {
        maxItem.pipeInput(MaxItemPoller.KEY, new HnMaxItem(max, Instant.parse("2021-01-01T00:00:00Z")));
    }

    private List<Long> emittedIds() {
        return itemIds.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private Properties streamsProps() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "watermark-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }
}
