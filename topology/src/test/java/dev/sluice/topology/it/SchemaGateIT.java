package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.Evolutions;
import dev.sluice.schemas.WireFormat;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.registry.IncompatibleSchemaException;
import dev.sluice.schemas.registry.SchemaGate;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.topology.cli.SluiceCli;
import dev.sluice.topology.embedded.EmbeddedRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility gate ({@code make schemas-check}) on the real registry (Apicurio, BACKWARD): the
 * repository's schemas pass, breaking changes are refused naming subject, field and rule, an allowed
 * change passes and records written before it still read.
 */
class SchemaGateIT {
    private static String url;
    private static SchemaRegistryClient registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() throws Exception {
        url = ItEnv.schemaRegistryUrl();
        SchemaRegistries.configure(url, true);
        registry = SchemaRegistries.require().client();
    }

    @Test
    void shouldRegisterEveryRepositorySchemaAndAcceptThemAgainOnTheNextCheck() throws Exception {
        // a registry of its own: the shared one holds other tests' deliberately incompatible HnItem versions
        try (EmbeddedRegistry fresh = EmbeddedRegistry.start(tmp.resolve("registry"), false)) {
            String[] gate = {"schemas-check", "--schemas-dir", "../schemas", "--schema-registry-url", fresh.url()};
            Cli first = cli(concat(gate, "--register"));
            assertThat(first.code).as(first.out).isZero();
            assertThat(first.out).contains("sluice.hn.items-value <- HnItem.avsc: registered")
                    .contains("sluice.hn.links-value <- HnLink.avsc: registered");
            Cli second = cli(gate);
            assertThat(second.code).as(second.out).isZero();
            assertThat(second.out).contains("compatible (BACKWARD)").doesNotContain("REFUSED");
        }
    }

    @Test
    void shouldCompareWithTheBaselineWhenNoRegistryIsNamed() throws Exception {
        Path plain = dir("plain", "probe-plain-value", probe("plain"));
        Cli check = cli("schemas-check", "--schemas-dir", plain.toString());
        assertThat(check.code).as(check.out).isZero();
        assertThat(check.out).contains("against the empty baseline").contains("is not in a git work tree")
                .contains("ok    probe-plain-value <- Probe.avsc: new subject");
        assertThat(cli("schemas-check", "--schemas-dir", plain.toString(), "--baseline", "HEAD").code).isEqualTo(2);
        assertThat(cli("schemas-check", "--schemas-dir", plain.toString(), "--baseline", "HEAD", "--schema-registry-url", url)
                .code).isEqualTo(2);
    }

    private static String[] concat(String[] a, String b) {
        String[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void shouldRefuseANewFieldWithoutDefaultNamingSubjectFieldAndRule() throws Exception {
        Schema v0 = probe("added");
        assertThat(gate(dir("v0", "probe-added-value", v0), true)).allMatch(SchemaGate.Finding::ok);
        Path v1 = dir("v1", "probe-added-value", Evolutions.withRequiredField(v0, "origin"));
        Cli check = cli("schemas-check", "--schemas-dir", v1.toString(), "--schema-registry-url", url);
        assertThat(check.code).isOne();
        assertThat(check.out).contains("REFUSED probe-added-value").contains("BACKWARD")
                .contains("field 'origin': new field without a default");
    }

    @Test
    void shouldRefuseATypeChangeNamingTheField() throws Exception {
        Schema v0 = probe("typed");
        gate(dir("v0", "probe-typed-value", v0), true);
        Schema changed = SchemaBuilder.record("Probe").namespace("dev.sluice.it.typed").fields().requiredString("id").endRecord();
        List<SchemaGate.Finding> f = gate(dir("v1", "probe-typed-value", changed), true);
        assertThat(f).singleElement().satisfies(x -> assertThat(x.ok()).isFalse())
                .satisfies(x -> assertThat(x.message()).contains("field 'id': type mismatch"));
        assertThat(registry.latest("probe-typed-value")).contains(v0);
        assertThatThrownBy(() -> registry.register("probe-typed-value", changed))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("probe-typed-value");
    }

    @Test
    void shouldAcceptANewOptionalFieldAndStillReadRecordsWrittenBeforeIt() throws Exception {
        Schema v0 = Evolutions.itemIdV0();
        int oldId = registry.register("gate-old-value", v0);
        byte[] old = WireFormat.encode(oldId, v0, Evolutions.record(v0, 41));
        Schema current = SpecificData.get().getSchema(HnItemId.class);
        assertThat(gate(dir("now", "gate-old-value", current), true)).allMatch(SchemaGate.Finding::ok);
        assertThat(gate(dir("next", "gate-old-value", Evolutions.withOptionalField(current, "note")), true))
                .allMatch(SchemaGate.Finding::ok);
        HnItemId read = new AvroSerde<>(HnItemId.class).deserializer().deserialize("gate-old", old);
        assertThat(read.getId()).isEqualTo(41);
        assertThat(read.getSource()).isEqualTo("watermark");
    }

    @Test
    void shouldGiveConcurrentFirstRegistrationsOfASubjectTheSameId() throws Exception {
        Schema schema = probe("race");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> ids = pool.invokeAll(java.util.Collections.nCopies(8,
                    () -> registry.register("probe-race-value", schema)));
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Integer> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdown();
        }
    }

    private static Schema probe(String ns) {
        return SchemaBuilder.record("Probe").namespace("dev.sluice.it." + ns).fields().requiredLong("id").endRecord();
    }

    private Path dir(String name, String subject, Schema schema) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("Probe.avsc"), schema.toString(true));
        Files.writeString(d.resolve(SchemaGate.SUBJECTS_FILE), subject + "=Probe.avsc\n");
        return d;
    }

    private static List<SchemaGate.Finding> gate(Path dir, boolean register) throws Exception {
        return new SchemaGate(registry).check(dir, register);
    }

    private record Cli(int code, String out) {
    }

    private static Cli cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = SluiceCli.execute(args);
        } finally {
            System.setOut(original);
        }
        return new Cli(code, buf.toString(StandardCharsets.UTF_8));
    }
}
