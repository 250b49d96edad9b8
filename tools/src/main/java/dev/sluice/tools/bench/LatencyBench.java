package dev.sluice.tools.bench;

import dev.sluice.stage.Names;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ingest.documents.DocumentProducer;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.runtime.RunningStage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * Latency of the documents path in a running, idle pipeline: the split, pages, assemble and
 * store-documents stages in this JVM on embedded Kafka, PostgreSQL and registry. Once every
 * stage's group is stable and the pipeline has been idle a while, documents are pushed one at a
 * time with the {@link DocumentProducer}, each after the previous one is stored, and timed from
 * submission to their first page result (visible to a read_committed reader) and to their row in
 * {@code documents}, against the processing time their pages report.
 */
public final class LatencyBench {
    static final String STAGES = "split,pages,assemble,store-documents";
    static final Duration STORED_TIMEOUT = Duration.ofMinutes(5);

    /** One document's figures, in wall-clock ms after its submission, and its summed processing ms. */
    public record Result(String file, int pages, String methods, long splitMs, long firstPageMs, long lastPageMs,
                         long storedMs, long processingMs, long criticalPathMs) {
        public long overheadMs() {
            return storedMs - processingMs;
        }
    }

    private final Path corpus;
    private final Path dataDir;
    private final int ocrThreads;
    private final Duration idle;

    public LatencyBench(Path corpus, Path dataDir, int ocrThreads, Duration idle) {
        this.corpus = corpus;
        this.dataDir = dataDir;
        this.ocrThreads = ocrThreads;
        this.idle = idle;
    }

    /**
     * Starts the pipeline and pushes {@code atStart} at once (when not null: what a first run meets,
     * the stages still joining their groups), then waits until it is idle and pushes {@code files}
     * one by one; paths relative to the corpus.
     */
    public List<Result> run(String atStart, List<String> files) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(SluiceConfig.DATA_DIR_CONFIG, dataDir.toString(),
                SluiceConfig.STAGES_CONFIG, STAGES, SluiceConfig.METRICS_PORT_CONFIG, "0",
                SluiceConfig.INSTANCE_ID_CONFIG, "bench", DocumentsConfig.OCR_THREADS_CONFIG, Integer.toString(ocrThreads)));
        SluiceConfig config = new SluiceConfig(props);
        try (Infrastructure infra = Infrastructure.open(config, true, true, true).requireSchemas();
             Pipeline pipeline = new Pipeline(config, infra.clientProps(), infra.jdbcUrl())) {
            infra.closeFirst(pipeline);
            pipeline.start();
            List<Result> results = new ArrayList<>();
            DocumentsConfig docs = new DocumentsConfig(props, dataDir);
            try (LatencyProbe probe = new LatencyProbe(infra.clientProps(), infra.jdbcUrl());
                 DocumentProducer producer = new DocumentProducer(infra.clientProps(), docs.blobStore(), "bench", config.names())) {
                if (atStart != null) {
                    results.add(measure(probe, producer, atStart, " (pushed as the pipeline starts)"));
                }
                awaitStable(infra.clientProps(), pipeline.stages());
                for (String f : files) {
                    Thread.sleep(idle.toMillis()); // idle before each push
                    results.add(measure(probe, producer, f, ""));
                }
            }
            return results;
        }
    }

    private Result measure(LatencyProbe probe, DocumentProducer producer, String file, String when) throws Exception {
        DocumentRef ref = producer.push(corpus.resolve(file));
        long t0 = ref.getSubmittedAt();
        LatencyProbe.Stored stored = probe.awaitStored(ref.getDocId(), t0, STORED_TIMEOUT);
        Thread.sleep(200); // the probe's last poll of page results
        LatencyProbe.Seen tasks = probe.seen(DocumentTopics.PAGES, ref.getDocId())
                .orElseThrow(() -> new IllegalStateException("no page task of " + file + " seen"));
        LatencyProbe.Seen results = probe.seen(DocumentTopics.PAGE_RESULTS, ref.getDocId())
                .orElseThrow(() -> new IllegalStateException("no page result of " + file + " seen"));
        Result r = new Result(file + when, stored.doc().get("page_count").asInt(), methods(stored.doc()), tasks.last() - t0,
                results.first() - t0, results.last() - t0, stored.at() - t0, stored.processingMs(),
                stored.criticalPathMs(ocrThreads));
        probe.forget(ref.getDocId());
        System.err.printf("latency: %s%n", r);
        return r;
    }

    private static String methods(JsonNode doc) {
        Map<String, Integer> n = new TreeMap<>();
        doc.get("pages").forEach(p -> n.merge(p.get("method").asText(), 1, Integer::sum));
        return n.toString();
    }

    /** Waits until the consumer group of every stage is stable with every member assigned. */
    private static void awaitStable(Map<String, Object> clientProps, List<RunningStage> stages) throws Exception {
        List<String> groups = stages.stream().map(RunningStage::groupId).toList();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(new HashMap<>(clientProps))) {
            while (System.nanoTime() < deadline) {
                Map<String, ConsumerGroupDescription> d = admin.describeConsumerGroups(groups).all().get();
                if (d.values().stream().allMatch(g -> g.groupState() == GroupState.STABLE && !g.members().isEmpty()
                        && g.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty()))) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the stages' groups " + groups + " did not become stable within 2 min");
    }

    /** The figures as a results table: one row per document, end to end against summed processing. */
    public static BenchReport report(List<Result> results, int ocrThreads, long targetOverheadMs) {
        BenchReport report = new BenchReport("Documents latency in a running, idle pipeline (split, pages, assemble,"
                + " store-documents in one JVM; embedded services), " + ocrThreads + " OCR threads; items = pages,"
                + " seconds = submitted to stored");
        for (Result r : results) {
            report.row(r.file() + " " + r.methods(), r.pages(), r.storedMs() / 1000.0, String.format(
                    "end to end %d ms vs summed processing %d ms: overhead %+d ms (target <= %+d ms: %s);"
                    + " vs %d ms on %d threads at best: %+d ms; page tasks at +%d ms, page results +%d..+%d ms",
                    r.storedMs(), r.processingMs(), r.overheadMs(), targetOverheadMs,
                    r.overheadMs() <= targetOverheadMs ? "met" : "MISSED", r.criticalPathMs(), ocrThreads,
                    r.storedMs() - r.criticalPathMs(), r.splitMs(), r.firstPageMs(), r.lastPageMs()));
        }
        return report;
    }
}
