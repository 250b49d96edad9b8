package dev.sluice.tools.cli;

import dev.sluice.testkit.llm.FakeLlmServer;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice llm-replay}: a local OpenAI-compatible endpoint with a deterministic model and optional faults. */
@Command(name = "llm-replay", mixinStandardHelpOptions = true,
        description = "Serve a deterministic OpenAI-compatible chat-completions endpoint, with optional latency and faults.")
final class LlmReplayCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (0: a free one).")
    int port;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Added to every completion.")
    int latencyMs;

    @Option(names = "--fail-rate", defaultValue = "0", description = "Fraction of completions answered with a fault (429, 500, hang, malformed, empty, truncated).")
    double failRate;

    @Option(names = "--down", split = ",", description = "Models that fail every completion.")
    Set<String> down = Set.of();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fault choice.")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder().port(port).latencyMs(latencyMs).failRate(failRate)
                .seed(seed).down(down).start()) {
            System.out.println("llm-replay serving at " + server.baseUrl());
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }
}
