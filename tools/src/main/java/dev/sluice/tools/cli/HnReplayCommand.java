package dev.sluice.tools.cli;

import dev.sluice.testkit.hn.HnReplayBuilder;
import dev.sluice.testkit.hn.HnReplayServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice hn-replay}: a local server speaking the Hacker News API over recorded items. */
@Command(name = "hn-replay", mixinStandardHelpOptions = true,
        description = "Serve recorded Hacker News items over the API's protocol, with optional faults.")
final class HnReplayCommand implements Callable<Integer> {
    @Option(names = "--items", required = true, split = ",", description = "JSONL file(s) of items, one API body a line.")
    List<Path> items;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (0: a free one).")
    int port;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Added to every response.")
    int latencyMs;

    @Option(names = "--fail-rate", defaultValue = "0", description = "Fraction of item requests answered with a transient fault (500, 503, 429, hang).")
    double failRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fault choice.")
    long seed;

    @Override
    public Integer call() throws Exception {
        HnReplayBuilder b = HnReplayServer.builder().port(port).latencyMs(latencyMs).failRate(failRate).seed(seed);
        items.forEach(b::items);
        try (HnReplayServer server = b.start()) {
            System.out.println("hn-replay serving maxitem " + server.maxItem() + " at " + server.baseUrl());
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }
}
