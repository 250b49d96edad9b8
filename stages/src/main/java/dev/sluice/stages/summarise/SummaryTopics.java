package dev.sluice.stages.summarise;

import java.util.List;

/** Topics of the summaries path; dead-letter topics are the input + ".dlq". */
public final class SummaryTopics {
    /** Comments (and stories) resolved to their root story, keyed by root story id. */
    public static final String THREAD_COMMENTS = "sluice.hn.thread-comments";
    /** Threads due for a (new version of their) summary, keyed by root story id. */
    public static final String THREAD_SNAPSHOTS = "sluice.hn.thread-snapshots";
    /** Documents' text to summarise, keyed by doc id (until the documents path feeds the stage directly). */
    public static final String DOCUMENT_TEXT = "sluice.documents.text";
    /** Every summary, keyed "kind:id:version". */
    public static final String SUMMARIES = "sluice.summaries";

    private SummaryTopics() {
    }

    public static List<String> all() {
        return List.of(THREAD_COMMENTS, THREAD_SNAPSHOTS, DOCUMENT_TEXT, SUMMARIES,
                THREAD_COMMENTS + ".dlq", THREAD_SNAPSHOTS + ".dlq", DOCUMENT_TEXT + ".dlq", SUMMARIES + ".dlq");
    }
}
