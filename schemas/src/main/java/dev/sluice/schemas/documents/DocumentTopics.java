package dev.sluice.schemas.documents;

import java.util.List;

/**
 * The documents path's topics, one per capability; each stage's dead-letter topic is its input +
 * ".dlq". Here (beside the records) so producers in {@code ingest/} and the stages share them.
 */
public final class DocumentTopics {
    /** Pushed documents ({@link DocumentRef}), keyed by doc id. */
    public static final String DOCUMENTS = "sluice.documents";
    /** One {@link PageTask} per page, keyed by {@code <doc id>:<page>} so pages spread over partitions. */
    public static final String PAGES = "sluice.documents.pages";
    /** Read pages ({@link PageResult}), keyed by doc id; failed pages are merged in by the assembler. */
    public static final String PAGE_RESULTS = "sluice.documents.page-results";
    /** Whole documents ({@link AssembledDocument}), keyed by doc id, each submission once. */
    public static final String ASSEMBLED = "sluice.documents.assembled";

    /**
     * Largest record that carries a whole document (assembled documents, document text) or thread:
     * the topics' {@code max.message.bytes} and their producers' {@code max.request.size}.
     */
    public static final int MAX_DOCUMENT_RECORD_BYTES = 64 << 20;

    private DocumentTopics() {
    }

    public static String dlq(String topic) {
        return topic + ".dlq";
    }

    /** The key of a page task. */
    public static String pageKey(String docId, int page) {
        return docId + ":" + page;
    }

    /** All topics of the path, dead-letter topics included. */
    public static List<String> all() {
        return List.of(DOCUMENTS, PAGES, PAGE_RESULTS, ASSEMBLED, dlq(DOCUMENTS), dlq(PAGES), dlq(PAGE_RESULTS),
                dlq(ASSEMBLED));
    }
}
