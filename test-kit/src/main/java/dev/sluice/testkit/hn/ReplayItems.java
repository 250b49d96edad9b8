package dev.sluice.testkit.hn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recorded items an {@link HnReplayServer} serves, id to JSON line (verbatim), and the maxitem
 * it currently reveals (the largest loaded id unless set).
 */
final class ReplayItems {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<Long, String> byId;
    private final AtomicLong maxItem;

    private ReplayItems(Map<Long, String> byId) {
        this.byId = byId;
        this.maxItem = new AtomicLong(byId.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    /** Reads the JSONL files into id -> line (verbatim, terminator dropped); later files win. */
    static ReplayItems load(List<Path> files) throws IOException {
        Map<Long, String> byId = new HashMap<>();
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNo++;
                    if (!line.isBlank()) {
                        byId.put(idOf(line, file, lineNo), line);
                    }
                }
            }
        }
        return new ReplayItems(Collections.unmodifiableMap(byId));
    }

    int size() {
        return byId.size();
    }

    long maxItem() {
        return maxItem.get();
    }

    void setMaxItem(long id) {
        maxItem.set(id);
    }

    /** The item's line; {@code null} for an unknown id or one above the maxitem. */
    String body(long id) {
        return id <= maxItem.get() ? byId.getOrDefault(id, "null") : "null";
    }

    /** The first half of the item's line (or of a stub story): a garbled answer. */
    String truncated(long id) {
        String full = byId.getOrDefault(id, "{\"id\":" + id + ",\"type\":\"story\"}");
        return full.substring(0, full.length() / 2);
    }

    private static long idOf(String line, Path file, int lineNo) throws IOException {
        JsonNode id;
        try {
            id = MAPPER.readTree(line).get("id");
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + lineNo + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (id == null || !id.canConvertToLong()) {
            throw new IOException(file + ":" + lineNo + ": item has no numeric \"id\"");
        }
        return id.longValue();
    }
}
