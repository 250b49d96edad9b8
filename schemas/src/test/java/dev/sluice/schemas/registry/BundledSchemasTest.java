package dev.sluice.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.AvroSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * The schemas the build bundles on the classpath are the repository's, and what the gate registers from
 * them is what the generated classes' serdes look up.
 */
class BundledSchemasTest {

    @Test
    void shouldBundleEverySchemaFileAndTheSubjectsOfTheRepository() throws Exception {
        Path bundled = SchemaGate.bundled();
        assertThat(names(bundled)).isEqualTo(names(Path.of(".").toAbsolutePath()));
        assertThat(Files.readString(bundled.resolve(SchemaGate.SUBJECTS_FILE)))
                .isEqualTo(Files.readString(Path.of(SchemaGate.SUBJECTS_FILE)));
    }

    @Test
    void shouldRegisterUnderEachSubjectTheSchemaItsGeneratedClassLooksUp() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        SchemaGate gate = new SchemaGate(registry);
        assertThat(gate.check(SchemaGate.bundled(), true)).isNotEmpty().allMatch(SchemaGate.Finding::ok);
        Map<String, Schema> records = SchemaGate.records(SchemaGate.bundled());
        Properties subjects = new Properties();
        subjects.load(Files.newBufferedReader(SchemaGate.bundled().resolve(SchemaGate.SUBJECTS_FILE)));
        for (String subject : subjects.stringPropertyNames()) {
            Schema generated = SpecificData.get().getSchema(SpecificData.get()
                    .getClass(records.get(subjects.getProperty(subject))));
            assertThat(registry.lookup(subject, AvroSerde.registryForm(generated))).as(subject).isPresent();
        }
        Schema itemId = SpecificData.get().getSchema(dev.sluice.schemas.hn.HnItemId.class);
        assertThat(registry.lookup("sluice.hn.item-ids-value", itemId)).as("the generated form differs").isEmpty();
    }

    @Test
    void shouldNameTheSubjectsWhoseSchemaIsNotRegistered() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Map<String, Schema> records = SchemaGate.records(SchemaGate.bundled());
        registry.register("sluice.hn.items-value", records.get("HnItem.avsc"));
        List<String> missing = new SchemaGate(registry).unregistered(SchemaGate.bundled());
        assertThat(missing).contains("sluice.hn.item-ids-value", "sluice.documents.pages-value", "sluice.summaries-value")
                .doesNotContain("sluice.hn.items-value").isSorted();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avsc")).sorted().toList();
        }
    }
}
