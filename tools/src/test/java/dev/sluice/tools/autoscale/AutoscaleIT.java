package dev.sluice.tools.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.it.HnExpectations;
import dev.sluice.topology.it.ItEnv;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lag drives replicas: a burst of 12,000 ids on the real broker scales the real fetch stage from zero
 * to the partition count and back to zero, throughput rises with replicas, and every id is fetched
 * exactly once across all the rebalances.
 */
@Tag("long")
class AutoscaleIT {
    private static final int BURST = 12_000;
    private static final int PARTITIONS = 8;
    private static final int CONCURRENCY = 4;
    private static final int LATENCY_MS = 20;
    private static ItEnv env;
    private static HnReplayServer hn;
    private static AutoscaleDemo.Result result;

    @BeforeAll
    static void runDemo() throws Exception {
        env = ItEnv.start("autoscale");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).latencyMs(LATENCY_MS).start();
        Map<String, String> props = new HashMap<>(Map.of(
                SluiceConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                SluiceConfig.DATA_DIR_CONFIG, env.dir("data").toString(),
                SluiceConfig.METRICS_PORT_CONFIG, "0",
                HnConfig.BASE_URL_CONFIG, hn.baseUrl(),
                HnConfig.FETCH_CONCURRENCY_CONFIG, Integer.toString(CONCURRENCY),
                HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG, "50"));
        List<Long> ids = HnExpectations.items().keySet().stream().sorted().toList();
        result = AutoscaleDemo.run(props, env.clientProps(), ids, new AutoscaleDemo.Settings(BURST, 1_000, 8, PARTITIONS,
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(4), env.dir("out")));
    }

    @AfterAll
    static void stop() {
        hn.close();
        env.close();
    }

    @Test
    void shouldScaleFromZeroToThePartitionCountAndBackToZeroOnceDrained() {
        List<Sample> s = result.samples();
        assertThat(s.get(0).replicas()).isZero();
        assertThat(s.stream().mapToInt(Sample::replicas).max().orElseThrow()).isEqualTo(PARTITIONS);
        assertThat(s).allMatch(x -> x.replicas() <= PARTITIONS && x.desired() <= PARTITIONS);
        Sample last = s.get(s.size() - 1);
        assertThat(last.lag()).isZero();
        assertThat(last.replicas()).isZero();
    }

    @Test
    void shouldProcessFasterWithMoreReplicasThanOneReplicaEverCould() {
        // one replica has 4 requests in flight against 20 ms responses: at most 200 records/s
        double oneReplicaCeiling = CONCURRENCY * 1000.0 / LATENCY_MS;
        assertThat(best(5, PARTITIONS)).as("records/s at 5+ replicas; samples:\n%s", csvLines())
                .isGreaterThan(1.5 * oneReplicaCeiling);
        assertThat(best(0, 1)).as("records/s at <= 1 replica").isLessThanOrEqualTo(oneReplicaCeiling * 1.1);
    }

    @Test
    void shouldFetchEveryIdOfTheBurstExactlyOnceAcrossTheRebalances() throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()));
             LagMonitor lag = new LagMonitor(admin, env.clientProps())) {
            assertThat(lag.countRecords(HnTopics.ITEMS)).isEqualTo(BURST);
            assertThat(lag.countRecords(HnTopics.dlq(HnTopics.ITEM_IDS))).isZero();
        }
    }

    @Test
    void shouldWriteTheTimeSeriesAsCsvAndAPngChart() throws Exception {
        List<String> lines = Files.readAllLines(result.csv());
        assertThat(lines.get(0)).isEqualTo("seconds,lag,replicas,records_per_second,desired_replicas");
        assertThat(lines).hasSize(result.samples().size() + 1);
        BufferedImage png = ImageIO.read(result.png().toFile());
        assertThat(png.getWidth()).isEqualTo(960);
    }

    private static double best(int minReplicas, int maxReplicas) {
        return result.samples().stream().filter(x -> x.replicas() >= minReplicas && x.replicas() <= maxReplicas)
                .mapToDouble(Sample::throughput).max().orElse(0);
    }

    private static String csvLines() {
        return result.samples().stream().map(Sample::toString).collect(Collectors.joining("\n"));
    }
}
