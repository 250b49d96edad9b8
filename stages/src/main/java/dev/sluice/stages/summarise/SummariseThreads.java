package dev.sluice.stages.summarise;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.threads.ThreadSnapshot;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import org.apache.kafka.common.serialization.Serdes;

/** The {@code summarise-threads} stage: "what people want" per Hacker News thread snapshot. */
public final class SummariseThreads implements StageProvider {
    public static final String NAME = "summarise-threads";

    @Override
    public StageDefinition<Long, ThreadSnapshot, String, dev.sluice.schemas.summaries.Summary> definition() {
        return SummariseStage.definition(NAME, SummaryTopics.THREAD_SNAPSHOTS, Serdes.Long(),
                new AvroSerde<>(ThreadSnapshot.class), Subjects::thread);
    }
}
