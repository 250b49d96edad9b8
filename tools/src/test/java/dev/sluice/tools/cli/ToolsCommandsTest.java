package dev.sluice.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.topology.cli.SluiceCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** With the tools jar on the classpath, {@code ./sluice} finds its subcommands through the CliExtension service. */
class ToolsCommandsTest {

    private static String out(int expectedExit, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute(args)).isEqualTo(expectedExit);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldListTheToolsCommandsAfterTheBuiltInOnesWhenTheToolsJarIsOnTheClasspath() {
        assertThat(out(0, "--help")).containsSubsequence("  run ", "  topics ", "  hn-replay ", "  llm-replay ", "  bench ",
                "  autoscale-demo ");
    }

    @Test
    void shouldParseAToolsCommandLikeABuiltInOne() {
        assertThat(out(0, "hn-replay", "--help")).startsWith("Usage: sluice hn-replay ");
        assertThat(out(0, "bench", "--help")).contains("--only");
    }
}
