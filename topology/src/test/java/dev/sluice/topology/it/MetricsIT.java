package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.cli.SluiceCli;
import dev.sluice.topology.metrics.LagGauges;
import dev.sluice.topology.metrics.MetricsServer;
import dev.sluice.topology.metrics.ProcessMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics, /lag/<stage>, /healthz and /readyz of a process, on a real broker after a real exactly-once run. */
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ItEnv env;
    private static HnReplayServer hn;

    @BeforeAll
    static void runFetchUntilIdle() throws Exception {
        env = ItEnv.start("metrics");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).start();
        PipelineRun.on(env, env.dir("data"), hn.baseUrl()).set("stages", "watermark,fetch")
                .set("hn.from.id", HnExpectations.LAST - 299).runUntilIdle(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        hn.close();
        env.close();
    }

    @Test
    void shouldExportZeroLagWhenCaughtUpAlthoughCommitMarkersOccupyOffsets() throws Exception {
        assertThat(rawLag("sluice-fetch", HnTopics.ITEM_IDS)).as("end - committed counts the commit markers").isPositive();
        PrometheusMeterRegistry registry = ProcessMetrics.registry(List.of());
        try (LagGauges lag = new LagGauges(StageCatalog.entries(), env.clientProps(), registry, Names.DEFAULT);
             MetricsServer server = new MetricsServer(0, registry, () -> true, () -> true, lag)) {
            lag.refresh();
            assertThat(get(server, "/lag/fetch").body()).isEqualTo("{\"stage\":\"fetch\",\"lag\":0}");
            List<String> fetchLines = get(server, "/metrics").body().lines()
                    .filter(l -> l.startsWith("sluice_stage_lag{") && l.contains("stage=\"fetch\"")).toList();
            assertThat(fetchLines).hasSize(8).allMatch(l -> l.endsWith(" 0.0") || l.endsWith(" 0"));

            produceUncommittedGroupWork(5);
            lag.refresh();
            assertThat(get(server, "/lag/fetch").body()).isEqualTo("{\"stage\":\"fetch\",\"lag\":5}");
            assertThat(get(server, "/lag/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldTurnReadyOnceTheStagesRunAndExportTheirKafkaMetrics() throws Exception {
        try (Pipeline p = PipelineRun.on(env, env.dir("links"), hn.baseUrl()).set("stages", "links,fetch,threads").build()) {
            PrometheusMeterRegistry registry = ProcessMetrics.registry(p.stages());
            try (MetricsServer server = new MetricsServer(0, registry, p::isLive, p::isReady, null)) {
                assertThat(get(server, "/readyz").statusCode()).as("not started yet").isEqualTo(503);
                p.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (get(server, "/readyz").statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
                assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
                String metrics = get(server, "/metrics").body();
                assertThat(metrics).contains("sluice_stage_records_in_total{stage=\"links\"}")
                        .as("the Streams metrics of the stateful threads stage").contains("kafka_stream_")
                        .contains("sluice_stage_stalled_partitions{stage=\"fetch\"}")
                        .contains("sluice_stage_records_in_total{stage=\"fetch\"}").contains("kafka_consumer_")
                        .contains("kafka_producer_").contains("jvm_memory_used_bytes");
                Map<String, String[]> rows = status();
                assertThat(rows.get("links")).as("PARTS, INSTANCES of links").satisfies(r -> {
                    assertThat(r[2]).isEqualTo("8");
                    assertThat(r[7]).isEqualTo("1");
                });
                assertThat(rows.get("fetch")[7]).as("INSTANCES of fetch").isEqualTo("1");
                assertThat(rows.get("watermark")[7]).as("no watermark runs now").isEqualTo("0");
                assertThat(rows.get("store")[5]).as("a sink has no output topic").isEqualTo("-");
            }
        }
    }

    /** `sluice status` rows by stage, split on whitespace. */
    private static Map<String, String[]> status() throws Exception {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute("status", "--bootstrap-servers", env.bootstrapServers(), "--data-dir",
                    env.dir("status").toString(), "--interval-ms", "300")).isZero();
        } finally {
            System.setOut(original);
        }
        Map<String, String[]> rows = new HashMap<>();
        buf.toString(java.nio.charset.StandardCharsets.UTF_8).lines().skip(1).map(l -> l.trim().split("\\s+"))
                .forEach(r -> rows.put(r[0], r));
        assertThat(rows.keySet()).containsAll(StageCatalog.names());
        return rows;
    }

    private static long rawLag(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            long raw = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                raw += e.getValue().offset() - committed.get(e.getKey()).offset();
            }
            return raw;
        }
    }

    private static void produceUncommittedGroupWork(int n) {
        Map<String, Object> p = new HashMap<>(env.clientProps());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(HnTopics.ITEM_IDS, 0, null, new byte[] {1}));
            }
        }
    }

    private static HttpResponse<String> get(MetricsServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
