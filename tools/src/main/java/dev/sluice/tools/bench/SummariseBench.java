package dev.sluice.tools.bench;

import dev.sluice.stage.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.llm.FakeLlmServer;
import dev.sluice.runtime.StageEnvironment;
import dev.sluice.stages.summarise.SummariseDocuments;
import dev.sluice.runtime.TransactionalStageRunner;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.stages.summarise.Subjects;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummariseStage;
import dev.sluice.stages.summarise.SummaryCache;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.stages.summarise.Text;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.TopicBootstrap;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.topology.embedded.EmbeddedKafka;
import dev.sluice.topology.embedded.EmbeddedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Document-summary throughput of the summarise stage on a real broker: against a local
 * OpenAI-compatible endpoint answering after a fixed latency (n requests in flight), and with the
 * offline extractive summariser. Documents are made of the recorded Hacker News comments' text.
 */
public final class SummariseBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final List<String> comments = new ArrayList<>();

    public SummariseBench(Path workDir, Path hnItems) throws Exception {
        this.workDir = workDir;
        for (String line : Files.readAllLines(hnItems)) {
            JsonNode n = JSON.readTree(line);
            if (n.hasNonNull("text")) {
                comments.add(Text.fromHtml(n.get("text").asText()));
            }
        }
    }

    /** Summarises {@code count} documents through the fake model with {@code inFlight} requests at once; seconds taken. */
    public double runRemote(int count, int inFlight, int latencyMs) throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.builder().latencyMs(latencyMs).start()) {
            return run("remote-c" + inFlight, count, Map.of(SummariseConfig.BASE_URL_CONFIG, llm.baseUrl(),
                    SummariseConfig.MODEL_CONFIG, "bench", SummariseConfig.CONCURRENCY_CONFIG, inFlight,
                    SummariseConfig.CACHE_CONFIG, false));
        }
    }

    /** Summarises {@code count} documents with the offline summariser; seconds taken. */
    public double runOffline(int count) throws Exception {
        return run("offline", count, Map.of(SummariseConfig.CACHE_CONFIG, false));
    }

    private double run(String name, int count, Map<String, Object> settings) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("kafka-" + name));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir);
             EmbeddedRegistry registry = EmbeddedRegistry.start(dir.resolve("registry"), false)) {
            SchemaRegistries.configure(registry.url(), true);
            Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(new HashMap<>(client)); LagMonitor lag = new LagMonitor(admin, client)) {
                TopicBootstrap.ensure(admin, SummaryTopics.all(), 8, (short) -1);
                produce(client, count);
                String stage = SummariseDocuments.NAME;
                long start = System.nanoTime();
                try (TransactionalStageRunner<?, ?, ?, ?> runner = new TransactionalStageRunner<>(
                        new SummariseDocuments().definition(),
                        new StageEnvironment(settings, client, "bench", null, dir, 100, (short) -1, Names.DEFAULT))) {
                    runner.start(t -> { });
                    while (lag.totalLag(Names.DEFAULT.groupId(stage), SummaryTopics.DOCUMENT_TEXT) > 0) {
                        Thread.sleep(50);
                    }
                }
                return (System.nanoTime() - start) / 1e9;
            }
        }
    }

    /** Documents of 12 consecutive recorded comments each (about 5 KB), cycling through the recording. */
    private void produce(Map<String, Object> client, int count) {
        try (KafkaProducer<String, DocumentText> p = new KafkaProducer<>(new HashMap<>(client), new StringSerializer(),
                new AvroSerde<>(DocumentText.class).serializer())) {
            for (int d = 0; d < count; d++) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < 12; i++) {
                    text.append(comments.get((d * 12 + i) % comments.size())).append('\n');
                }
                p.send(new ProducerRecord<>(SummaryTopics.DOCUMENT_TEXT, "doc-" + d,
                        new DocumentText("doc-" + d, "Document " + d, text.toString())));
            }
        }
    }
}
