package dev.sluice.topology.cli;

import dev.sluice.topology.DeadLetterExport;
import dev.sluice.topology.DeadLetterRedrive;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.RedriveResult;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.StageCatalog;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice dlq redrive|export}: put dead letters back on their stage's input, or print them all. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters: re-drive them or export them.",
        subcommands = {DlqCommand.Redrive.class, DlqCommand.Export.class})
final class DlqCommand {
    /** Lines printed for moved records before the summary. */
    static final int SHOWN = 20;

    /** Moves a stage's dead letters (optionally only those whose reason matches) back to its input, each once. */
    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Put a stage's dead letters back on its input topic, each exactly once across runs.")
    static final class Redrive implements Callable<Integer> {
        @Mixin
        ConfigOptions common;

        @Option(names = "--stage", required = true, description = "Stage whose dead letters to move (see ./sluice status).")
        String stage;

        @Option(names = "--reason", description = "Move only dead letters whose exception message this regular expression finds.")
        String reason;

        @Option(names = "--dry-run", description = "Print what would move; write nothing.")
        boolean dryRun;

        @Option(names = "--batch-size", description = "Records per transaction (default ${DEFAULT-VALUE}).")
        int batchSize = 500;

        @Override
        public Integer call() throws Exception {
            StageCatalog.entry(stage);
            Pattern pattern = compile(reason);
            SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
            try (Infrastructure infra = Infrastructure.open(config, true, false)) {
                RedriveResult result = new DeadLetterRedrive(infra.clientProps(), config.names(), stage, pattern, batchSize,
                        config.getShort(SluiceConfig.REPLICATION_CONFIG)).run(dryRun);
                result.print(System.out, SHOWN);
            }
            return 0;
        }

        private static Pattern compile(String regex) {
            try {
                return regex == null ? null : Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--reason '" + regex + "' is not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex(), e);
            }
        }
    }

    /** The same as {@code sluice export dlq}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Print every dead-lettered record of every stage as JSON lines (as export dlq).")
    static final class Export implements Callable<Integer> {
        @Mixin
        ConfigOptions common;

        @Override
        public Integer call() throws Exception {
            SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
            try (Infrastructure infra = Infrastructure.open(config, true, false)) {
                long n = DeadLetterExport.export(infra.clientProps(), config.names(), System.out);
                System.err.println("exported " + n + " dead-lettered records");
            }
            return 0;
        }
    }
}
