package dev.sluice.stages.hn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Parses the API's item JSON into {@link HnItem}, keeping the body verbatim in {@code raw_json}. */
public final class HnItemParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HnItemParser() {
    }

    /**
     * @throws RetriableStageException when the body is not JSON (garbled or cut off: may be whole next time)
     * @throws PermanentStageException when the body is JSON but not an object for {@code expectedId}
     */
    public static HnItem parse(long expectedId, String body, Instant fetchedAt)
            throws PermanentStageException, RetriableStageException {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // a garbled or cut-off answer may be whole next time: retriable (dead-lettered only when it
            // repeats identically), the parse error kept as text, not as a cause that would mark it permanent
            throw new RetriableStageException("malformed JSON for item " + expectedId + ": "
                    + e.getOriginalMessage() + " (" + body.length() + " bytes)");
        }
        if (n == null || !n.isObject() || !n.path("id").canConvertToLong()) {
            throw new PermanentStageException("item " + expectedId + " is not a JSON object with an id: "
                    + HnApiClient.abbreviate(body));
        }
        if (n.get("id").asLong() != expectedId) {
            throw new PermanentStageException("asked for item " + expectedId + " but got item " + n.get("id").asLong());
        }
        return HnItem.newBuilder()
                .setId(expectedId)
                .setDeleted(n.path("deleted").asBoolean(false))
                .setDead(n.path("dead").asBoolean(false))
                .setType(text(n, "type"))
                .setBy(text(n, "by"))
                .setTime(n.hasNonNull("time") ? n.get("time").asLong() : null)
                .setText(text(n, "text"))
                .setParent(n.hasNonNull("parent") ? n.get("parent").asLong() : null)
                .setPoll(n.hasNonNull("poll") ? n.get("poll").asLong() : null)
                .setKids(ids(n, "kids"))
                .setUrl(text(n, "url"))
                .setScore(n.hasNonNull("score") ? n.get("score").asInt() : null)
                .setTitle(text(n, "title"))
                .setParts(ids(n, "parts"))
                .setDescendants(n.hasNonNull("descendants") ? n.get("descendants").asInt() : null)
                .setFetchedAt(fetchedAt)
                .setRawJson(body)
                .build();
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static List<Long> ids(JsonNode n, String field) {
        if (!n.path(field).isArray()) {
            return null;
        }
        List<Long> out = new ArrayList<>(n.get(field).size());
        n.get(field).forEach(k -> out.add(k.asLong()));
        return out;
    }
}
