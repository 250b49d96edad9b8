package dev.sluice.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The compatibility gate: every {@code *.avsc} of a directory is checked against the latest version of
 * each subject it is written under — those named in {@code subjects.properties} and any subject whose
 * latest schema has the same record name — with the registry's rule (BACKWARD), and optionally
 * registered. A refusal names the subject, the field and the rule broken. The build bundles
 * {@code schemas/} on the classpath ({@link #bundled()}), so an installed launcher has them too.
 */
public final class SchemaGate {
    public static final String SUBJECTS_FILE = "subjects.properties";
    private static final String BUNDLED = "/dev/sluice/schemas/avsc/";

    private final SchemaRegistryClient registry;
    private final String where;

    /** A gate against the latest versions in {@code registry}. */
    public SchemaGate(SchemaRegistryClient registry) {
        this(registry, "the registry");
    }

    /**
     * A gate against the latest versions in {@code registry}, which messages call {@code where} (e.g.
     * {@code "the baseline 0123456789ab"} for the committed schemas loaded into an in-process registry).
     */
    public SchemaGate(SchemaRegistryClient registry, String where) {
        this.registry = registry;
        this.where = where;
    }

    /** The verdict on one schema file under one subject. */
    public record Finding(String subject, String file, boolean ok, String message) {
        @Override
        public String toString() {
            return (ok ? "ok    " : "REFUSED ") + subject + " <- " + file + ": " + message;
        }
    }

    /**
     * Checks (and with {@code register}, registers) every schema of {@code dir}. Files may use named
     * types of other files (parsed in dependency order); a file holding several records (a JSON array)
     * is mapped per record as {@code File.avsc#RecordName}.
     */
    public List<Finding> check(Path dir, boolean register) throws IOException {
        Properties mapping = mapping(dir);
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, Schema> e : records(dir).entrySet()) {
            for (String subject : subjectsOf(e.getKey(), e.getValue(), mapping)) {
                out.add(check(subject, e.getKey(), e.getValue(), register));
            }
        }
        return out;
    }

    /**
     * The subjects of {@code dir}'s {@value #SUBJECTS_FILE} under which the registry does not hold their
     * schema, sorted: a producer with auto-registration off would fail on its first write to them.
     */
    public List<String> unregistered(Path dir) throws IOException {
        Properties mapping = mapping(dir);
        Map<String, Schema> records = records(dir);
        return mapping.stringPropertyNames().stream().sorted()
                .filter(s -> !records.containsKey(mapping.getProperty(s))
                        || registry.lookup(s, records.get(mapping.getProperty(s))).isEmpty())
                .toList();
    }

    /**
     * The schemas this build bundles (the repository's {@code schemas/} with its {@value #SUBJECTS_FILE}),
     * as a directory on the classpath: in the schemas jar or in its classes directory.
     */
    public static Path bundled() throws IOException {
        URL url = SchemaGate.class.getResource(BUNDLED + SUBJECTS_FILE);
        if (url == null) {
            throw new IllegalStateException(BUNDLED + SUBJECTS_FILE + " is not on the classpath: rebuild with `make build`");
        }
        try {
            if ("jar".equals(url.toURI().getScheme())) {
                try {
                    FileSystems.newFileSystem(url.toURI(), Map.of());
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // opened by an earlier call
                }
            }
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Every record of {@code dir} by its reference: {@code File.avsc}, or {@code File.avsc#Record} in a union file. */
    static Map<String, Schema> records(Path dir) throws IOException {
        Map<String, Schema> out = new TreeMap<>();
        for (Map.Entry<String, Schema> e : parseAll(dir).entrySet()) {
            Schema schema = e.getValue();
            List<Schema> records = schema.getType() == Schema.Type.UNION ? schema.getTypes() : List.of(schema);
            for (Schema record : records) {
                out.put(records.size() == 1 ? e.getKey() : e.getKey() + "#" + record.getName(), record);
            }
        }
        return out;
    }

    /** Every .avsc of {@code dir} by file name, parsed with the named types of the others. */
    static Map<String, Schema> parseAll(Path dir) throws IOException {
        List<Path> pending;
        try (Stream<Path> files = Files.list(dir)) {
            pending = new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().toList());
        }
        Map<String, Schema> known = new LinkedHashMap<>();
        Map<String, Schema> parsed = new TreeMap<>();
        while (!pending.isEmpty()) {
            int before = pending.size();
            SchemaParseException last = null;
            for (Path f : List.copyOf(pending)) {
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(known.values());
                try (InputStream in = Files.newInputStream(f)) {
                    Schema schema = parser.parse(in);
                    parsed.put(f.getFileName().toString(), schema);
                    known.putAll(parser.getTypes());
                    pending.remove(f);
                } catch (SchemaParseException undefinedYet) {
                    last = undefinedYet;
                }
            }
            if (pending.size() == before) {
                throw new IOException("cannot parse " + pending + ": " + last.getMessage(), last);
            }
        }
        return parsed;
    }

    private Finding check(String subject, String file, Schema schema, boolean register) {
        Schema latest = registry.latest(subject).orElse(null);
        SchemaRegistryClient.Compatibility c = latest == null ? new SchemaRegistryClient.Compatibility(true, null)
                : registry.checkCompatibility(subject, schema);
        if (!c.compatible()) {
            List<BackwardCompatibility.Violation> v = BackwardCompatibility.violations(schema, latest);
            String why = v.isEmpty() ? "registry: " + c.reason()
                    : v.toString().equals(c.reason()) ? v.toString() : v + "; registry: " + c.reason();
            return new Finding(subject, file, false, "breaks BACKWARD compatibility with its latest version in "
                    + where + ": " + why);
        }
        if (!register) {
            return new Finding(subject, file, true, latest == null ? "new subject: no version in " + where + " yet"
                    : "compatible (BACKWARD) with " + where);
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
