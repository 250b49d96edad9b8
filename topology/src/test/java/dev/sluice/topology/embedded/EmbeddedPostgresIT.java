package dev.sluice.topology.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL on the machine's real binaries: every login needs the random password kept
 * 0600 beside the cluster, a trust cluster of an earlier version is given it, and a first run as root
 * under a 0700 directory (like /root/sluice) starts, the cluster living where {@code nobody} reaches it.
 */
class EmbeddedPostgresIT {

    @Test
    void shouldRefuseALoginWithoutThePasswordAndAcceptTheOneInTheJdbcUrl() throws Exception {
        Path data = fresh("pg-auth").resolve("pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
            String url = pg.jdbcUrl();
            assertThat(query(url, "select current_user")).isEqualTo("sluice");
            String noPassword = url.substring(0, url.indexOf("&password="));
            assertThatThrownBy(() -> DriverManager.getConnection(noPassword).close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no password was provided");
            assertThatThrownBy(() -> DriverManager.getConnection(noPassword + "&password=guess").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThat(query(url, "select count(*) from pg_hba_file_rules where auth_method <> 'scram-sha-256'"))
                    .isEqualTo("0");
        }
        Path pwFile = data.resolveSibling("pg.password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pwFile))).isEqualTo("rw-------");
        assertThat(Files.getOwner(pwFile).getName()).isEqualTo(System.getProperty("user.name"));
        assertThat(Files.readString(pwFile).trim()).hasSize(32).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void shouldKeepThePasswordAndTheDataAcrossRestarts() throws Exception {
        Path data = fresh("pg-restart").resolve("pg");
        String first;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
            first = pg.jdbcUrl();
            update(first, "create table kept (n int); insert into kept values (42)");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
            assertThat(password(pg.jdbcUrl())).isEqualTo(password(first));
            assertThat(query(pg.jdbcUrl(), "select n from kept")).isEqualTo("42");
        }
    }

    @Test
    void shouldNameTheMissingPasswordFileOfAPasswordCluster() throws Exception {
        Path data = fresh("pg-lost").resolve("pg");
        EmbeddedPostgres.start(data).close();
        Files.delete(data.resolveSibling("pg.password"));
        assertThatThrownBy(() -> EmbeddedPostgres.start(data)).hasMessageContaining("pg.password, which is missing")
                .hasMessageContaining("restore that file");
    }

    @Test
    void shouldGiveATrustClusterOfAnEarlierVersionThePassword() throws Exception {
        Path data = fresh("pg-trust").resolve("pg");
        Path cluster = PgHome.place(data);
        run(PgHome.serverCommand(List.of(PgTools.binDir().resolve("initdb").toString(), "-D",
                cluster.toString(), "-U", "sluice", "--auth=trust", "-E", "UTF8", "--locale=C")));
        assertThat(PgAuth.trusts(cluster)).isTrue();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
            String url = pg.jdbcUrl();
            assertThat(query(url, "select current_user")).isEqualTo("sluice");
            assertThatThrownBy(() -> DriverManager.getConnection(url.substring(0, url.indexOf("&password="))).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("no password was provided");
        }
        assertThat(PgAuth.trusts(cluster)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolveSibling("pg.password"))))
                .isEqualTo("rw-------");
    }

    /** Run as root in CI: nobody cannot search the 0700 directory, as under /root. */
    @Test
    void shouldStartAFirstRunUnderAPrivateDirectoryAndKeepItsClusterWithTheDataDir() throws Exception {
        Path parent = fresh("pg-private");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        Path data = parent.resolve("sluice").resolve("data").resolve("pg");
        Path runtime = PgHome.runtimeDirOf(data);
        try {
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
                update(pg.jdbcUrl(), "create table kept (n int); insert into kept values (7)");
            }
            if (PgHome.ROOT) {
                assertThat(Files.isSymbolicLink(data)).isTrue();
                assertThat(data.toRealPath()).isEqualTo(runtime.toRealPath());
                assertThat(Files.getOwner(runtime, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("nobody");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime))).isEqualTo("rwx------");
            }
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
                assertThat(query(pg.jdbcUrl(), "select n from kept")).isEqualTo("7");
            }
            deleteRecursively(parent.resolve("sluice").resolve("data")); // make clean
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
                assertThat(query(pg.jdbcUrl(), "select count(*) from pg_tables where tablename = 'kept'")).isEqualTo("0");
            }
        } finally {
            if (PgHome.ROOT) {
                deleteRecursively(runtime);
            }
        }
    }

    private static String password(String url) {
        return url.substring(url.indexOf("&password=") + 10);
    }

    private static String query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void update(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static Path fresh(String name) throws Exception {
        Path dir = Path.of("target", "it", name).toAbsolutePath();
        deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    private static void deleteRecursively(Path p) throws Exception {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
