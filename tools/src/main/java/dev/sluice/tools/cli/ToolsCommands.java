package dev.sluice.tools.cli;

import dev.sluice.topology.cli.CliExtension;
import java.util.List;

/**
 * The tools' {@code ./sluice} subcommands: {@code hn-replay}, {@code llm-replay}, {@code bench} and
 * {@code autoscale-demo}. Registered in {@code META-INF/services/dev.sluice.topology.cli.CliExtension};
 * present when the tools jar is on the classpath (a dev checkout after {@code make build}), absent
 * from the production image.
 */
public final class ToolsCommands implements CliExtension {

    @Override
    public List<Object> commands() {
        return List.of(new HnReplayCommand(), new LlmReplayCommand(), new BenchCommand(), new AutoscaleDemoCommand());
    }
}
