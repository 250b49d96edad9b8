package dev.sluice.topology;

import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.WatermarkProgress;
import dev.sluice.stages.summarise.SummariseConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the catalog's factories need to build a running stage.
 *
 * @param config      the process configuration
 * @param hn          the Hacker News path's configuration
 * @param summarise   the summariser's and the thread path's configuration
 * @param docs        the documents path's configuration
 * @param clientProps Kafka client properties (bootstrap servers and pass-through security settings)
 * @param jdbcUrl     PostgreSQL of the sinks
 * @param progress    the watermark's progress in this process
 * @param stateDir    Kafka Streams state directory
 */
public record StageContext(SluiceConfig config, HnConfig hn, SummariseConfig summarise, DocumentsConfig docs,
                           Map<String, Object> clientProps, String jdbcUrl,
                           WatermarkProgress progress, Path stateDir) {
}
