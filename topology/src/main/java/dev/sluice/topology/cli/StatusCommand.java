package dev.sluice.topology.cli;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice status}: per stage, partitions, lag (0 when nothing is left, also under exactly-once),
 * records/s in and out, dead-lettered records and instances (members of the stage's consumer group).
 * Rates are the change between two readings {@code --interval-ms} apart; {@code --watch} refreshes.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Per stage: partitions, lag, records/s in and out, dead-lettered, instances.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Option(names = "--watch", description = "Refresh until interrupted.")
    boolean watch;

    @Option(names = "--interval-ms", description = "Time between readings, for the rates (default ${DEFAULT-VALUE}).")
    long intervalMs = 2_000;

    @Override
    public Integer call() throws Exception {
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        try (Infrastructure infra = Infrastructure.open(config, true, false);
             Admin admin = Admin.create(new HashMap<>(infra.clientProps()));
             LagMonitor lag = new LagMonitor(admin, infra.clientProps())) {
            StageStatus reader = new StageStatus(admin, lag, config.names());
            Map<String, StageStatus.Reading> before = reader.readAll();
            do {
                Thread.sleep(intervalMs);
                Map<String, StageStatus.Reading> now = reader.readAll();
                print(System.out, before, now, watch, config.names());
                before = now;
            } while (watch);
        }
        return 0;
    }

    static void print(PrintStream out, Map<String, StageStatus.Reading> before, Map<String, StageStatus.Reading> now,
                      boolean clear, Names names) {
        if (clear) {
            out.print("\033[H\033[2J");
        }
        if (!names.prefix().isEmpty()) {
            out.printf("%s: topics and groups below carry it%n", names);
        }
        out.printf("%-16s %-26s %5s %10s %10s %10s %8s %9s%n", "STAGE", "INPUT", "PARTS", "LAG", "IN/S", "OUT/S", "DLQ",
                "INSTANCES");
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            StageStatus.Reading a = before.get(e.name());
            StageStatus.Reading b = now.get(e.name());
            out.printf("%-16s %-26s %5d %10d %10s %10s %8d %9d%n", e.name(), names.topic(e.inputTopic()), b.partitions(), b.lag(),
                    rate(a.consumed(), b.consumed(), a, b), e.outputTopic().isEmpty() ? "-" : rate(a.produced(), b.produced(), a, b),
                    b.deadLettered(), b.instances());
        }
        for (StageDefinition<?, ?, ?, ?> e : StageCatalog.entries()) {
            now.get(e.name()).stalls().forEach(s -> out.printf("%s: %s%n", e.name(), s));
        }
        out.flush();
    }

    private static String rate(long from, long to, StageStatus.Reading a, StageStatus.Reading b) {
        double seconds = (b.atNanos() - a.atNanos()) / 1e9;
        return seconds <= 0 ? "-" : String.format("%.1f", Math.max(0, to - from) / seconds);
    }
}
