package dev.sluice.topology.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry — Apicurio Registry 2.6, serving the Confluent API under {@code /apis/ccompat/v7}
 * with the global BACKWARD rule — in a child JVM on free loopback ports. Its storage is H2 in a file
 * under the data dir (schema ids survive restarts), or in memory for tests. The distribution is unpacked
 * by the build into {@code topology/target/apicurio-registry}; {@code -Dsluice.registry.home} overrides it.
 */
public final class EmbeddedRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
    static final String RUNNER = "apicurio-registry-app-2.6.13.Final-runner.jar";
    private static final String API = "/apis/ccompat/v7";

    private final Path dir;
    private final Process process;
    private final int port;
    private final Thread hook = new Thread(this::close, "embedded-registry-stop");

    private EmbeddedRegistry(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the registry with its logs (and, if {@code persistent}, its H2 database) under {@code dataDir},
     * after stopping an orphan a killed parent left there, and waits until its API answers.
     */
    public static EmbeddedRegistry start(Path dataDir, boolean persistent) throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(dataDir).toAbsolutePath();
        ChildProcesses.killOrphan(dir.resolve("registry.pid"), RUNNER, "schema registry");
        int port = ChildProcesses.freePort();
        String db = persistent ? "jdbc:h2:file:" + dir.resolve("db").resolve("registry") : "jdbc:h2:mem:registry_db";
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + ChildProcesses.freePort(), "-Dregistry.rules.global.compatibility=BACKWARD",
                "-Dquarkus.datasource.jdbc.url=" + db, "-jar", runnerJar().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
        Files.writeString(dir.resolve("registry.pid"), Long.toString(p.pid()));
        EmbeddedRegistry r = new EmbeddedRegistry(dir, p, port);
        try {
            r.awaitReady(System.currentTimeMillis() + 60_000);
        } catch (Exception e) {
            r.close();
            throw new IllegalStateException("schema registry failed to start within 60 s (" + e + "); last lines of "
                    + dir.resolve("registry.log") + ":\n" + ChildProcesses.tail(dir.resolve("registry.log")), e);
        }
        log.debug("schema registry ready at {} in {} ms ({} storage in {})", r.url(), (System.nanoTime() - t0) / 1_000_000,
                persistent ? "H2 file" : "in-memory", dir);
        return r;
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + API;
    }

    /** Where the registry runner jar is: {@code sluice.registry.home}, else beside our classes in target/. */
    static Path runnerJar() throws Exception {
        String home = System.getProperty("sluice.registry.home");
        Path base = home != null ? Path.of(home) : Path.of(EmbeddedRegistry.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).getParent().resolve("apicurio-registry");
        Path jar = base.resolve(RUNNER);
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the embedded schema registry is not built: " + jar + " is missing; run"
                    + " `make build`, or give --schema-registry-url of an external registry");
        }
        return jar;
    }

    private void awaitReady(long deadline) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                if (http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the registry exited with code " + process.exitValue(), e);
                } else if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    /**
     * Hands the stopping of this registry on JVM shutdown to the caller, who then closes it in order
     * (after the stages that use it) instead of the JVM stopping it at once beside them.
     */
    public void handOverShutdown() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // too late: the JVM is stopping
        }
    }

    /** Stops the registry: SIGTERM, up to 15 s, then a forced kill. Idempotent. */
    @Override
    public void close() {
        ChildProcesses.close(process, hook, dir.resolve("registry.pid"), "schema registry");
    }
}
