package dev.sluice.topology.metrics;

import dev.sluice.stage.StageDefinition;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A process's metrics server with lag gauges for {@code stages}, as configured ({@code metrics.port} 0: none). */
public final class Endpoints implements AutoCloseable {
    private final LagGauges lag;
    private final MetricsServer server;

    private Endpoints(LagGauges lag, MetricsServer server) {
        this.lag = lag;
        this.server = server;
    }

    /** Starts lag gauges and the server, or nothing when {@code metrics.port} is 0. */
    public static Endpoints start(SluiceConfig config, PrometheusMeterRegistry registry, List<StageDefinition<?, ?, ?, ?>> stages,
                                  Map<String, Object> clientProps, BooleanSupplier live, BooleanSupplier ready) throws IOException {
        int port = config.getInt(SluiceConfig.METRICS_PORT_CONFIG);
        if (port == 0) {
            return new Endpoints(null, null);
        }
        LagGauges lag = new LagGauges(stages, clientProps, registry, config.names())
                .start(Duration.ofMillis(config.getLong(SluiceConfig.METRICS_LAG_INTERVAL_MS_CONFIG)));
        try {
            return new Endpoints(lag, new MetricsServer(port, registry, live, ready, lag));
        } catch (IOException e) {
            lag.close();
            throw new IOException("cannot serve metrics on port " + port + " (" + e.getMessage()
                    + "); set metrics.port to a free port, or 0 to serve none", e);
        }
    }

    public boolean lagRead() {
        return lag == null || lag.refreshed();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (lag != null) {
            lag.close();
        }
    }
}
