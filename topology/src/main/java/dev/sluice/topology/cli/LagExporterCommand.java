package dev.sluice.topology.cli;

import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import dev.sluice.topology.metrics.Endpoints;
import dev.sluice.topology.metrics.ProcessMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sluice lag-exporter}: serves the exactly-once-correct lag of every stage ({@code /metrics}
 * gauge {@code sluice_stage_lag}, {@code /lag/<stage>} JSON) from one always-on pod, so a stage scaled
 * to zero still has a lag to be woken up by.
 */
@Command(name = "lag-exporter", mixinStandardHelpOptions = true,
        description = "Serve every stage's lag (0 when nothing is left, also under exactly-once) for the scalers.")
final class LagExporterCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        if (config.getInt(SluiceConfig.METRICS_PORT_CONFIG) == 0) {
            throw new IllegalArgumentException("the lag exporter serves nothing with metrics.port=0; set a port");
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Endpoints> self = new AtomicReference<>();
        try (Infrastructure infra = Infrastructure.open(config, true, false)) {
            // ready once every stage's lag was read
            Endpoints endpoints = Endpoints.start(config, ProcessMetrics.registry(List.of()), StageCatalog.entries(),
                    infra.clientProps(), () -> true, () -> self.get() != null && self.get().lagRead());
            self.set(endpoints);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                endpoints.close();
                stop.countDown();
            }, "sluice-lag-exporter-shutdown"));
            stop.await();
        }
        return 0;
    }
}
