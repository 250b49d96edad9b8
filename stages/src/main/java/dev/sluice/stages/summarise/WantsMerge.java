package dev.sluice.stages.summarise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The reduce step of a map-reduced thread: the chunks' wants in one list, equal wants merged with their ids. */
final class WantsMerge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WantsMerge() {
    }

    /** Merges validated {@code {"wants": [...]}} answers; a want of the same kind and text keeps all its ids. */
    static String merge(List<String> partials) {
        Map<String, ObjectNode> byKey = new LinkedHashMap<>();
        for (String p : partials) {
            for (JsonNode w : read(p).path("wants")) {
                String key = w.path("kind").asText() + "|" + w.path("text").asText().toLowerCase(Locale.ROOT).trim();
                ObjectNode merged = byKey.get(key);
                if (merged == null) {
                    byKey.put(key, (ObjectNode) w.deepCopy());
                    continue;
                }
                ArrayNode ids = (ArrayNode) merged.get("comment_ids");
                java.util.Set<Long> seen = new java.util.HashSet<>();
                ids.forEach(id -> seen.add(id.asLong()));
                w.path("comment_ids").forEach(id -> {
                    if (seen.add(id.asLong())) {
                        ids.add(id);
                    }
                });
            }
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode wants = root.putArray("wants");
        byKey.values().stream().sorted((a, b) -> Integer.compare(b.get("comment_ids").size(), a.get("comment_ids").size()))
                .forEach(wants::add);
        return root.toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
