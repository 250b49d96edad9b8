package dev.sluice.stages.documents;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.OpenDocument;
import dev.sluice.stage.Names;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Assemble, the per-document fan-in, as a Kafka Streams topology (exactly_once_v2):
 * <pre>
 * sluice.documents.pages.dlq ─ assemble-failed-source ─ assemble-failed-pages ─ assemble-failed-sink ─┐
 *                                                                                                     ▼
 * sluice.documents.page-results ─ assemble-source ─ assemble-collect [assemble-open, assemble-pages, assemble-due] ─ assemble-sink ─ sluice.documents.assembled
 *                                                                                                                 └─ assemble-dlq ─ sluice.documents.page-results.dlq
 * </pre>
 * A page the pages stage dead-lettered comes back as a FAILED page result with its reason, so it
 * never hangs its document; undecodable page results and pages arriving after their document was
 * emitted go to the dead-letter topic. Node, store and topic names are fixed so the topology stays
 * compatible across releases; every store is changelogged.
 */
public final class AssembleTopology implements StageProvider {
    public static final String NAME = "assemble";
    public static final String OPEN_STORE = "assemble-open";
    public static final String PAGES_STORE = "assemble-pages";
    /** Deadlines in stream time of open documents and closed markers (see {@link DueIndex}). */
    public static final String DUE_STORE = "assemble-due";


    /**
     * Page results (and the pages stage's dead letters) in, whole documents out: a Kafka Streams
     * application with its changelogged stores.
     */
    @Override
    public StageDefinition<?, ?, ?, ?> definition() {
        return StageDefinition.builder(NAME)
                .inputs(DocumentTopics.PAGE_RESULTS, DocumentTopics.dlq(DocumentTopics.PAGES))
                .outputs(DocumentTopics.ASSEMBLED)
                .stateful(env -> build(new DocumentsConfig(env.originals(), env.dataDir()), env.names()))
                .config(DocumentsConfig.CONFIG, DocumentsConfig::of)
                .largeRecords(DocumentTopics.ASSEMBLED, DocumentTopics.MAX_DOCUMENT_RECORD_BYTES)
                .scaling(Scaling.DEFAULT.lagThreshold(500).replicas(1, 4))
                .build();
    }

    /** The topology on the physical topics {@code names} gives (serialization uses the logical ones). */
    public static Topology build(DocumentsConfig config, Names names) {
        Topology t = new Topology();
        t.addSource("assemble-failed-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                names.dlq(DocumentTopics.PAGES));
        t.addProcessor("assemble-failed-pages", FailedPageProcessor::new, "assemble-failed-source");
        t.addSink("assemble-failed-sink", names.topic(DocumentTopics.PAGE_RESULTS), new ByteArraySerializer(), new ByteArraySerializer(),
                "assemble-failed-pages");
        t.addSource("assemble-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), names.topic(DocumentTopics.PAGE_RESULTS));
        t.addProcessor("assemble-collect", () -> new AssembleProcessor(config.getLong(DocumentsConfig.DOCUMENT_TIMEOUT_MS_CONFIG),
                config.getLong(DocumentsConfig.ASSEMBLE_CHECK_MS_CONFIG),
                config.getLong(DocumentsConfig.ASSEMBLE_CLOSED_RETENTION_MS_CONFIG)), "assemble-source");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OPEN_STORE), Serdes.String(),
                AvroSerde.forStore(OpenDocument.class)), "assemble-collect");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PAGES_STORE), Serdes.String(),
                AvroSerde.forStore(DocumentPage.class)), "assemble-collect");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DUE_STORE), Serdes.String(),
                Serdes.String()), "assemble-collect");
        t.addSink("assemble-sink", names.topic(DocumentTopics.ASSEMBLED), new ByteArraySerializer(), new ByteArraySerializer(),
                "assemble-collect");
        t.addSink("assemble-dlq", names.dlq(DocumentTopics.PAGE_RESULTS), new ByteArraySerializer(),
                new ByteArraySerializer(), "assemble-collect");
        return t;
    }
}
