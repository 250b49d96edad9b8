package dev.sluice.topology.it.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.topology.it.HnExpectations;
import dev.sluice.topology.it.SummaryExpectations;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * What the whole pipeline must make of a chaos run's input, computed from the fixture and the corpus
 * alone: the items stored, each thread's summary versions, the comments whose thread cannot be
 * resolved (an ancestor older than the fixture: the API answers null, a permanent failure), and
 * each document's page count.
 */
public final class PipelineExpectations {
    /** Comments a thread needs for its first summary, and further comments for each next one. */
    public static final int THREAD_MIN = 10;
    public static final int THREAD_EVERY = 10;

    private final long firstId;

    public PipelineExpectations(long firstId) {
        this.firstId = firstId;
    }

    /** The fixture items fed, by id. */
    public Map<Long, JsonNode> items() {
        return new TreeMap<>(new TreeMap<>(HnExpectations.items()).tailMap(firstId, true));
    }

    /** Summary versions of each thread that gets at least one: live comments fed, counted per root story. */
    public Map<Long, Integer> threadVersions() {
        Map<Long, Integer> comments = new TreeMap<>();
        for (JsonNode n : items().values()) {
            Long root = isComment(n) && live(n) ? root(n) : null;
            if (root != null) {
                comments.merge(root, 1, Integer::sum);
            }
        }
        Map<Long, Integer> versions = new TreeMap<>();
        comments.forEach((root, count) -> {
            int v = SummaryExpectations.versions(count, THREAD_MIN, THREAD_EVERY);
            if (v > 0) {
                versions.put(root, v);
            }
        });
        return versions;
    }

    /** Comments fed (live or not) whose chain of parents leaves the fixture: dead-lettered by threads-resolve. */
    public Set<Long> unresolvable() {
        Set<Long> out = new TreeSet<>();
        items().values().stream().filter(PipelineExpectations::isComment).filter(n -> root(n) == null)
                .forEach(n -> out.add(n.get("id").asLong()));
        return out;
    }

    /** Page counts of corpus files, by file name. */
    public static Map<String, Integer> pages(Iterable<String> corpusFiles) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String f : corpusFiles) {
            try (PDDocument d = Loader.loadPDF(SharedFixtures.corpus(f).toFile())) {
                out.put(SharedFixtures.corpus(f).getFileName().toString(), d.getNumberOfPages());
            }
        }
        return out;
    }

    /** The root story of a comment by its parents in the fixture; null when an ancestor is not in it. */
    private static Long root(JsonNode comment) {
        JsonNode cur = comment;
        while (cur != null && isComment(cur)) {
            cur = HnExpectations.items().get(cur.path("parent").asLong());
        }
        return cur == null ? null : cur.get("id").asLong();
    }

    private static boolean isComment(JsonNode n) {
        return "comment".equals(n.path("type").asText());
    }

    private static boolean live(JsonNode n) {
        return !n.path("deleted").asBoolean() && !n.path("dead").asBoolean() && n.hasNonNull("text");
    }
}
