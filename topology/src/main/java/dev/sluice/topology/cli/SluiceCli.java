package dev.sluice.topology.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./sluice}: the built-in commands, then those of any {@link CliExtension} on the classpath. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "Exactly-once event-streaming pipeline on Apache Kafka.",
        subcommands = {RunCommand.class, IngestCommand.class, ExportCommand.class,
                ConfigDocsCommand.class, K8sCommand.class,
                LagExporterCommand.class, StatusCommand.class,
                SchemasCheckCommand.class, DlqCommand.class, BlobsCommand.class, TopicsCommand.class})
public final class SluiceCli {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new SluiceCli());
        for (CliExtension extension : ServiceLoader.load(CliExtension.class)) {
            extension.commands().forEach(cl::addSubcommand);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("sluice: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            org.slf4j.LoggerFactory.getLogger(SluiceCli.class).debug("command failed", e);
            return 1;
        });
        return cl.execute(args);
    }
}
