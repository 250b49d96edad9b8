package dev.sluice.schemas.registry;

import dev.sluice.schemas.registry.SchemaGate.Finding;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The compatibility gate, under BACKWARD: every {@code *.avsc} of a directory against its baseline (the
 * same files as last committed, {@link GitBaseline}) or against a registry's latest versions. A subject of
 * the baseline that no schema of the directory is written under any more is refused too: its readers
 * lose their schema. {@code make schemas-check} runs {@link #main} compiled from this package's sources
 * alone with the jars of the schemas module, so the gate needs no build and no generated code (a broken
 * {@code .avsc} is reported, not a failed build); {@code sluice schemas-check} calls the same methods.
 * Exit status: 0 all accepted, 1 a schema refused, 2 a usage error or something unreadable.
 */
public final class SchemasCheck {
    static final String USAGE = "usage: schemas-check [--schemas-dir DIR] [--baseline REV]"
            + " | [--schemas-dir DIR] --schema-registry-url URL [--register]";

    private SchemasCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses the command line of {@link #USAGE}, runs the gate it names and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir = Path.of("schemas");
        String baseline = null;
        String url = null;
        boolean register = false;
        List<String> words = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            words.addAll(a.startsWith("--") && eq > 0 ? List.of(a.substring(0, eq), a.substring(eq + 1)) : List.of(a));
        }
        for (int i = 0; i < words.size(); i++) {
            String option = words.get(i);
            switch (option) {
                case "--register" -> register = true;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--schemas-dir", "--baseline", "--schema-registry-url" -> {
                    if (++i == words.size()) {
                        return usage(err, option + " needs a value");
                    }
                    dir = option.equals("--schemas-dir") ? Path.of(words.get(i)) : dir;
                    baseline = option.equals("--baseline") ? words.get(i) : baseline;
                    url = option.equals("--schema-registry-url") ? words.get(i) : url;
                }
                default -> {
                    return usage(err, "unknown argument '" + option + "'");
                }
            }
        }
        if (url == null && register) {
            return usage(err, "--register needs --schema-registry-url URL (or `./sluice schemas-check --register` for the embedded registry)");
        }
        if (url != null && baseline != null) {
            return usage(err, "--baseline and --schema-registry-url exclude each other: compare with a commit or with a registry");
        }
        if (url == null) {
            return againstBaseline(dir, baseline, out, err);
        }
        SchemaRegistryClient client;
        try {
            client = new SchemaRegistryConfig(Map.of(SchemaRegistryConfig.URL_CONFIG, url)).client(url);
        } catch (RuntimeException e) {
            return usage(err, e.getMessage());
        }
        return againstRegistry(client, url, dir, register, out, err);
    }

    /** The gate against the baseline at {@code rev} (null: the default one); prints the findings and returns the exit status. */
    public static int againstBaseline(Path dir, String rev, PrintStream out, PrintStream err) {
        try {
            GitBaseline.Baseline baseline = new GitBaseline(dir).read(rev);
            out.println("schemas-check: " + dir + " against " + baseline.description());
            return report(check(dir, baseline), baseline.description(), out, err);
        } catch (IOException | RuntimeException e) {
            return failed(err, e);
        }
    }

    /** The gate against the registry {@code client} at {@code url}, registering the accepted schemas with {@code register}. */
    public static int againstRegistry(SchemaRegistryClient client, String url, Path dir, boolean register,
            PrintStream out, PrintStream err) {
        try {
            return report(new SchemaGate(client).check(dir, register), url, out, err);
        } catch (IOException | RuntimeException e) {
            return failed(err, e);
        }
    }

    /** The findings on {@code dir} against {@code baseline}, loaded into an in-process registry with the BACKWARD rule. */
    public static List<Finding> check(Path dir, GitBaseline.Baseline baseline) throws IOException {
        InMemorySchemaRegistry previous = new InMemorySchemaRegistry();
        Map<String, String> fileOf = baselineSubjects(baseline, previous);
        List<Finding> findings = new ArrayList<>(new SchemaGate(previous, baseline.name()).check(dir, false));
        Set<String> written = findings.stream().map(Finding::subject).collect(Collectors.toSet());
        fileOf.keySet().stream().filter(s -> !written.contains(s)).sorted().forEach(s -> findings.add(new Finding(s,
                fileOf.get(s), false, "removed since " + baseline.name() + ": no schema of " + dir + " is written under"
                + " this subject any more, and readers of its topic would lose their schema; restore it, or map the"
                + " subject in " + SchemaGate.SUBJECTS_FILE + " to the file that holds the record now")));
        return findings;
    }

    /** Registers the baseline's schemas in {@code into}; returns the file each subject was written from. */
    private static Map<String, String> baselineSubjects(GitBaseline.Baseline baseline, InMemorySchemaRegistry into)
            throws IOException {
        Path tmp = Files.createTempDirectory("sluice-schemas-baseline");
        try {
            for (Map.Entry<String, String> f : baseline.files().entrySet()) {
                Files.writeString(tmp.resolve(f.getKey()), f.getValue());
            }
            return new SchemaGate(into).check(tmp, true).stream()
                    .collect(Collectors.toMap(Finding::subject, Finding::file, (a, b) -> a));
        } catch (IOException e) {
            throw new IOException("cannot read " + baseline.description() + ": " + e.getMessage()
                    + " (name another commit with --baseline REV)", e);
        } finally {
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(tmp);
        }
    }

    private static int report(List<Finding> findings, String against, PrintStream out, PrintStream err) {
        findings.forEach(out::println);
        long refused = findings.stream().filter(f -> !f.ok()).count();
        if (refused > 0) {
            err.println("schemas-check: " + refused + " schema(s) refused against " + against
                    + "; see docs/schemas.md for how to evolve a schema safely");
            return 1;
        }
        return 0;
    }

    private static int failed(PrintStream err, Exception e) {
        err.println("schemas-check: " + (e instanceof IOException && e.getMessage() != null ? e.getMessage() : e));
        return 2;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("schemas-check: " + problem + "\n" + USAGE);
        return 2;
    }
}
