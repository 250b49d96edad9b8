package dev.sluice.topology;

import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.registry.SchemaRegistryConfig;
import dev.sluice.topology.embedded.EmbeddedKafka;
import dev.sluice.topology.embedded.EmbeddedPostgres;
import dev.sluice.topology.embedded.EmbeddedRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and the schema registry for a command: the configured external ones, the ones a
 * running {@code sluice run} on the same data dir started (found through {@code data.dir/endpoints.properties}),
 * or embedded ones started here. A command that needs the registry gets the process-wide
 * {@link SchemaRegistries} configured before any stage is built.
 */
public final class Infrastructure implements AutoCloseable {
    private final java.util.Deque<AutoCloseable> first = new java.util.ArrayDeque<>();
    private final Thread shutdownHook = new Thread(this::close, "sluice-shutdown");
    private boolean closed;
    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final String bootstrap;
    private final String jdbcUrl;
    private final Map<String, Object> clientProps;
    private EmbeddedKafka kafka;
    private EmbeddedPostgres postgres;
    private EmbeddedRegistry registry;
    private String registryUrl = "";
    private EndpointsFile endpoints;

    private Infrastructure(SluiceConfig config, boolean needKafka, boolean needDb, boolean needRegistry) throws Exception {
        Path dataDir = Path.of(config.getString(SluiceConfig.DATA_DIR_CONFIG));
        Optional<Properties> live = new EndpointsFile(dataDir).live();
        String b = config.getString(SluiceConfig.BOOTSTRAP_SERVERS_CONFIG);
        String d = config.getPassword(SluiceConfig.DB_URL_CONFIG).value();
        if (b.isBlank() && live.isPresent()) {
            b = live.get().getProperty("bootstrap.servers");
        }
        if (d.isBlank() && live.isPresent()) {
            d = live.get().getProperty("db.url");
        }
        if (b.isBlank() && needKafka) {
            kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
            b = kafka.bootstrapServers();
        }
        if (d.isBlank() && needDb) {
            postgres = EmbeddedPostgres.start(dataDir.resolve("pg"));
            d = postgres.jdbcUrl();
        }
        this.bootstrap = b;
        this.jdbcUrl = d;
        if (needRegistry) {
            openRegistry(new SchemaRegistryConfig(config.originals()), dataDir, live);
        }
        this.clientProps = new HashMap<>(config.kafkaPassThrough());
        clientProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b);
        if (kafka != null || postgres != null || registry != null) {
            endpoints = new EndpointsFile(dataDir);
            endpoints.publish(bootstrap, jdbcUrl, registryUrl);
        }
        takeOverShutdown();
    }

    /**
     * One shutdown hook for the process: first what was handed to {@link #closeFirst} (the pipeline,
     * the metrics server), newest first, then the embedded services in reverse start order, so the
     * stages never lose their broker or database while they stop.
     */
    private void takeOverShutdown() {
        for (Object s : new Object[] {kafka, postgres, registry}) {
            if (s instanceof EmbeddedKafka k) {
                k.handOverShutdown();
            } else if (s instanceof EmbeddedPostgres pg) {
                pg.handOverShutdown();
            } else if (s instanceof EmbeddedRegistry r) {
                r.handOverShutdown();
            }
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Closes {@code c} before the embedded services, on {@link #close} and on JVM shutdown (SIGTERM). */
    public void closeFirst(AutoCloseable c) {
        first.push(c);
    }

    /** Opens what a command needs, without the schema registry. */
    public static Infrastructure open(SluiceConfig config, boolean needKafka, boolean needDb) throws Exception {
        return new Infrastructure(config, needKafka, needDb, false);
    }

    /** Opens what a command needs; with {@code needRegistry} the serdes' registry is configured too. */
    public static Infrastructure open(SluiceConfig config, boolean needKafka, boolean needDb, boolean needRegistry)
            throws Exception {
        return new Infrastructure(config, needKafka, needDb, needRegistry);
    }

    /** The external registry, a running sluice's, or the embedded one with its H2 storage under data.dir/registry. */
    private void openRegistry(SchemaRegistryConfig rc, Path dataDir, Optional<Properties> live) throws Exception {
        String url = rc.url();
        if (url.isBlank() && live.isPresent()) {
            url = live.get().getProperty(SchemaRegistryConfig.URL_CONFIG, "");
        }
        if (url.isBlank()) {
            registry = EmbeddedRegistry.start(dataDir.resolve("registry"), true);
            url = registry.url();
        }
        registryUrl = url;
        SchemaRegistries.configure(rc.client(url), rc.autoRegister(), url);
    }

    /**
     * Settles the topics' schemas before any stage writes ({@link StartupSchemas}): registers them in the
     * embedded registry, or checks an external one holds them. Closes this on failure; returns this.
     */
    public Infrastructure requireSchemas() throws IOException {
        try {
            if (registryUrl.isEmpty()) {
                throw new IllegalStateException("requireSchemas() needs the infrastructure opened with the registry");
            }
            StartupSchemas.prepare(SchemaRegistries.require(), registry != null);
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The schema registry's URL; empty unless opened with {@code needRegistry}. */
    public String schemaRegistryUrl() {
        return registryUrl;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Kafka client properties: bootstrap servers plus pass-through settings. */
    public Map<String, Object> clientProps() {
        return Map.copyOf(clientProps);
    }

    @Override
    public void close() {
        synchronized (first) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called by the hook itself
        }
        while (!first.isEmpty()) {
            try {
                first.pop().close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", e.getClass().getSimpleName(), e.toString());
            }
        }
        if (endpoints != null) {
            endpoints.remove();
        }
        if (registry != null) {
            registry.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
