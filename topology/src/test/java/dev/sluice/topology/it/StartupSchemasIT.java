package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaGate;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.topology.StartupSchemas;
import dev.sluice.topology.cli.SluiceCli;
import dev.sluice.topology.embedded.EmbeddedRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics' schemas are settled at start, on real registries (Apicurio): an external registry without
 * them and without auto-registration fails the start naming the missing subjects and the fix; the fix
 * it names works; the embedded registry gets them all registered, and producers that may not register
 * find theirs.
 */
class StartupSchemasIT {
    @TempDir
    Path tmp;

    @Test
    void shouldFailAtStartNamingTheSubjectsAnExternalRegistryLacksAndTheFix() throws Exception {
        try (EmbeddedRegistry external = EmbeddedRegistry.start(tmp.resolve("external"), false)) {
            SchemaRegistries.Registry registry = registry(external.url(), false);
            assertThatThrownBy(() -> StartupSchemas.prepare(registry, false))
                    .hasMessageContaining("sluice.hn.items-value").hasMessageContaining("sluice.documents.pages-value")
                    .hasMessageContaining("`./sluice schemas-check --register --schema-registry-url " + external.url() + "`")
                    .hasMessageContaining("--set schema.registry.auto.register=true");

            assertThat(SluiceCli.execute("schemas-check", "--register", "--schema-registry-url", external.url())).isZero();
            StartupSchemas.prepare(registry, false);
            assertThat(serializeWithoutRegistering(registry)).startsWith((byte) 0);
        }
    }

    @Test
    void shouldRegisterEveryBundledSchemaInTheEmbeddedRegistryAtStart() throws Exception {
        try (EmbeddedRegistry embedded = EmbeddedRegistry.start(tmp.resolve("embedded"), true)) {
            SchemaRegistries.Registry registry = registry(embedded.url(), false);
            StartupSchemas.prepare(registry, true);
            assertThat(new SchemaGate(registry.client()).unregistered(SchemaGate.bundled())).isEmpty();
            assertThat(serializeWithoutRegistering(registry)).startsWith((byte) 0);
            StartupSchemas.prepare(registry, true); // the next start: all there already
        }
    }

    private static SchemaRegistries.Registry registry(String url, boolean autoRegister) {
        return new SchemaRegistries.Registry(new RestSchemaRegistryClient(url, Duration.ofSeconds(10), 3), autoRegister, url);
    }

    /** What a stage's producer does with auto-registration off: look its schema up. */
    private static byte[] serializeWithoutRegistering(SchemaRegistries.Registry registry) {
        SchemaRegistries.configure(registry.client(), false, registry.description());
        return new AvroSerde<>(HnItemId.class).serializer().serialize("sluice.hn.item-ids", new HnItemId(7L, "watermark"));
    }
}
