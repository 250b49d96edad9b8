package dev.sluice.tools.bench;

import dev.sluice.stage.Names;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.runtime.StageEnvironment;
import dev.sluice.runtime.TransactionalStageRunner;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.topology.embedded.EmbeddedRegistry;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.hn.ItemFetchStage;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.TopicBootstrap;
import dev.sluice.topology.embedded.EmbeddedKafka;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;

/**
 * Item-fetch throughput on a real broker against a local API that adds a fixed latency to every
 * response: the fetch stage at its configured concurrency, side by side with one blocking call at
 * a time (concurrency 1) on the same machine in the same run.
 */
public final class FetchBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final Path itemsFile;

    public FetchBench(Path workDir, Path fixtureItems, int items) throws Exception {
        this.workDir = workDir;
        this.itemsFile = workDir.resolve("bench-items.jsonl");
        replicate(fixtureItems, items, itemsFile);
    }

    /** Writes {@code n} items with ids 1..n, cycling through the fixture's real bodies. */
    private static void replicate(Path fixture, int n, Path out) throws Exception {
        List<String> lines = Files.readAllLines(fixture);
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            for (int i = 0; i < n; i++) {
                ObjectNode item = (ObjectNode) JSON.readTree(lines.get(i % lines.size()));
                item.put("id", i + 1L);
                w.write(JSON.writeValueAsString(item));
                w.newLine();
            }
        }
    }

    /** Fetches ids 1..{@code count} with {@code concurrency} in flight; returns seconds taken. */
    public double run(int count, int concurrency, int latencyMs) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("kafka-c" + concurrency));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir);
             EmbeddedRegistry registry = EmbeddedRegistry.start(dir.resolve("registry"), false);
             HnReplayServer api = HnReplayServer.builder().items(itemsFile).latencyMs(latencyMs).start()) {
            SchemaRegistries.configure(registry.url(), true);
            Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(new HashMap<>(client)); LagMonitor lag = new LagMonitor(admin, client)) {
                TopicBootstrap.ensure(admin, HnTopics.all(), 8, (short) -1);
                produceIds(client, count);
                Map<String, Object> settings = Map.of(HnConfig.BASE_URL_CONFIG, api.baseUrl(),
                        HnConfig.FETCH_CONCURRENCY_CONFIG, concurrency, HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG, 500);
                long start = System.nanoTime();
                try (TransactionalStageRunner<?, ?, ?, ?> runner = new TransactionalStageRunner<>(
                        new ItemFetchStage().definition(),
                        new StageEnvironment(settings, client, "bench", null, dir, 100, (short) -1, Names.DEFAULT))) {
                    runner.start(t -> { });
                    awaitDrained(lag, count, start);
                }
                return (System.nanoTime() - start) / 1e9;
            }
        }
    }

    private static void produceIds(Map<String, Object> client, int count) {
        try (KafkaProducer<Long, HnItemId> p = new KafkaProducer<>(new HashMap<>(client), new LongSerializer(),
                new AvroSerde<>(HnItemId.class).serializer())) {
            for (long id = 1; id <= count; id++) {
                p.send(new ProducerRecord<>(HnTopics.ITEM_IDS, id, new HnItemId(id, "bench")));
            }
        }
    }

    private static void awaitDrained(LagMonitor lag, int count, long start) throws Exception {
        long lastPrint = 0;
        while (true) {
            long left = lag.totalLag(Names.DEFAULT.groupId(ItemFetchStage.NAME), HnTopics.ITEM_IDS);
            if (left == 0) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastPrint > 2_000_000_000L) {
                System.err.printf("  fetched %d of %d (%.0f s)%n", count - left, count, (now - start) / 1e9);
                lastPrint = now;
            }
            Thread.sleep(50);
        }
    }
}
