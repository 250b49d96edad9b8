package dev.sluice.topology.cli;

import dev.sluice.schemas.registry.SchemaGate;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice schemas-check}: the compatibility gate ({@code make schemas-check}). Exits 1 listing every
 * refused schema with its subject, field and rule; with {@code --register}, registers the accepted ones.
 */
@Command(name = "schemas-check", mixinStandardHelpOptions = true,
        description = "Check every schemas/*.avsc against the registry under BACKWARD compatibility.")
final class SchemasCheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Option(names = "--schemas-dir", description = "Directory of the .avsc files and subjects.properties (default: those this build bundles, the repository's schemas/ when it was built).")
    Path dir;

    @Option(names = "--register", description = "Register every accepted schema (the way to publish schemas when auto-registration is off).")
    boolean register;

    @Override
    public Integer call() throws Exception {
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        try (Infrastructure infra = Infrastructure.open(config, false, false, true)) {
            List<SchemaGate.Finding> findings = new SchemaGate(SchemaRegistries.require().client())
                    .check(dir != null ? dir : SchemaGate.bundled(), register);
            findings.forEach(f -> System.out.println(f));
            List<SchemaGate.Finding> refused = findings.stream().filter(f -> !f.ok()).toList();
            if (!refused.isEmpty()) {
                System.err.println("schemas-check: " + refused.size() + " schema(s) refused by " + infra.schemaRegistryUrl()
                        + "; see docs/schemas.md for how to evolve a schema safely");
                return 1;
            }
            return 0;
        }
    }
}
