package dev.sluice.topology.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the machine's binaries (initdb, pg_ctl), listening on 127.0.0.1 only;
 * superuser and database are both named {@code sluice}, and every login needs the superuser's random
 * password (SCRAM-SHA-256, see {@link PgAuth}), which {@link #jdbcUrl()} carries. When this JVM runs as
 * root, the server runs as user {@code nobody}, since PostgreSQL refuses to run as root ({@link PgHome}
 * says where the cluster then lives).
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String password;
    private final Thread hook = new Thread(this::close, "embedded-postgres-stop");
    private boolean stopped;

    private EmbeddedPostgres(Path bin, Path dir, int port, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a server on a free port for the cluster in {@code dataDir}: runs initdb first if there is no cluster
     * yet (with a new password in {@code <dataDir>.password}), stops a server that a killed parent left running
     * there, gives a cluster of an earlier version that trusted every login the password, and creates database
     * {@code sluice}.
     *
     * @throws Exception if the binaries are missing or the server does not start; the message then holds the
     *     tail of postgres.log
     */
    public static EmbeddedPostgres start(Path dataDir) throws Exception {
        long t0 = System.nanoTime();
        Path bin = PgTools.binDir();
        Path pwFile = PgAuth.fileFor(dataDir);
        Path dir = PgHome.place(dataDir);
        String password = prepareCluster(bin, dir, pwFile);
        int port = ChildProcesses.freePort();
        try {
            PgTools.exec(dir, PgTools.pg(bin, "pg_ctl", "start", "-D", dir.toString(), "-l", dir.resolve("postgres.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1"
                    + " -c unix_socket_directories=''"));
        } catch (IllegalStateException e) {
            PgTools.run(dir, PgTools.pg(bin, "pg_ctl", "stop", "-D", dir.toString(), "-m", "immediate"), new StringBuilder());
            throw new IllegalStateException(e.getMessage() + "\nlast lines of " + dir.resolve("postgres.log") + ":\n"
                    + ChildProcesses.tail(dir.resolve("postgres.log")), e);
        }
        EmbeddedPostgres pg = new EmbeddedPostgres(bin, dir, port, password);
        pg.createDatabase();
        log.info("PostgreSQL ready on 127.0.0.1:{} in {} ms (data in {})", port, ChildProcesses.millisSince(t0), dir);
        return pg;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/sluice?user=sluice&password=...}: a secret, not to be logged. */
    public String jdbcUrl() {
        return url("sluice");
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=sluice&password=" + password;
    }

    /**
     * Hands the stopping of this server on JVM shutdown to the caller, who then closes it in order
     * (after the stages that use it) instead of the JVM stopping it at once beside them.
     */
    public void handOverShutdown() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // too late: the JVM is stopping
        }
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
                PgTools.exec(dir, PgTools.pg(bin, "pg_ctl", "stop", "-D", dir.toString(), "-m", "fast", "-w"));
                log.debug("PostgreSQL stopped");
            } catch (Exception e) {
                log.warn("Stopping PostgreSQL in {} failed: {}", dir, e.toString());
            }
        }
    }

    /**
     * initdb if {@code dir} holds no cluster; otherwise stops an orphaned server still running on it and gives a
     * trust cluster of an earlier version the password. Returns the password.
     */
    private static String prepareCluster(Path bin, Path dir, Path pwFile) throws Exception {
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            String password = PgAuth.loadOrCreate(pwFile);
            initdb(bin, dir, password);
            return password;
        }
        if (Files.exists(dir.resolve("postmaster.pid"))
                && PgTools.run(dir, PgTools.pg(bin, "pg_ctl", "status", "-D", dir.toString()), new StringBuilder()) == 0) {
            log.warn("Stopping the orphaned PostgreSQL server of a previous run in {}", dir);
            PgTools.exec(dir, PgTools.pg(bin, "pg_ctl", "stop", "-D", dir.toString(), "-m", "fast", "-w"));
        }
        boolean trust = PgAuth.trusts(dir);
        if (!trust && !Files.exists(pwFile)) {
            throw new IllegalStateException("the PostgreSQL cluster in " + dir + " needs the password that was in "
                    + pwFile + ", which is missing: restore that file, or delete " + dir + " (losing its data) to start"
                    + " afresh");
        }
        String password = PgAuth.loadOrCreate(pwFile);
        if (trust) {
            requirePassword(bin, dir, password);
        }
        return password;
    }

    private static void initdb(Path bin, Path dir, String password) throws Exception {
        long t0 = System.nanoTime();
        Path pwfile = PgAuth.ownerOnlyFile(Path.of(System.getProperty("java.io.tmpdir")), password,
                PgHome.ROOT ? PgHome.SERVER_USER : null);
        try {
            PgTools.exec(dir, PgTools.pg(bin, "initdb", "-D", dir.toString(), "-U", "sluice", "--auth=scram-sha-256",
                    "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        PgAuth.writeHba(dir);
        log.debug("Created a PostgreSQL cluster in {} in {} ms", dir, ChildProcesses.millisSince(t0));
    }

    /**
     * A cluster an earlier version initialised with trust authentication: sets the superuser's password in
     * single-user mode (the server is not listening yet, the password goes through stdin) and replaces
     * pg_hba.conf.
     */
    private static void requirePassword(Path bin, Path dir, String password) throws Exception {
        String sql = "ALTER ROLE sluice PASSWORD '" + password + "';\n";
        StringBuilder out = new StringBuilder();
        List<String> cmd = PgTools.pg(bin, "postgres", "--single", "-D", dir.toString(), "-c", "password_encryption=scram-sha-256",
                "postgres");
        if (PgTools.run(dir, cmd, sql, out) != 0 || out.indexOf("ERROR") >= 0 || out.indexOf("FATAL") >= 0) {
            throw new IllegalStateException("setting a password on the trust-authenticated PostgreSQL cluster in " + dir
                    + " failed: " + out.toString().replace(password, "***").trim() + "; delete " + dir + " (losing its data) to start afresh");
        }
        PgAuth.writeHba(dir);
        log.info("The PostgreSQL cluster in {} trusted every login (an earlier version): it now needs the password", dir);
    }

    private void createDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement st = c.createStatement()) {
            if (!st.executeQuery("select 1 from pg_database where datname = 'sluice'").next()) {
                st.execute("create database sluice");
                log.debug("Created database sluice");
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }
}
