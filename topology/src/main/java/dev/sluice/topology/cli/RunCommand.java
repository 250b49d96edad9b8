package dev.sluice.topology.cli;

import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.metrics.Endpoints;
import dev.sluice.topology.metrics.ProcessMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice run}: all stages in one JVM, or the subset a Kubernetes Deployment runs. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the pipeline (all stages, or --stages).")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions common;

    @Option(names = "--stages", split = ",", description = "Stages to run (default all): watermark, fetch, links, store, pdf-links, split, pages, assemble, store-documents, document-text, threads-resolve, threads, summarise-threads, summarise-documents, summaries-store.")
    List<String> stages;

    @Option(names = "--hn-base-url", description = "Hacker News API base URL (default the live API).")
    String hnBaseUrl;

    @Option(names = "--hn-from-id", description = "First item id on a first start.")
    Long fromId;

    @Option(names = "--hn-backfill", description = "On a first start without --hn-from-id, ids below maxitem to fetch (default 1000).")
    Long backfill;

    @Option(names = "--poll-interval-ms", description = "How often to poll maxitem (default 30000).")
    Long pollIntervalMs;

    @Option(names = "--instance-id", description = "Stable id of this process (default: host name).")
    String instanceId;

    @Option(names = "--llm-base-url", description = "OpenAI-compatible endpoint of the summariser (default: none, the offline extractive summariser).")
    String llmBaseUrl;

    @Option(names = "--llm-model", description = "Model of the summariser (required with --llm-base-url); the API key comes from SLUICE_LLM_API_KEY.")
    String llmModel;

    @Option(names = "--llm-fallback-model", description = "Model tried when the primary fails, before the offline summariser.")
    String llmFallbackModel;

    @Option(names = "--exit-when-idle", description = "Return once the watermark equals maxitem and every stage has zero lag.")
    boolean exitWhenIdle;

    @Override
    public Integer call() throws Exception {
        Map<String, String> specific = new HashMap<>();
        ConfigOptions.putIfSet(specific, SluiceConfig.STAGES_CONFIG, stages == null ? null : String.join(",", stages));
        ConfigOptions.putIfSet(specific, HnConfig.BASE_URL_CONFIG, hnBaseUrl);
        ConfigOptions.putIfSet(specific, HnConfig.FROM_ID_CONFIG, fromId);
        ConfigOptions.putIfSet(specific, HnConfig.BACKFILL_CONFIG, backfill);
        ConfigOptions.putIfSet(specific, HnConfig.POLL_INTERVAL_MS_CONFIG, pollIntervalMs);
        ConfigOptions.putIfSet(specific, SluiceConfig.INSTANCE_ID_CONFIG, instanceId);
        ConfigOptions.putIfSet(specific, SummariseConfig.BASE_URL_CONFIG, llmBaseUrl);
        ConfigOptions.putIfSet(specific, SummariseConfig.MODEL_CONFIG, llmModel);
        ConfigOptions.putIfSet(specific, SummariseConfig.FALLBACK_MODEL_CONFIG, llmFallbackModel);
        Map<String, String> props = common.collect(specific);
        SluiceConfig config = new SluiceConfig(props);
        StageCatalog.validate(config.stages(), props);
        boolean needDb = StageCatalog.needsDatabase(config.stages());
        try (Infrastructure infra = Infrastructure.open(config, true, needDb, true).requireSchemas();
             Pipeline pipeline = new Pipeline(config, infra.clientProps(), infra.jdbcUrl());
             Endpoints endpoints = Endpoints.start(config, ProcessMetrics.registry(pipeline.stages()),
                     config.stages().stream().map(StageCatalog::entry).toList(), infra.clientProps(),
                     pipeline::isLive, pipeline::isReady)) {
            infra.closeFirst(endpoints);
            infra.closeFirst(pipeline); // SIGTERM: stages stop first, then the metrics server, then embedded services
            pipeline.start();
            log.info("sluice running {} stages on {} (instance {})", config.stages().size(), infra.bootstrapServers(),
                    config.instanceId());
            pipeline.await(exitWhenIdle, Duration.ofSeconds(1));
        }
        return 0;
    }
}
