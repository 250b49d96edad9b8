package dev.sluice.stages.hn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.StageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Test data of the Hacker News stages: the shared fixture items (located by the ingest module's
 * {@link SharedFixtures}) and builders of synthetic items and records.
 */
public final class HnFixtures {
    /** The fixture window: 3,000 consecutive real items. */
    public static final long FIRST_ID = 25_576_000L;
    public static final long LAST_ID = 25_578_999L;
    /** A live story with a url whose whole comment tree is inside the window. */
    public static final long STORY_WITH_TREE = 25_576_462L;
    /** The fetch time given to items parsed by {@link #parsedItem}. */
    public static final Instant FETCHED_AT = Instant.parse("2021-01-09T12:00:00Z");

    private static final String HN = "fixtures/hn";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HnFixtures() {
    }

    /** The shared directory (holding {@code fixtures/hn}); fails naming every place it looked. */
    public static Path sharedDir() {
        return SharedFixtures.dir();
    }

    /** The 3,000 real items {@value #FIRST_ID}..{@value #LAST_ID}, one API item a line. */
    public static Path itemsFile() {
        return file("items-25576000-25578999.jsonl");
    }

    /** The six examples of the API documentation (story, comment, Ask HN, job, poll, pollopt). */
    public static Path apiDocExamplesFile() {
        return file("api-doc-examples.jsonl");
    }

    /** Every fixture item's JSON line, verbatim, in file order, by id. */
    public static Map<Long, String> items() {
        return Items.BY_ID;
    }

    /** The JSON line of fixture item {@code id}, verbatim as the API served it. */
    public static String item(long id) {
        String line = Items.BY_ID.get(id);
        if (line == null) {
            throw new IllegalArgumentException("item " + id + " is not in the fixture window " + FIRST_ID + ".." + LAST_ID);
        }
        return line;
    }

    /** Fixture item {@code id} as a JSON tree. */
    public static JsonNode itemNode(long id) {
        return tree(item(id));
    }

    /** Fixture item {@code id} as {@link HnItemParser} makes it, fetched at {@link #FETCHED_AT}. */
    public static HnItem parsedItem(long id) {
        return parse(id, item(id));
    }

    /** The smallest fixture id whose item matches {@code p}; fails when none does. */
    public static long firstId(Predicate<JsonNode> p) {
        return Items.BY_ID.entrySet().stream().filter(e -> p.test(tree(e.getValue()))).mapToLong(Map.Entry::getKey)
                .min().orElseThrow(() -> new IllegalStateException("no fixture item matches"));
    }

    /** The lines of {@code file}, blank lines skipped. */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    /** A synthetic item with only its id set; add fields with the builder's methods. */
    public static ItemJson itemJson(long id) {
        return new ItemJson(id);
    }

    /** A synthetic live story (no url yet). */
    public static ItemJson story(long id) {
        return itemJson(id).type("story").by("tester").time(1_609_285_221L).title("Story " + id).score(1);
    }

    /** A synthetic live comment on {@code parent}. */
    public static ItemJson comment(long id, long parent) {
        return itemJson(id).type("comment").by("tester").time(1_609_285_221L).parent(parent).text("Comment " + id);
    }

    /** An input record of the fetch stage: key and value both carry {@code id}. */
    public static StageRecord<Long, HnItemId> idRecord(long id) {
        return new StageRecord<>(HnTopics.ITEM_IDS, 0, id, 0L, id, new HnItemId(id, "watermark"), new RecordHeaders());
    }

    static HnItem parse(long id, String json) {
        try {
            return HnItemParser.parse(id, json, FETCHED_AT);
        } catch (PermanentStageException | dev.sluice.stage.RetriableStageException e) {
            throw new IllegalArgumentException("fixture item " + id + " does not parse", e);
        }
    }

    private static Path file(String name) {
        Path file = sharedDir().resolve(HN).resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("shared fixture " + file + " is missing");
        }
        return file;
    }

    /** Loaded once, on first use. */
    private static final class Items {
        static final Map<Long, String> BY_ID = load();

        private static Map<Long, String> load() {
            Map<Long, String> byId = new LinkedHashMap<>();
            for (String line : lines(itemsFile())) {
                byId.put(tree(line).get("id").asLong(), line);
            }
            return Collections.unmodifiableMap(byId);
        }
    }

    /** Builds the JSON of a synthetic item in the API's shape (absent fields absent). */
    public static final class ItemJson {
        private final ObjectNode node = JSON.createObjectNode();
        private final long id;

        private ItemJson(long id) {
            this.id = id;
            node.put("id", id);
        }

        public ItemJson type(String type) { node.put("type", type); return this; }
        public ItemJson by(String by) { node.put("by", by); return this; }
        public ItemJson time(long unixSeconds) { node.put("time", unixSeconds); return this; }
        public ItemJson text(String html) { node.put("text", html); return this; }
        public ItemJson url(String url) { node.put("url", url); return this; }
        public ItemJson title(String title) { node.put("title", title); return this; }
        public ItemJson score(int score) { node.put("score", score); return this; }
        public ItemJson parent(long parent) { node.put("parent", parent); return this; }
        public ItemJson poll(long poll) { node.put("poll", poll); return this; }
        public ItemJson descendants(int n) { node.put("descendants", n); return this; }
        public ItemJson dead() { node.put("dead", true); return this; }
        public ItemJson deleted() { node.put("deleted", true); return this; }

        public ItemJson kids(long... ids) {
            ArrayNode a = node.putArray("kids");
            for (long k : ids) {
                a.add(k);
            }
            return this;
        }

        /** Drops a field, e.g. to make an item without {@code url}. */
        public ItemJson without(String field) { node.remove(field); return this; }

        /** The compact JSON, as the API serves it. */
        public String json() {
            return node.toString();
        }

        /** The item as {@link HnItemParser} makes it, fetched at {@link #FETCHED_AT}. */
        public HnItem parsed() {
            return parse(id, json());
        }

        @Override
        public String toString() {
            return json();
        }
    }
}
