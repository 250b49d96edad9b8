package dev.sluice.topology.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.hn.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/** The fixture items by id, and what the pipeline should make of them. */
public final class HnExpectations {
    public static final long FIRST = 25_576_000L;
    public static final long LAST = 25_578_999L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<Long, JsonNode> items;

    private HnExpectations() {
    }

    public static synchronized Map<Long, JsonNode> items() {
        if (items == null) {
            Map<Long, JsonNode> m = new TreeMap<>();
            try {
                for (String line : Files.readAllLines(SharedFixtures.hnItems())) {
                    JsonNode n = JSON.readTree(line);
                    m.put(n.get("id").asLong(), n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            items = m;
        }
        return items;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live stories with an http(s) url: what the links stage should emit. */
    public static long liveLinkedStories(long from, long to) {
        return items().values().stream().filter(n -> n.get("id").asLong() >= from && n.get("id").asLong() <= to)
                .filter(n -> "story".equals(n.path("type").asText()) && !n.path("deleted").asBoolean()
                        && !n.path("dead").asBoolean() && n.path("url").asText("").matches("(?i)https?://.+"))
                .count();
    }

    public static long flagged(String flag) {
        return items().values().stream().filter(n -> n.path(flag).asBoolean()).count();
    }
}
