package dev.sluice.topology;

import dev.sluice.schemas.registry.SchemaGate;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics' schemas, settled before any stage writes. The embedded registry (started by this process)
 * gets every schema this build bundles ({@link SchemaGate#bundled()}) registered at start. An external
 * registry with {@code schema.registry.auto.register=false} must hold them all already: otherwise the
 * start fails naming the missing subjects and the fix, instead of a producer retrying on its first write.
 */
public final class StartupSchemas {
    private static final Logger log = LoggerFactory.getLogger(StartupSchemas.class);

    private StartupSchemas() {
    }

    /**
     * Registers the bundled schemas in {@code registry} if it is the {@code embedded} one, else checks that
     * it holds them unless producers may register their own.
     *
     * @throws IllegalStateException naming the refused or missing subjects and what to run
     */
    public static void prepare(SchemaRegistries.Registry registry, boolean embedded) throws IOException {
        long t0 = System.nanoTime();
        SchemaGate gate = new SchemaGate(registry.client());
        Path schemas = SchemaGate.bundled();
        if (embedded) {
            List<SchemaGate.Finding> findings = gate.check(schemas, true);
            List<SchemaGate.Finding> refused = findings.stream().filter(f -> !f.ok()).toList();
            if (!refused.isEmpty()) {
                throw new IllegalStateException("the embedded schema registry " + registry.description() + " refused "
                        + refused + ": evolve the schema compatibly (docs/schemas.md), or delete the registry's storage"
                        + " (data.dir/registry) to start afresh");
            }
            log.info("registered {} schemas in the embedded registry {} in {} ms", findings.size(), registry.description(),
                    (System.nanoTime() - t0) / 1_000_000);
        } else if (!registry.autoRegister()) {
            List<String> missing = gate.unregistered(schemas);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the schema registry " + registry.description() + " does not hold the"
                        + " schemas of " + missing + " and producers may not register them ("
                        + SchemaRegistryConfig.AUTO_REGISTER_CONFIG + "=false): run `./sluice schemas-check --register"
                        + " --schema-registry-url " + registry.description() + "`, or pass --set "
                        + SchemaRegistryConfig.AUTO_REGISTER_CONFIG + "=true");
            }
            log.info("the schema registry {} holds every topic's schema", registry.description());
        }
    }
}
