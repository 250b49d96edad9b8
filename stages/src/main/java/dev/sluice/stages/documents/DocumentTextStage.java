package dev.sluice.stages.documents;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.AssembledDocument;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.stage.Output;
import dev.sluice.stage.Stage;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import dev.sluice.stages.summarise.SummaryTopics;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document text: every assembled document becomes the {@link DocumentText} the document summariser
 * reads (pages in order, failed pages left out, separated by blank lines). Runs in Kafka Streams.
 */
public final class DocumentTextStage implements Stage<String, AssembledDocument, String, DocumentText>, StageProvider {
    public static final String NAME = "document-text";
    private static final Logger log = LoggerFactory.getLogger(DocumentTextStage.class);

    @Override
    public StageDefinition<String, AssembledDocument, String, DocumentText> definition() {
        return StageDefinition.<String, AssembledDocument, String, DocumentText>builder(NAME)
                .input(DocumentTopics.ASSEMBLED, Serdes.String(), new AvroSerde<>(AssembledDocument.class))
                .output(SummaryTopics.DOCUMENT_TEXT, Serdes.String(), new AvroSerde<>(DocumentText.class))
                .stage(DocumentTextStage::new)
                .largeRecords(SummaryTopics.DOCUMENT_TEXT, DocumentTopics.MAX_DOCUMENT_RECORD_BYTES)
                .scaling(Scaling.DEFAULT.replicas(1, 4))
                .build();
    }

    @Override
    public void process(StageRecord<String, AssembledDocument> record, Output<String, DocumentText> out) {
        AssembledDocument d = record.value();
        if (d == null) {
            log.debug("skipping {}: tombstone", record.origin());
            return;
        }
        String text = d.getPages().stream().filter(p -> p.getMethod() != PageMethod.FAILED)
                .map(DocumentPage::getText).map(String::strip).filter(t -> !t.isEmpty())
                .collect(Collectors.joining("\n\n"));
        String id = d.getDoc().getDocId();
        out.emit(id, new DocumentText(id, d.getTitle(), text));
    }
}
