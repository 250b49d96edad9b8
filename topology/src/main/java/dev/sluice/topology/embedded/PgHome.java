package dev.sluice.topology.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an embedded cluster lives and as whom its server runs. PostgreSQL refuses to run as root, so
 * when this JVM runs as root the server runs as {@value #SERVER_USER}, which must own the cluster and
 * reach it through every parent directory. When it cannot — a first run in {@code /root/sluice}, whose
 * parent {@code /root} is 0700 — the cluster lives in {@code /var/lib/sluice/pg-<hash of the data dir>}
 * (owned by nobody, 0700) and the data dir becomes a symbolic link to it, so the cluster goes with the
 * data dir: deleting {@code ./data} (make clean) discards it on the next start.
 */
final class PgHome {
    private static final Logger log = LoggerFactory.getLogger(PgHome.class);
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    static final String SERVER_USER = "nobody";
    static final Path RUNTIME = Path.of("/var/lib/sluice");

    private PgHome() {
    }

    /** The directory of the cluster of {@code dataDir}, created, owned by the server's user. */
    static Path place(Path dataDir) throws Exception {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (!ROOT) {
            return Files.createDirectories(dir);
        }
        if (Files.isSymbolicLink(dir) && Files.isDirectory(dir)) {
            Path target = dir.toRealPath();
            if (!reachable(target)) {
                throw new IllegalStateException("PostgreSQL runs as " + SERVER_USER + ", which cannot reach " + target
                        + " (the cluster " + dir + " links to): make its parents world-searchable (chmod o+x)");
            }
            return own(target);
        }
        if (Files.isSymbolicLink(dir)) {
            Files.delete(dir); // dangling: the cluster it linked to is gone
        }
        Files.createDirectories(dir);
        return reachable(dir) ? own(dir) : relocate(dir);
    }

    /** {@code /var/lib/sluice/pg-<first 12 hex digits of the SHA-256 of the data dir's absolute path>}. */
    static Path runtimeDirOf(Path dataDir) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(dataDir.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return RUNTIME.resolve("pg-" + HexFormat.of().formatHex(h).substring(0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path relocate(Path dir) throws Exception {
        Path runtime = runtimeDirOf(dir);
        if (Files.exists(runtime)) {
            log.warn("Removing {}: the PostgreSQL cluster of {}, which was deleted", runtime, dir);
            deleteRecursively(runtime);
        }
        Files.createDirectories(RUNTIME, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Files.move(dir, runtime);
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL runs as " + SERVER_USER + ", which cannot reach " + dir
                    + " (a parent directory is private), and moving it to " + runtime + " failed (" + e
                    + "): move it there by hand and leave a symbolic link, or set data.dir to a directory " + SERVER_USER
                    + " can reach", e);
        }
        Files.createSymbolicLink(dir, runtime);
        if (!reachable(runtime)) {
            throw new IllegalStateException("PostgreSQL runs as " + SERVER_USER + ", which can reach neither " + dir
                    + " nor " + runtime + ": make " + RUNTIME + " and its parents world-searchable (chmod o+x)");
        }
        log.debug("PostgreSQL runs as {}, which cannot reach {} (a parent directory is private): the cluster lives in {},"
                + " and {} links to it", SERVER_USER, dir.getParent(), runtime, dir);
        return own(runtime);
    }

    /** Whether the server's user can search every directory down to {@code dir}'s parent. */
    private static boolean reachable(Path dir) throws Exception {
        Process p = new ProcessBuilder(serverCommand(List.of("test", "-x", dir.getParent().toString())))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static Path own(Path dir) throws Exception {
        Process p = new ProcessBuilder("chown", "-R", SERVER_USER, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("chown -R " + SERVER_USER + " " + dir + " failed: " + out.trim());
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** {@code cmd}, run as {@value #SERVER_USER} when this JVM runs as root. */
    static List<String> serverCommand(List<String> cmd) {
        return ROOT ? Stream.concat(Stream.of("runuser", "-u", SERVER_USER, "--"), cmd.stream()).toList() : cmd;
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
