package dev.sluice.topology.cli;

import dev.sluice.schemas.registry.SchemaGate;
import dev.sluice.schemas.registry.SchemaRegistries;
import dev.sluice.schemas.registry.SchemaRegistryConfig;
import dev.sluice.schemas.registry.SchemasCheck;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice schemas-check}: the compatibility gate, the same code {@code make schemas-check} runs
 * ({@link SchemasCheck}). Without a registry it compares the working tree's schemas with their baseline
 * (the merge-base of HEAD and origin/main, else HEAD, or {@code --baseline REV}); with
 * {@code --schema-registry-url}, or {@code --register} (the embedded registry when no URL is set), with
 * the registry's latest versions, and registers the accepted ones on {@code --register}. Exits 1 listing
 * every refused schema with its subject, field and rule.
 */
@Command(name = "schemas-check", mixinStandardHelpOptions = true,
        description = "Check every schemas/*.avsc under BACKWARD compatibility against its last committed version, or a registry's latest.")
final class SchemasCheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Option(names = "--schemas-dir", description = "Directory of the .avsc files and subjects.properties (default: those this build bundles, the repository's schemas/ when it was built).")
    Path dir;

    @Option(names = "--baseline", paramLabel = "REV", description = "Commit to compare with; default: git merge-base HEAD origin/main, else HEAD.")
    String baseline;

    @Option(names = "--register", description = "Register every accepted schema (the way to publish schemas when auto-registration is off).")
    boolean register;

    @Override
    public Integer call() throws Exception {
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        boolean toRegistry = register || !new SchemaRegistryConfig(config.originals()).url().isBlank();
        if (!toRegistry) {
            return SchemasCheck.againstBaseline(dir != null ? dir : Path.of("schemas"), baseline, System.out, System.err);
        }
        if (baseline != null) {
            System.err.println("schemas-check: --baseline compares with a commit, a registry URL or --register with a registry; give one of them");
            return 2;
        }
        try (Infrastructure infra = Infrastructure.open(config, false, false, true)) {
            return SchemasCheck.againstRegistry(SchemaRegistries.require().client(), infra.schemaRegistryUrl(),
                    dir != null ? dir : SchemaGate.bundled(), register, System.out, System.err);
        }
    }
}
