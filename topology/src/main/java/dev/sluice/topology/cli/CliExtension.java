package dev.sluice.topology.cli;

import java.util.List;

/**
 * Extra {@code ./sluice} subcommands from another jar on the classpath, found with
 * {@link java.util.ServiceLoader}: a jar lists its implementation in
 * {@code META-INF/services/dev.sluice.topology.cli.CliExtension}.
 *
 * <p>The tools module (benchmarks, the autoscale demo, the replay servers of the test kit) adds its
 * commands this way, so they are there in a dev checkout and absent from the production image,
 * whose classpath has no tools jar.
 */
public interface CliExtension {

    /**
     * New instances of picocli commands (classes annotated with {@code @Command}, each with a name
     * no built-in command has), added in this order after the built-in ones.
     */
    List<Object> commands();
}
