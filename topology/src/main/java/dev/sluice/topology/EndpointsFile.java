package dev.sluice.topology;

import dev.sluice.schemas.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code data.dir/endpoints.properties}: where a running {@code sluice run} publishes the embedded
 * services it started (mode 0600: the database URL holds the embedded PostgreSQL's password), so
 * that other commands on the same data dir use them. Removed when that process stops.
 */
final class EndpointsFile {
    private static final Logger log = LoggerFactory.getLogger(EndpointsFile.class);
    private static final String NAME = "endpoints.properties";

    private final Path file;

    EndpointsFile(Path dataDir) {
        this.file = dataDir.resolve(NAME);
    }

    /** The endpoints of a live sluice process on this data dir, if one published them. */
    Optional<Properties> live() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        long pid = Long.parseLong(p.getProperty("pid", "-1"));
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
            log.info("using the services of the running sluice process {}", pid);
        }
        return alive ? Optional.of(p) : Optional.empty();
    }

    /** Publishes this process's endpoints. */
    void publish(String bootstrap, String jdbcUrl, String registryUrl) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("db.url", jdbcUrl);
        p.setProperty(SchemaRegistryConfig.URL_CONFIG, registryUrl);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "services of the sluice process with this pid (mode 0600: db.url holds the embedded"
                    + " PostgreSQL's password); removed when it stops");
        }
    }

    void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", file, e.toString());
        }
    }
}
