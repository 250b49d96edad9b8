package dev.sluice.topology.it;

import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.topology.embedded.EmbeddedKafka;
import dev.sluice.topology.embedded.EmbeddedPostgres;
import dev.sluice.topology.embedded.EmbeddedRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The JVM-wide real broker (KRaft, child JVM), emptied for each test class ({@link SharedBroker}), a fresh database on the JVM-wide real
 * PostgreSQL, and the JVM-wide real schema registry (Apicurio, in-memory storage, BACKWARD), under
 * {@code target/it/<name>}. The process-wide serdes use that registry, with auto-registration.
 */
public final class ItEnv implements AutoCloseable {
    private static EmbeddedPostgres postgres;
    private static EmbeddedRegistry registry;

    private final Path dir;
    private volatile EmbeddedKafka kafka;
    private final String jdbcUrl;

    private ItEnv(String name) throws Exception {
        this.dir = Path.of("target", "it", name).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        this.kafka = SharedBroker.clean();
        this.jdbcUrl = database(name.toLowerCase().replaceAll("[^a-z0-9]", "_"));
        SchemaRegistries.configure(schemaRegistryUrl(), true);
    }

    /** The JVM-wide real registry's Confluent-compatible URL (started on first use). */
    public static synchronized String schemaRegistryUrl() throws Exception {
        if (registry == null) {
            Path dir = Path.of("target", "it", "registry").toAbsolutePath();
            deleteRecursively(dir);
            registry = EmbeddedRegistry.start(dir, false);
        }
        return registry.url();
    }

    public static ItEnv start(String name) throws Exception {
        return new ItEnv(name);
    }

    private static synchronized EmbeddedPostgres postgres() throws Exception {
        if (postgres == null) {
            Path pg = Path.of("target", "it", "pg").toAbsolutePath();
            deleteRecursively(pg);
            postgres = EmbeddedPostgres.start(pg);
        }
        return postgres;
    }

    /** A fresh database {@code name} on the JVM-wide real PostgreSQL, for ITs that need no broker; its JDBC URL. */
    static String database(String name) throws Exception {
        String base = postgres().jdbcUrl();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return base.replace("/sluice?", "/" + name + "?");
    }

    /** Stops the JVM's broker, waits {@code downtime} and starts it again on the same address and data. */
    public void restartBroker(java.time.Duration downtime) throws Exception {
        kafka = SharedBroker.restart(downtime);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A fresh directory under this environment's folder. */
    public Path dir(String name) throws IOException {
        Path d = dir.resolve(name);
        deleteRecursively(d);
        return Files.createDirectories(d);
    }

    public Map<String, Object> clientProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Nothing to stop: the broker is the JVM's, and the next class empties it. */
    @Override
    public void close() {
    }
}
