package dev.sluice.topology.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.stage.Names;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.it.Db;
import dev.sluice.topology.it.HnExpectations;
import dev.sluice.topology.it.TopicReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Hacker News invariants of a chaos run, checked once every instance has stopped: every id
 * stored exactly once with the API's fields, each id and item written to Kafka once, the watermark
 * gap-free, and dead letters only where the failure is permanent ({@link DocumentInvariants} and
 * {@link SummaryInvariants} check the other paths).
 */
public final class HnInvariants {
    private final String jdbcUrl;
    private final Supplier<Map<String, Object>> clientProps;
    private final PipelineExpectations expected;

    public HnInvariants(String jdbcUrl, Supplier<Map<String, Object>> clientProps, PipelineExpectations expected) {
        this.jdbcUrl = jdbcUrl;
        this.clientProps = clientProps;
        this.expected = expected;
    }

    /** Items stored so far (for the wait until the run converges). */
    public long storedItems() throws Exception {
        return Db.count(jdbcUrl, "SELECT count(*) FROM hn_items");
    }

    /** Every id fed stored exactly once, nothing else, each row's raw item equal to the fixture's. */
    public void assertItemsStoredOnceIntact() throws Exception {
        Map<Long, JsonNode> want = expected.items();
        List<Long> ids = Db.longs(jdbcUrl, "SELECT id FROM hn_items ORDER BY id");
        assertThat(ids).as("hn_items ids").doesNotHaveDuplicates().containsExactlyElementsOf(want.keySet());
        Map<Long, JsonNode> stored = Db.strings(jdbcUrl, "SELECT raw::text FROM hn_items").stream()
                .map(HnExpectations::parse).collect(Collectors.toMap(n -> n.get("id").asLong(), n -> n, (a, b) -> a, TreeMap::new));
        assertThat(stored).as("stored items equal the API's").isEqualTo(want);
    }

    /** The watermark emitted each id from the first to the last once, in no gap; fetch wrote each item once. */
    public void assertWatermarkGapFreeAndTopicsOnce() {
        List<Long> range = LongStream.rangeClosed(expected.items().keySet().iterator().next(), HnExpectations.LAST).boxed().toList();
        assertThat(keys(HnTopics.ITEM_IDS)).as("watermark: item ids, sorted").isEqualTo(range);
        assertThat(keys(HnTopics.ITEMS)).as("fetched items, sorted").isEqualTo(range);
    }

    /**
     * Dead letters only for permanent failures: the comments whose ancestors the API does not have,
     * dead-lettered by threads-resolve, and nothing in any other dead-letter topic.
     */
    public void assertOnlyPermanentDeadLetters() {
        String itemsDlq = Names.DEFAULT.dlq(HnTopics.ITEMS);
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(clientProps.get(), itemsDlq);
        assertThat(dead).as("%s: stage of each dead letter", itemsDlq)
                .allSatisfy(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.STAGE)).isEqualTo("threads-resolve"))
                .allSatisfy(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.MESSAGE)).contains("the API answered null"));
        assertThat(dead.stream().map(r -> ByteBuffer.wrap(r.key()).getLong()).sorted().toList())
                .as("%s: the comments with an ancestor older than the fixture, each once", itemsDlq)
                .isEqualTo(List.copyOf(expected.unresolvable()));
        Set<String> others = StageCatalog.topics().stream().filter(Names::isDlq).filter(t -> !t.equals(itemsDlq))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        Map<String, List<String>> nonEmpty = new TreeMap<>();
        for (String t : others) {
            List<String> reasons = TopicReader.readAll(clientProps.get(), t).stream()
                    .map(r -> DeadLetters.header(r.headers(), DeadLetters.STAGE) + ": "
                            + DeadLetters.header(r.headers(), DeadLetters.MESSAGE)).toList();
            if (!reasons.isEmpty()) {
                nonEmpty.put(t, reasons);
            }
        }
        assertThat(nonEmpty).as("dead letters of a run whose every failure may clear").isEmpty();
    }

    private List<Long> keys(String topic) {
        return TopicReader.readAll(clientProps.get(), topic).stream().map(r -> ByteBuffer.wrap(r.key()).getLong())
                .sorted().toList();
    }
}
