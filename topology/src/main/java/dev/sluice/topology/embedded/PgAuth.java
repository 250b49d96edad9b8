package dev.sluice.topology.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password authentication of the embedded PostgreSQL. The superuser's password is made once from
 * {@link SecureRandom} (24 bytes, base64url) and kept beside the cluster in {@code <data dir>.password}
 * (e.g. {@code data/pg.password}), mode 0600, owned by the user running sluice; the server's own user
 * never reads it. pg_hba.conf admits SCRAM-SHA-256 logins over loopback TCP only (the server has no
 * Unix socket).
 */
final class PgAuth {
    private static final Logger log = LoggerFactory.getLogger(PgAuth.class);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final String HBA = "# Written by sluice: password logins (SCRAM-SHA-256) over loopback TCP only.\n"
            + "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
            + "host    all       all   127.0.0.1/32  scram-sha-256\n"
            + "host    all       all   ::1/128       scram-sha-256\n";

    private PgAuth() {
    }

    /** The password file of the cluster whose data dir is {@code dataDir}: {@code data/pg -> data/pg.password}. */
    static Path fileFor(Path dataDir) {
        Path abs = dataDir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".password");
    }

    /** The password kept in {@code file}; a new random one, written with mode 0600, if there is none. */
    static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                log.warn("{} was readable by others: setting its mode to 0600", file);
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String password = Files.readString(file).trim();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty: restore the PostgreSQL password it held");
            }
            return password;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        Path tmp = ownerOnlyFile(file.getParent(), password, null);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        log.debug("Generated the embedded PostgreSQL password in {} (mode 0600)", file);
        return password;
    }

    /**
     * A temporary file of mode 0600 holding {@code password}, for {@code initdb --pwfile}; owned by
     * {@code owner} (the server's user) when not null. The caller deletes it.
     */
    static Path ownerOnlyFile(Path dir, String password, String owner) throws IOException {
        Path f = Files.createTempFile(dir, ".pwfile", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(f, password + "\n");
        if (owner != null) {
            UserPrincipal user = f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
            Files.setOwner(f, user);
        }
        return f;
    }

    /** Whether the cluster's pg_hba.conf admits a login without a password (earlier versions used trust). */
    static boolean trusts(Path cluster) throws IOException {
        Path hba = cluster.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readAllLines(hba).stream().map(String::trim)
                .filter(l -> !l.startsWith("#") && !l.isEmpty())
                .anyMatch(l -> l.matches(".*\\strust(\\s.*)?"));
    }

    /** Replaces the cluster's pg_hba.conf with {@link #HBA}. */
    static void writeHba(Path cluster) throws IOException {
        Files.writeString(cluster.resolve("pg_hba.conf"), HBA);
    }
}
