package dev.sluice.topology.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the machine's binaries (initdb, pg_ctl), listening on 127.0.0.1 only with
 * trust authentication; superuser and database are both named {@code sluice}. When this JVM runs as root, the
 * server runs as user {@code nobody}, since PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path dir;
    private final int port;
    private final Thread hook = new Thread(this::close, "embedded-postgres-stop");
    private boolean stopped;

    private EmbeddedPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a server on a free port for the cluster in {@code dataDir}: runs initdb first if there is no cluster
     * yet, stops a server that a killed parent left running there, and creates database {@code sluice}.
     *
     * @throws Exception if the binaries are missing or the server does not start; the message then holds the
     *     tail of postgres.log
     */
    public static EmbeddedPostgres start(Path dataDir) throws Exception {
        long t0 = System.nanoTime();
        Path bin = binDir();
        Path dir = Files.createDirectories(dataDir).toAbsolutePath();
        if (ROOT) {
            exec(dir, List.of("chown", "-R", "nobody", dir.toString()));
        }
        prepareCluster(bin, dir);
        int port = ChildProcesses.freePort();
        try {
            exec(dir, pg(bin, "pg_ctl", "start", "-D", dir.toString(), "-l", dir.resolve("postgres.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1"
                    + " -c unix_socket_directories=''"));
        } catch (IllegalStateException e) {
            run(dir, pg(bin, "pg_ctl", "stop", "-D", dir.toString(), "-m", "immediate"), new StringBuilder());
            throw new IllegalStateException(e.getMessage() + "\nlast lines of " + dir.resolve("postgres.log") + ":\n"
                    + ChildProcesses.tail(dir.resolve("postgres.log")), e);
        }
        EmbeddedPostgres pg = new EmbeddedPostgres(bin, dir, port);
        pg.createDatabase();
        log.info("PostgreSQL ready on 127.0.0.1:{} in {} ms (data in {})", port, ChildProcesses.millisSince(t0), dir);
        return pg;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/sluice?user=sluice}; no password is needed. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/sluice?user=sluice";
    }

    /** Stops the server with {@code pg_ctl stop -m fast}. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called by the hook itself
        }
        if (!stopped) {
            stopped = true;
            try {
                exec(dir, pg(bin, "pg_ctl", "stop", "-D", dir.toString(), "-m", "fast", "-w"));
                log.info("PostgreSQL stopped");
            } catch (Exception e) {
                log.warn("Stopping PostgreSQL in {} failed: {}", dir, e.toString());
            }
        }
    }

    /** initdb if {@code dir} holds no cluster; otherwise stop an orphaned server still running on it. */
    private static void prepareCluster(Path bin, Path dir) throws Exception {
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            long t0 = System.nanoTime();
            exec(dir, pg(bin, "initdb", "-D", dir.toString(), "-U", "sluice", "--auth=trust", "-E", "UTF8",
                    "--locale=C"));
            log.info("Created a PostgreSQL cluster in {} in {} ms", dir, ChildProcesses.millisSince(t0));
        } else if (Files.exists(dir.resolve("postmaster.pid"))
                && run(dir, pg(bin, "pg_ctl", "status", "-D", dir.toString()), new StringBuilder()) == 0) {
            log.warn("Stopping the orphaned PostgreSQL server of a previous run in {}", dir);
            exec(dir, pg(bin, "pg_ctl", "stop", "-D", dir.toString(), "-m", "fast", "-w"));
        }
    }

    private void createDatabase() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=sluice";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            if (!st.executeQuery("select 1 from pg_database where datname = 'sluice'").next()) {
                st.execute("create database sluice");
                log.info("Created database sluice");
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** SLUICE_PG_BIN (system property, then environment), the newest /usr/lib/postgresql/N/bin, pg_config. */
    static Path binDir() {
        Optional<Path> configured =
                Optional.ofNullable(System.getProperty("SLUICE_PG_BIN", System.getenv("SLUICE_PG_BIN"))).map(Path::of);
        return Stream.of(configured, debianBinDir(), pgConfigBinDir()).flatMap(Optional::stream)
                .filter(d -> Files.isExecutable(d.resolve("pg_ctl"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found: install Debian's "
                        + "postgresql package (apt-get install postgresql) or set SLUICE_PG_BIN, or pass --db-url"));
    }

    private static Optional<Path> debianBinDir() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> pgConfigBinDir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Optional.of(Path.of(out)) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    /** A PostgreSQL command line, run as user {@code nobody} when this JVM runs as root. */
    private static List<String> pg(Path bin, String tool, String... args) {
        List<String> cmd = new ArrayList<>(ROOT ? List.of("runuser", "-u", "nobody", "--") : List.of());
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private static void exec(Path dir, List<String> cmd) throws Exception {
        StringBuilder out = new StringBuilder();
        if (run(dir, cmd, out) != 0) {
            boolean denied = ROOT && out.indexOf("Permission denied") >= 0;
            throw new IllegalStateException("Command failed: " + String.join(" ", cmd) + "\n" + out + (denied
                    ? "(PostgreSQL runs as user nobody, which needs access to " + dir + " and its parents)" : ""));
        }
    }

    private static int run(Path dir, List<String> cmd, StringBuilder out) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        log.debug("{}: {}", cmd, out.toString().trim());
        return p.waitFor();
    }



}
