package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Names;
import dev.sluice.runtime.StageRegistry;
import dev.sluice.topology.Pipeline;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.cli.SluiceCli;
import dev.sluice.topology.k8s.K8sManifests;
import dev.sluice.topology.plugin.ShoutStage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage dropped in from its own jar — one class and its ServiceLoader line, nothing else edited —
 * is discovered, runs exactly once on the real broker, shows in {@code status} and gets manifests.
 */
class PluginStageIT {
    private static ItEnv env;
    private static ClassLoader previous;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void loadThePluginJar() throws Exception {
        env = ItEnv.start("plugin");
        Path jar = PluginJars.pack(tmp.resolve("shout-stage.jar"), ShoutStage.class);
        previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous));
        StageRegistry.reload();
    }

    @AfterAll
    static void unload() {
        Thread.currentThread().setContextClassLoader(previous);
        StageRegistry.reload();
        env.close();
    }

    @Test
    void shouldDiscoverTheStageOfAJarAmongTheBuiltInOnes() {
        assertThat(StageCatalog.names()).contains(ShoutStage.NAME, "fetch", "store");
        assertThat(StageCatalog.topics()).contains(ShoutStage.IN, ShoutStage.OUT, ShoutStage.IN + ".dlq");
    }

    @Test
    void shouldGiveThePluginStageItsDeploymentAndScaler() {
        Map<String, String> files = new K8sManifests(8, 9400, Names.DEFAULT).files();
        assertThat(files.keySet()).anyMatch(f -> f.contains(ShoutStage.NAME));
        assertThat(String.join("\n", files.values())).contains("sluice-" + ShoutStage.NAME);
    }

    @Test
    void shouldRunThePluginStageExactlyOnceAndShowItInStatus() throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(SluiceConfig.STAGES_CONFIG, ShoutStage.NAME,
                SluiceConfig.DATA_DIR_CONFIG, env.dir("data").toString(), SluiceConfig.INSTANCE_ID_CONFIG, "plugin-it",
                SluiceConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()));
        try (Pipeline p = new Pipeline(new SluiceConfig(props), env.clientProps(), null)) {
            p.start();
            produce(List.of("a", "b", "c", "d", "e"));
            List<ConsumerRecord<byte[], byte[]>> out = awaitRecords(ShoutStage.OUT, 5, Duration.ofSeconds(60));
            assertThat(out).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("A!", "B!", "C!", "D!", "E!");
            assertThat(status()).contains(ShoutStage.NAME);
        }
    }

    private static String status() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SluiceCli.execute("status", "--bootstrap-servers", env.bootstrapServers(), "--interval-ms", "100");
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void produce(List<String> values) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<>(env.clientProps()),
                new StringSerializer(), new StringSerializer())) {
            values.forEach(v -> Sends.confirmed(producer, new ProducerRecord<>(ShoutStage.IN, v, v)));
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = TopicReader.readAll(env.clientProps(), topic);
            if (seen.size() >= n) {
                Thread.sleep(1_000); // a duplicate would show up by now
                return TopicReader.readAll(env.clientProps(), topic);
            }
            Thread.sleep(200);
        }
        return seen;
    }
}
