package dev.sluice.topology;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.schemas.threads.ThreadSnapshot;
import dev.sluice.sinks.postgres.HnItemsWriter;
import dev.sluice.sinks.postgres.SummariesWriter;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.sinks.postgres.DocumentsWriter;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.documents.PagesStage;
import dev.sluice.stages.documents.PdfLinkStage;
import dev.sluice.stages.documents.SplitStage;
import dev.sluice.stages.documents.DocumentTextStage;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.hn.ItemFetchStage;
import dev.sluice.stages.hn.LinkStage;
import dev.sluice.stages.summarise.Subjects;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.stages.threads.ThreadResolveStage;
import dev.sluice.stages.threads.ThreadTopology;
import java.util.ArrayList;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every stage the pipeline knows, in data-flow order: adding a stage is one line here. A
 * {@code StageDefinition} becomes a Kafka Streams app when its concurrency is 1 and a transactional
 * loop otherwise ({@link Runners#of}); sinks and the watermark have runners of their own. Every
 * stage consumes as group {@code sluice-<name>} and dead-letters to {@code <input>.dlq}.
 *
 * <p>Each entry also carries its {@link Scaling} (lag per replica, replica bounds, resources), from
 * which {@code ./sluice k8s generate} writes the stage's Deployment and scaler and the autoscale demo
 * sizes its instances; a stage that sets none gets {@link Scaling#DEFAULT}.
 */
public final class StageCatalog {

    /**
     * A stage's name, input topic, output topic ({@code ""} when it writes outside Kafka), scaling and factory.
     */
    public record Entry(String name, String inputTopic, String outputTopic, Scaling scaling,
                        Function<StageContext, RunningStage> factory) {
        public String groupId() {
            return "sluice-" + name;
        }

        public String deadLetterTopic() {
            return HnTopics.dlq(inputTopic);
        }
    }

    public static final String SUMMARISE_THREADS = "summarise-threads";
    public static final String SUMMARISE_DOCUMENTS = "summarise-documents";
    public static final String SUMMARIES_STORE = "summaries-store";
    private static final Map<String, Entry> STAGES = new LinkedHashMap<>();

    static {
        add(WatermarkStage.NAME, HnTopics.MAXITEM, HnTopics.ITEM_IDS, Scaling.singleton(), WatermarkStage::new);
        add(ItemFetchStage.NAME, HnTopics.ITEM_IDS, HnTopics.ITEMS, Scaling.DEFAULT.lagThreshold(2_000),
                c -> Runners.of(ItemFetchStage.definition(c.hn()), c));
        add(LinkStage.NAME, HnTopics.ITEMS, HnTopics.LINKS, Scaling.DEFAULT.lagThreshold(5_000).replicas(1, 4),
                c -> Runners.of(LinkStage.definition(), c));
        add("store", HnTopics.ITEMS, "", Scaling.DEFAULT.lagThreshold(5_000).replicas(1, 4),
                c -> Runners.postgres("store", HnTopics.ITEMS, new HnItemsWriter(), c));
        add(PdfLinkStage.NAME, HnTopics.LINKS, DocumentTopics.DOCUMENTS, Scaling.DEFAULT.lagThreshold(50).replicas(1, 4),
                c -> Runners.of(PdfLinkStage.definition(), c));
        add(SplitStage.NAME, DocumentTopics.DOCUMENTS, DocumentTopics.PAGES, Scaling.DEFAULT.lagThreshold(20).replicas(1, 4),
                c -> Runners.of(SplitStage.definition(), c));
        add(PagesStage.NAME, DocumentTopics.PAGES, DocumentTopics.PAGE_RESULTS, Scaling.DEFAULT.lagThreshold(30).oneCorePerReplica(),
                c -> Runners.of(PagesStage.definition(c.docs().getInt(DocumentsConfig.OCR_THREADS_CONFIG)), c));
        add(AssembleStage.NAME, DocumentTopics.PAGE_RESULTS, DocumentTopics.ASSEMBLED, Scaling.DEFAULT.lagThreshold(500).replicas(1, 4),
                AssembleStage::new);
        add("store-documents", DocumentTopics.ASSEMBLED, "", Scaling.DEFAULT.lagThreshold(100).replicas(1, 4),
                c -> BlobGcTask.around(Runners.postgres("store-documents", DocumentTopics.ASSEMBLED, new DocumentsWriter(), c), c));
        add(DocumentTextStage.NAME, DocumentTopics.ASSEMBLED, SummaryTopics.DOCUMENT_TEXT, Scaling.DEFAULT.replicas(1, 4),
                c -> Runners.of(DocumentTextStage.definition(), c));
        add(ThreadResolveStage.NAME, HnTopics.ITEMS, SummaryTopics.THREAD_COMMENTS, Scaling.DEFAULT, SummaryStages::resolve);
        add(ThreadTopology.NAME, SummaryTopics.THREAD_COMMENTS, SummaryTopics.THREAD_SNAPSHOTS,
                Scaling.DEFAULT.replicas(1, 4), SummaryStages::threads);
        add(SUMMARISE_THREADS, SummaryTopics.THREAD_SNAPSHOTS, SummaryTopics.SUMMARIES, Scaling.DEFAULT.lagThreshold(20), c -> SummaryStages.summarise(SUMMARISE_THREADS,
                SummaryTopics.THREAD_SNAPSHOTS, Serdes.Long(), new AvroSerde<>(ThreadSnapshot.class), Subjects::thread, c));
        add(SUMMARISE_DOCUMENTS, SummaryTopics.DOCUMENT_TEXT, SummaryTopics.SUMMARIES, Scaling.DEFAULT.lagThreshold(20), c -> SummaryStages.summarise(SUMMARISE_DOCUMENTS,
                SummaryTopics.DOCUMENT_TEXT, Serdes.String(), new AvroSerde<>(DocumentText.class), Subjects::document, c));
        add(SUMMARIES_STORE, SummaryTopics.SUMMARIES, "", Scaling.DEFAULT.replicas(1, 4),
                c -> Runners.postgres(SUMMARIES_STORE, SummaryTopics.SUMMARIES, new SummariesWriter(), c));
    }

    /** Stages that need PostgreSQL (sinks and the summarisers' llm_cache). */
    private static final Set<String> DB_STAGES = Set.of("store", "store-documents", SUMMARISE_THREADS, SUMMARISE_DOCUMENTS, SUMMARIES_STORE);

    /** True when one of {@code stages} needs PostgreSQL. */
    public static boolean needsDatabase(List<String> stages) {
        return stages.stream().anyMatch(DB_STAGES::contains);
    }

    private StageCatalog() {
    }

    /** A stage with the default {@link Scaling} and no known output topic. */
    private static void add(String name, String input, Function<StageContext, RunningStage> factory) {
        add(name, input, "", Scaling.DEFAULT, factory);
    }

    private static void add(String name, String input, String output, Scaling scaling,
                            Function<StageContext, RunningStage> factory) {
        STAGES.put(name, new Entry(name, input, output, scaling, factory));
    }

    /** The named entry. */
    public static Entry entry(String name) {
        Entry e = STAGES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; known: " + names());
        }
        return e;
    }

    public static List<String> names() {
        return List.copyOf(STAGES.keySet());
    }

    public static List<Entry> entries() {
        return List.copyOf(STAGES.values());
    }

    /** Builds the named stage (not yet started). */
    public static RunningStage create(String name, StageContext context) {
        return entry(name).factory().apply(context);
    }

    /** Topics the pipeline needs, dead-letter topics included. */
    public static List<String> topics() {
        List<String> all = new ArrayList<>(HnTopics.all());
        all.add(HnTopics.dlq(HnTopics.LINKS));
        all.addAll(DocumentTopics.all());
        all.addAll(SummaryTopics.all());
        return List.copyOf(all);
    }

    /** Largest assembled document record (all its pages' text), also the assemble stage's producer limit. */
    public static final int MAX_DOCUMENT_RECORD_BYTES = 64 << 20;

    /** Topic-level settings of created topics: assembled documents may exceed Kafka's default 1 MB. */
    public static Map<String, Map<String, String>> topicConfigs() {
        return Map.of(DocumentTopics.ASSEMBLED, Map.of("max.message.bytes", Integer.toString(MAX_DOCUMENT_RECORD_BYTES)));
    }
}
