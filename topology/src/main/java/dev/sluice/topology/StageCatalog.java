package dev.sluice.topology;

import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.sinks.postgres.DocumentsWriter;
import dev.sluice.sinks.postgres.HnItemsWriter;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.documents.PagesStage;
import dev.sluice.stages.documents.PdfLinkStage;
import dev.sluice.stages.documents.SplitStage;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.hn.ItemFetchStage;
import dev.sluice.stages.hn.LinkStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every stage the pipeline knows, in data-flow order: adding a stage is one line here. A
 * {@code StageDefinition} becomes a Kafka Streams app when its concurrency is 1 and a transactional
 * loop otherwise ({@link Runners#of}); sinks and the watermark have runners of their own. Every
 * stage consumes as group {@code sluice-<name>} and dead-letters to {@code <input>.dlq}.
 */
public final class StageCatalog {

    /** A stage's name, input topic and factory. */
    public record Entry(String name, String inputTopic, Function<StageContext, RunningStage> factory) {
        public String groupId() {
            return "sluice-" + name;
        }

        public String deadLetterTopic() {
            return HnTopics.dlq(inputTopic);
        }
    }

    private static final Map<String, Entry> STAGES = new LinkedHashMap<>();

    static {
        add(WatermarkStage.NAME, HnTopics.MAXITEM, WatermarkStage::new);
        add(ItemFetchStage.NAME, HnTopics.ITEM_IDS, c -> Runners.of(ItemFetchStage.definition(c.hn()), c));
        add(LinkStage.NAME, HnTopics.ITEMS, c -> Runners.of(LinkStage.definition(), c));
        add("store", HnTopics.ITEMS, c -> Runners.postgres("store", HnTopics.ITEMS, new HnItemsWriter(), c));
        add(PdfLinkStage.NAME, HnTopics.LINKS, c -> Runners.of(PdfLinkStage.definition(), c));
        add(SplitStage.NAME, DocumentTopics.DOCUMENTS, c -> Runners.of(SplitStage.definition(), c));
        add(PagesStage.NAME, DocumentTopics.PAGES, c -> Runners.of(PagesStage.definition(c.docs().getInt(DocumentsConfig.OCR_THREADS_CONFIG)), c));
        add(AssembleStage.NAME, DocumentTopics.PAGE_RESULTS, AssembleStage::new);
        add("store-documents", DocumentTopics.ASSEMBLED, c -> Runners.postgres("store-documents", DocumentTopics.ASSEMBLED, new DocumentsWriter(), c));
    }

    private StageCatalog() {
    }

    private static void add(String name, String input, Function<StageContext, RunningStage> factory) {
        STAGES.put(name, new Entry(name, input, factory));
    }

    public static List<String> names() {
        return List.copyOf(STAGES.keySet());
    }

    public static List<Entry> entries() {
        return List.copyOf(STAGES.values());
    }

    /** Builds the named stage (not yet started). */
    public static RunningStage create(String name, StageContext context) {
        Entry e = STAGES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; known: " + names());
        }
        return e.factory().apply(context);
    }

    /** Topics the pipeline needs, dead-letter topics included. */
    public static List<String> topics() {
        List<String> all = new java.util.ArrayList<>(HnTopics.all());
        all.add(HnTopics.dlq(HnTopics.LINKS));
        all.addAll(DocumentTopics.all());
        return List.copyOf(all);
    }

    /** Largest assembled document record (all its pages' text), also the assemble stage's producer limit. */
    public static final int MAX_DOCUMENT_RECORD_BYTES = 64 << 20;

    /** Topic-level settings of created topics: assembled documents may exceed Kafka's default 1 MB. */
    public static Map<String, Map<String, String>> topicConfigs() {
        return Map.of(DocumentTopics.ASSEMBLED, Map.of("max.message.bytes", Integer.toString(MAX_DOCUMENT_RECORD_BYTES)));
    }
}
