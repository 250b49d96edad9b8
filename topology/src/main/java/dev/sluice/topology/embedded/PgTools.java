package dev.sluice.topology.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The machine's PostgreSQL server binaries: where they are, and running them (as {@code nobody} when root). */
final class PgTools {
    private static final Logger log = LoggerFactory.getLogger(PgTools.class);

    private PgTools() {
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

    static Optional<Path> debianBinDir() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> pgConfigBinDir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Optional.of(Path.of(out)) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    /** A PostgreSQL command line, run as user {@code nobody} when this JVM runs as root. */
    static List<String> pg(Path bin, String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(Arrays.asList(args));
        return PgHome.serverCommand(cmd);
    }

    static void exec(Path dir, List<String> cmd) throws Exception {
        StringBuilder out = new StringBuilder();
        if (run(dir, cmd, out) != 0) {
            boolean denied = PgHome.ROOT && out.indexOf("Permission denied") >= 0;
            throw new IllegalStateException("Command failed: " + String.join(" ", cmd) + "\n" + out + (denied
                    ? "(PostgreSQL runs as user nobody, which needs access to " + dir + " and its parents)" : ""));
        }
    }

    static int run(Path dir, List<String> cmd, StringBuilder out) throws Exception {
        return run(dir, cmd, "", out);
    }

    static int run(Path dir, List<String> cmd, String stdin, StringBuilder out) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        log.debug("{}: {}", cmd, out.toString().trim());
        return p.waitFor();
    }
}
