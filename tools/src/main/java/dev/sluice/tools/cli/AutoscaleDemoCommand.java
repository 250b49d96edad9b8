package dev.sluice.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.cli.ConfigOptions;
import dev.sluice.tools.autoscale.AutoscaleDemo;
import dev.sluice.tools.autoscale.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice autoscale-demo}: a burst on the embedded broker, fetch replicas following the lag, CSV and PNG out. */
@Command(name = "autoscale-demo", mixinStandardHelpOptions = true,
        description = "Show lag driving replicas: a burst of item ids, fetch instances started and stopped by the KEDA/HPA rule.")
final class AutoscaleDemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Option(names = "--hn-items", required = true, description = "Recorded items (JSON lines) the local API serves; their ids make the burst.")
    Path items;

    @Option(names = "--burst", description = "Item ids in the burst, the recorded ids cycled (default ${DEFAULT-VALUE}).")
    int burst = 12_000;

    @Option(names = "--latency-ms", description = "Latency the local API adds per response (default ${DEFAULT-VALUE}).")
    int latencyMs = 20;

    @Option(names = "--concurrency", description = "Requests in flight per fetch instance (default ${DEFAULT-VALUE}).")
    int concurrency = 4;

    @Option(names = "--lag-threshold", description = "Lag per replica (default ${DEFAULT-VALUE}).")
    long lagThreshold = 1_000;

    @Option(names = "--max-replicas", description = "Most replicas, further capped by topic.partitions (default ${DEFAULT-VALUE}).")
    int maxReplicas = 8;

    @Option(names = "--interval-ms", description = "Controller period (default ${DEFAULT-VALUE}).")
    long intervalMs = 2_000;

    @Option(names = "--scale-down-window-ms", description = "Scale-down stabilisation window (default ${DEFAULT-VALUE}; Kubernetes uses 300000).")
    long windowMs = 10_000;

    @Option(names = "--out", description = "Folder of autoscale.csv and autoscale.png (default ${DEFAULT-VALUE}).")
    Path out = Path.of("data", "autoscale");

    @Override
    public Integer call() throws Exception {
        Map<String, String> props = common.collect(Map.of());
        SluiceConfig config = new SluiceConfig(props);
        try (Infrastructure infra = Infrastructure.open(config, true, false, true).requireSchemas();
             HnReplayServer hn = HnReplayServer.builder().items(items).latencyMs(latencyMs).start()) {
            Map<String, String> shared = new HashMap<>(props);
            shared.put(SluiceConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
            shared.put(SluiceConfig.METRICS_PORT_CONFIG, "0");
            shared.put(HnConfig.BASE_URL_CONFIG, hn.baseUrl());
            shared.put(HnConfig.FETCH_CONCURRENCY_CONFIG, Integer.toString(concurrency));
            shared.putIfAbsent(HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG, "50");
            AutoscaleDemo.Settings s = new AutoscaleDemo.Settings(burst, lagThreshold, maxReplicas,
                    config.getInt(SluiceConfig.PARTITIONS_CONFIG), Duration.ofMillis(intervalMs), Duration.ofMillis(windowMs),
                    Duration.ofMinutes(30), out);
            AutoscaleDemo.Result r = AutoscaleDemo.run(shared, infra.clientProps(), ids(items), s);
            int peak = r.samples().stream().mapToInt(Sample::replicas).max().orElse(0);
            double best = r.samples().stream().mapToDouble(Sample::throughput).max().orElse(0);
            System.out.printf("drained %,d ids in %.0f s; replicas peaked at %d, throughput at %.0f records/s%n%s%n%s%n",
                    burst, r.samples().get(r.samples().size() - 1).seconds(), peak, best, r.csv(), r.png());
        }
        return 0;
    }

    /** The ids of the recorded items, in file order. */
    static List<Long> ids(Path jsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<String> lines = Files.lines(jsonl)) {
            return lines.filter(l -> !l.isBlank()).map(l -> {
                try {
                    return mapper.readTree(l).get("id").asLong();
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a JSON item line in " + jsonl + ": " + l, e);
                }
            }).toList();
        }
    }
}
