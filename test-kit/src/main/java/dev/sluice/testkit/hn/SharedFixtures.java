package dev.sluice.testkit.hn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates the shared fixture directory ({@code shared/}, holding {@code fixtures/hn}): the system
 * property {@code sluice.shared.dir} if set, else the environment variable {@code SLUICE_SHARED_DIR},
 * else the first directory named {@code shared} beside the working directory or any of its ancestors.
 * Fails with a message naming every place it looked rather than skipping tests.
 */
public final class SharedFixtures {

    private static final String HN = "fixtures/hn";

    private SharedFixtures() {
    }

    /** The shared fixture directory. */
    public static Path dir() {
        String explicit = System.getProperty("sluice.shared.dir");
        String source = "system property sluice.shared.dir";
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv("SLUICE_SHARED_DIR");
            source = "environment variable SLUICE_SHARED_DIR";
        }
        if (explicit != null && !explicit.isBlank()) {
            Path dir = Path.of(explicit).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir.resolve(HN))) {
                throw new IllegalStateException(source + " is " + dir + ", which has no " + HN + " directory");
            }
            return dir;
        }
        return searchUpwards();
    }

    /** The 3,000 real items 25576000..25578999, one API item a line. */
    public static Path hnItems() {
        return file("items-25576000-25578999.jsonl");
    }

    /** The six examples of the API documentation (story, comment, Ask HN, job, poll, pollopt). */
    public static Path hnApiDocExamples() {
        return file("api-doc-examples.jsonl");
    }

    /** A file of the PDF corpus, e.g. {@code corpus("scanned/gzip.1.pdf")}. */
    public static Path corpus(String relative) {
        Path file = dir().resolve("corpus").resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared corpus file " + file + " is missing");
        }
        return file;
    }

    private static Path file(String name) {
        Path file = dir().resolve(HN).resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("shared fixture " + file + " is missing");
        }
        return file;
    }

    private static Path searchUpwards() {
        Path start = Path.of("").toAbsolutePath().normalize();
        List<Path> tried = new ArrayList<>();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve(HN))) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalStateException("shared fixtures not found: set -Dsluice.shared.dir=... or "
                + "SLUICE_SHARED_DIR to the directory holding " + HN + "; looked in " + tried);
    }
}
