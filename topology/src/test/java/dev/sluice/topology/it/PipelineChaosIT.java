package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.blob.FolderBlobStore;
import dev.sluice.ingest.documents.DocumentProducer;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.testkit.llm.FakeLlmServer;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.TopicBootstrap;
import dev.sluice.topology.it.chaos.ChaosLog;
import dev.sluice.topology.it.chaos.ChaosPlan;
import dev.sluice.topology.it.chaos.ChaosScript;
import dev.sluice.topology.it.chaos.DocumentInvariants;
import dev.sluice.topology.it.chaos.Fleet;
import dev.sluice.topology.it.chaos.HnFeed;
import dev.sluice.topology.it.chaos.HnInvariants;
import dev.sluice.topology.it.chaos.InstanceArgs;
import dev.sluice.topology.it.chaos.PipelineExpectations;
import dev.sluice.topology.it.chaos.PipelineLag;
import dev.sluice.topology.it.chaos.SummaryInvariants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline (Hacker News, documents and summaries paths) as child {@code sluice run} JVMs on one
 * broker, PostgreSQL and registry: one instance of the light stages, two of each heavy stage, the
 * {@code store} sink scaled from one to three and back. While items appear, instances are SIGKILLed
 * and SIGTERMed mid-batch, the broker restarts, the Hacker News API goes down for longer than any
 * retry budget and garbles 3% of its answers, and the LLM goes down. Nothing may be lost, doubled or
 * dead-lettered for a failure that clears. {@code -Dsluice.chaos.long=true} ({@code make chaos}) runs the long form.
 */
@Tag("long")
class PipelineChaosIT {
    private static final ChaosPlan PLAN = ChaosPlan.current();
    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
    private static ItEnv env;
    private static HnFeed hn;
    private static FakeLlmServer llm;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("pipeline-chaos");
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            TopicBootstrap.ensure(admin, StageCatalog.topics(), InstanceArgs.PARTITIONS, (short) -1, StageCatalog.topicConfigs());
        }
        System.out.printf("PipelineChaosIT: seed %d (-Dchaos.seed=%d repeats it), %s form%n", SEED, SEED,
                Boolean.getBoolean("sluice.chaos.long") ? "long" : "short");
        hn = new HnFeed(PLAN, SEED);
        llm = FakeLlmServer.builder().failRate(0.1).seed(SEED).latencyMs(5).hangMs(1500).start();
    }

    @AfterAll
    static void stop() {
        llm.close();
        hn.close();
        env.close();
    }

    @Test
    void shouldLoseNothingDoubleNothingAndDeadLetterOnlyPermanentFailuresUnderChaos() throws Exception {
        Path root = env.dir("fleet");
        PipelineExpectations expected = new PipelineExpectations(PLAN.firstId());
        HnInvariants hnPath = new HnInvariants(env.jdbcUrl(), env::clientProps, expected);
        DocumentInvariants docs = new DocumentInvariants(env.jdbcUrl(), env::clientProps,
                PipelineExpectations.pages(PLAN.allDocuments()));
        SummaryInvariants summaries = new SummaryInvariants(env.jdbcUrl(), env::clientProps, expected.threadVersions(),
                PLAN.allDocuments().size(), InstanceArgs.MODEL);
        List<String> docIds = new ArrayList<>(push(root, PLAN.documents()));
        ChaosLog.reset();
        ChaosScript script;
        List<java.time.Duration> termTimes;
        try (Fleet fleet = new Fleet(root, new InstanceArgs(new InstanceArgs.Services(env.bootstrapServers(), env.jdbcUrl(),
                ItEnv.schemaRegistryUrl(), hn.baseUrl(), llm.baseUrl(), root, PLAN.firstId())))) {
            fleet.start("light-1", InstanceArgs.LIGHT);
            fleet.start("heavy-1", InstanceArgs.HEAVY);
            fleet.start("heavy-2", InstanceArgs.HEAVY);
            fleet.start("store-1", InstanceArgs.SCALED);
            script = new ChaosScript(PLAN, fleet, hn, llm, env, hnPath::storedItems, SEED);
            script.run(() -> docIds.addAll(push(root, PLAN.lateDocuments())));
            ChaosLog.event("chaos over; waiting for the pipeline to converge");
            awaitConverged(fleet, hnPath, docs, summaries);
            ChaosLog.event("converged: %d items, %d documents, %d summaries", PLAN.items(), docs.expected(), summaries.expected());
            fleet.terminateAll();
            termTimes = fleet.termTimes();
            System.out.printf("PipelineChaosIT: seed %d, %d process starts, %d SIGTERMs mid-batch, converged at %.0f s%n", SEED,
                    fleet.starts(), script.midBatchTerms(), ChaosLog.seconds());
        }
        hnPath.assertItemsStoredOnceIntact();
        hnPath.assertWatermarkGapFreeAndTopicsOnce();
        docs.assertStoredOnceWithEveryPage();
        docs.assertPagesAndDocumentsOnKafkaOnce();
        summaries.assertEveryThreadAndDocumentSummarisedOnce(docIds);
        hnPath.assertOnlyPermanentDeadLetters();
        assertThat(termTimes).as("time to exit after SIGTERM").allMatch(d -> d.toSeconds() < 10);
        assertThat(script.midBatchTerms()).as("SIGTERMs that hit an open batch").isGreaterThanOrEqualTo(2);
        assertThat(script.hnRequestsInOutage()).as("item requests refused in the HN outage").isPositive();
        assertThat(script.llmRequestsInOutage()).as("completions refused in the LLM outage").isPositive();
        assertThat(hn.garbage()).as("garbled answers served").isPositive();
    }

    private static List<String> push(Path root, List<String> files) {
        List<String> ids = new ArrayList<>();
        try (DocumentProducer p = new DocumentProducer(env.clientProps(), FolderBlobStore.underDataDir(root), "chaos", Names.DEFAULT)) {
            for (String f : files) {
                DocumentRef ref = p.push(SharedFixtures.corpus(f));
                ids.add(ref.getDocId());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot push " + files, e);
        }
        ChaosLog.event("pushed %s", files);
        return ids;
    }

    /**
     * Waits until every item, document and summary is stored and no stage has input left, every
     * instance alive; fails after the plan's settle time.
     */
    private static void awaitConverged(Fleet fleet, HnInvariants hnPath, DocumentInvariants docs, SummaryInvariants sums)
            throws Exception {
        PipelineLag lag = new PipelineLag(env::clientProps, InstanceArgs.LIGHT, InstanceArgs.HEAVY, InstanceArgs.SCALED);
        long deadline = System.nanoTime() + PLAN.settle().toNanos();
        long lastReport = 0;
        boolean idle = false;
        while (!idle) {
            fleet.checkAlive();
            long items = hnPath.storedItems();
            long stored = docs.storedComplete();
            long summarised = sums.stored();
            boolean all = items >= PLAN.items() && stored >= docs.expected() && summarised >= sums.expected();
            Map<String, Long> behind = all ? lag.behind() : null;
            idle = all && behind.isEmpty();
            String state = String.format("items %d/%d, documents %d/%d, summaries %d/%d%s", items, PLAN.items(), stored,
                    docs.expected(), summarised, sums.expected(), behind == null ? "" : ", records left " + behind);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not converged within " + PLAN.settle() + ": " + state + "; timeline:\n" + ChaosLog.timeline());
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                ChaosLog.event("waiting: %s", state);
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }
}
