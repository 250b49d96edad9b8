package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.topology.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice run} on a fresh machine, everything embedded, in a working directory under a 0700
 * parent (as {@code /root/sluice}; CI runs as root, so PostgreSQL runs as nobody) and without
 * {@code schema.registry.auto.register}: it starts, registers the schemas, stores the items and
 * returns with {@code --exit-when-idle}.
 */
@Tag("long")
class FirstRunIT {
    private static final int ITEMS = 30;

    @Test
    void shouldRunEverythingEmbeddedUnderAPrivateParentAndExitWhenIdle() throws Exception {
        Path root = Path.of("target", "it", "firstrun").toAbsolutePath();
        ItEnv.deleteRecursively(root);
        Path parent = Files.createDirectories(root.resolve("private"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        Path data = parent.resolve("sluice").resolve("data");
        Path log = root.resolve("sluice.log");
        try (HnReplayServer hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).start()) {
            hn.setMaxItem(HnExpectations.FIRST + ITEMS - 1);
            try (SluiceProcess p = SluiceProcess.start(log, List.of("run", "--stages", PipelineRun.HN_STAGES,
                    "--data-dir", data.toString(), "--hn-base-url", hn.baseUrl(), "--hn-from-id",
                    Long.toString(HnExpectations.FIRST), "--poll-interval-ms", "300", "--set", "metrics.port=0",
                    "--exit-when-idle"))) {
                assertThat(p.awaitExit(300)).as("exit code; log:\n%s", p.tail()).isZero();
            }
        }
        assertThat(Files.readString(log)).contains("schemas in the embedded registry");
        Path pg = data.resolve("pg");
        try (EmbeddedPostgres db = EmbeddedPostgres.start(pg)) {
            assertThat(Db.count(db.jdbcUrl(), "SELECT count(*) FROM hn_items")).isEqualTo(ITEMS);
        } finally {
            if (Files.isSymbolicLink(pg)) {
                ItEnv.deleteRecursively(pg.toRealPath());
            }
        }
    }
}
