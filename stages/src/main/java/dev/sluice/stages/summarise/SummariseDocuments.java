package dev.sluice.stages.summarise;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import org.apache.kafka.common.serialization.Serdes;

/** The {@code summarise-documents} stage: one summary per assembled document's text. */
public final class SummariseDocuments implements StageProvider {
    public static final String NAME = "summarise-documents";

    @Override
    public StageDefinition<String, DocumentText, String, dev.sluice.schemas.summaries.Summary> definition() {
        return SummariseStage.definition(NAME, SummaryTopics.DOCUMENT_TEXT, Serdes.String(),
                new AvroSerde<>(DocumentText.class), Subjects::document);
    }
}
