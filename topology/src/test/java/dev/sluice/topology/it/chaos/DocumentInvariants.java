package dev.sluice.topology.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.topology.it.Db;
import dev.sluice.topology.it.HnExpectations;
import dev.sluice.topology.it.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The documents invariants of a chaos run: every pushed document stored once, complete, with every
 * page once and in order, none failed; each page result and each assembled document on Kafka once.
 */
public final class DocumentInvariants {
    private final String jdbcUrl;
    private final Supplier<Map<String, Object>> clientProps;
    private final Map<String, Integer> pages;

    /** {@code pages}: page count by file name of every document pushed. */
    public DocumentInvariants(String jdbcUrl, Supplier<Map<String, Object>> clientProps, Map<String, Integer> pages) {
        this.jdbcUrl = jdbcUrl;
        this.clientProps = clientProps;
        this.pages = pages;
    }

    /** Complete documents stored so far (for the wait until the run converges). */
    public long storedComplete() throws Exception {
        return Db.count(jdbcUrl, "SELECT count(*) FROM documents WHERE doc->>'status' = 'COMPLETE'");
    }

    public int expected() {
        return pages.size();
    }

    public void assertStoredOnceWithEveryPage() throws Exception {
        Map<String, JsonNode> stored = new TreeMap<>();
        for (String s : Db.strings(jdbcUrl, "SELECT doc::text FROM documents")) {
            JsonNode d = HnExpectations.parse(s);
            assertThat(stored.put(d.get("filename").asText(), d)).as("one row per file").isNull();
        }
        assertThat(stored.keySet()).as("stored documents").containsExactlyInAnyOrderElementsOf(pages.keySet());
        pages.forEach((file, n) -> {
            JsonNode d = stored.get(file);
            List<Integer> numbers = new ArrayList<>();
            List<String> methods = new ArrayList<>();
            d.get("pages").forEach(p -> {
                numbers.add(p.get("page").asInt());
                methods.add(p.get("method").asText());
            });
            assertThat(numbers).as("%s: every page once, in order", file).isEqualTo(IntStream.rangeClosed(1, n).boxed().toList());
            assertThat(methods).as("%s: page methods", file).doesNotContain("FAILED");
            assertThat(d.get("status").asText()).as("%s: status", file).isEqualTo("COMPLETE");
        });
    }

    public void assertPagesAndDocumentsOnKafkaOnce() {
        AvroSerde<PageResult> serde = new AvroSerde<>(PageResult.class);
        List<String> results = TopicReader.readAll(clientProps.get(), DocumentTopics.PAGE_RESULTS).stream()
                .map(r -> serde.deserializer().deserialize("t", r.value()))
                .map(r -> r.getTask().getDoc().getDocId() + ":" + r.getTask().getPageNumber()).toList();
        int total = pages.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(results).as("page results: each page exactly once").hasSize(total).doesNotHaveDuplicates();
        List<String> assembled = TopicReader.readAll(clientProps.get(), DocumentTopics.ASSEMBLED).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        assertThat(assembled).as("assembled: each document exactly once").hasSize(pages.size()).doesNotHaveDuplicates();
    }
}
