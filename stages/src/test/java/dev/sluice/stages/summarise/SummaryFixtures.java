package dev.sluice.stages.summarise;

import dev.sluice.stages.hn.HnFixtures;
import java.util.HashMap;
import java.util.Map;

/** Test data of the summarisers: documents and threads built from the shared Hacker News fixture, and settings. */
public final class SummaryFixtures {
    public static final String PRIMARY = "primary-model";
    public static final String FALLBACK = "fallback-model";

    private SummaryFixtures() {
    }

    /** A long prose document: the text of the fixture's comments from {@code from}, {@code count} of them. */
    public static String document(int count) {
        StringBuilder sb = new StringBuilder();
        HnFixtures.items().values().stream().map(HnFixtures::tree)
                .filter(n -> "comment".equals(n.path("type").asText()) && n.hasNonNull("text"))
                .limit(count).forEach(n -> sb.append(Text.fromHtml(n.get("text").asText())).append('\n'));
        return sb.toString();
    }

    /** A thread's summariser input: title line, then {@code [id] text} lines. */
    public static String thread(String title, Map<Long, String> comments) {
        StringBuilder sb = new StringBuilder("Title: ").append(title).append('\n');
        comments.forEach((id, text) -> sb.append('[').append(id).append("] ").append(text).append('\n'));
        return sb.toString();
    }

    /** Settings of a chain against {@code baseUrl} with fast retries; override with {@code extra} key/value pairs. */
    public static SummariseConfig config(String baseUrl, Object... extra) {
        Map<String, Object> p = new HashMap<>();
        p.put(SummariseConfig.BASE_URL_CONFIG, baseUrl);
        p.put(SummariseConfig.MODEL_CONFIG, PRIMARY);
        p.put(SummariseConfig.TIMEOUT_MS_CONFIG, 2_000L);
        p.put(SummariseConfig.BACKOFF_INITIAL_MS_CONFIG, 10L);
        p.put(SummariseConfig.BACKOFF_MAX_MS_CONFIG, 1_500L);
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return new SummariseConfig(p);
    }
}
