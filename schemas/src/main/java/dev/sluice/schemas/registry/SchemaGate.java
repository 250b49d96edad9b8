package dev.sluice.schemas.registry;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The compatibility gate: every {@code *.avsc} of a directory is checked against the latest version of
 * each subject it is written under — those named in {@code subjects.properties} and any subject whose
 * latest schema has the same record name — with the registry's rule (BACKWARD), and optionally
 * registered. A refusal names the subject, the field and the rule broken.
 */
public final class SchemaGate {
    public static final String SUBJECTS_FILE = "subjects.properties";

    private final SchemaRegistryClient registry;

    public SchemaGate(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** The verdict on one schema file under one subject. */
    public record Finding(String subject, String file, boolean ok, String message) {
        @Override
        public String toString() {
            return (ok ? "ok    " : "REFUSED ") + subject + " <- " + file + ": " + message;
        }
    }

    /** Checks (and with {@code register}, registers) every schema of {@code dir}. */
    public List<Finding> check(Path dir, boolean register) throws IOException {
        Properties mapping = mapping(dir);
        List<Finding> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
                Schema schema = new Schema.Parser().parse(f.toFile());
                for (String subject : subjectsOf(f.getFileName().toString(), schema, mapping)) {
                    out.add(check(subject, f.getFileName().toString(), schema, register));
                }
            }
        }
        return out;
    }

    private Finding check(String subject, String file, Schema schema, boolean register) {
        Schema latest = registry.latest(subject).orElse(null);
        SchemaRegistryClient.Compatibility c = latest == null ? new SchemaRegistryClient.Compatibility(true, null)
                : registry.checkCompatibility(subject, schema);
        if (!c.compatible()) {
            List<BackwardCompatibility.Violation> v = BackwardCompatibility.violations(schema, latest);
            return new Finding(subject, file, false, "breaks BACKWARD compatibility with the latest version: "
                    + (v.isEmpty() ? "" : v + "; ") + "registry: " + c.reason());
        }
        if (!register) {
            return new Finding(subject, file, true, latest == null ? "not registered yet" : "compatible (BACKWARD)");
        }
        int id = registry.register(subject, schema);
        return new Finding(subject, file, true, "registered as schema id " + id);
    }

    private Set<String> subjectsOf(String file, Schema schema, Properties mapping) {
        Set<String> subjects = new TreeSet<>();
        mapping.stringPropertyNames().stream().filter(s -> file.equals(mapping.getProperty(s))).forEach(subjects::add);
        for (String s : registry.subjects()) {
            if (!subjects.contains(s) && registry.latest(s).map(Schema::getFullName).filter(schema.getFullName()::equals).isPresent()) {
                subjects.add(s);
            }
        }
        return subjects;
    }

    private static Properties mapping(Path dir) throws IOException {
        Properties p = new Properties();
        Path f = dir.resolve(SUBJECTS_FILE);
        if (Files.exists(f)) {
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            }
        }
        return p;
    }
}
