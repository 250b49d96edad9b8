package dev.sluice.topology;

import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.stages.documents.AssembleTopology;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The per-document fan-in ({@link AssembleTopology}) as its own Streams application
 * {@code sluice-assemble}: it consumes the page results and the pages stage's dead letters.
 */
final class AssembleStage extends StreamsStage {
    static final String NAME = AssembleTopology.NAME;

    AssembleStage(StageContext c) {
        super(NAME, DocumentTopics.PAGE_RESULTS, AssembleTopology.build(c.docs()), c);
    }

    @Override
    protected Properties customize(Properties p) {
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), StageCatalog.MAX_DOCUMENT_RECORD_BYTES);
        return p;
    }

    @Override
    public List<String> inputTopics() {
        return List.of(DocumentTopics.PAGE_RESULTS, DocumentTopics.dlq(DocumentTopics.PAGES));
    }
}
