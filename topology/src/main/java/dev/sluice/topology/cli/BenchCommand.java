package dev.sluice.topology.cli;

import dev.sluice.topology.bench.BenchReport;
import dev.sluice.topology.bench.FetchBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice bench}: measured throughput, side by side with a baseline, appended to a results file. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run the benchmarks and append the figures to a results file.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--hn-items", defaultValue = "../shared/fixtures/hn/items-25576000-25578999.jsonl",
            description = "Recorded items whose bodies the fetch benchmark serves.")
    Path hnItems;

    @Option(names = "--fetch-items", defaultValue = "20000", description = "Items fetched by the fetch stage.")
    int fetchItems;

    @Option(names = "--baseline-items", defaultValue = "500", description = "Items fetched one blocking call at a time.")
    int baselineItems;

    @Option(names = "--latency-ms", defaultValue = "20", description = "Latency the local API adds to every response.")
    int latencyMs;

    @Option(names = "--concurrency", defaultValue = "64", description = "Requests in flight of the fetch stage.")
    int concurrency;

    @Option(names = "--out", defaultValue = "data/bench/results.md", description = "Results file (appended).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(hnItems)) {
            throw new IllegalArgumentException("--hn-items " + hnItems + " not found (the shared fixtures)");
        }
        Path work = Files.createTempDirectory("sluice-bench");
        FetchBench fetch = new FetchBench(work, hnItems, Math.max(fetchItems, baselineItems));
        BenchReport report = new BenchReport("Item fetch, local API +" + latencyMs + " ms per response");
        double base = fetch.run(baselineItems, 1, latencyMs);
        report.row("one blocking call at a time (concurrency 1)", baselineItems, base, "baseline");
        double stage = fetch.run(fetchItems, concurrency, latencyMs);
        report.row("fetch stage, concurrency " + concurrency, fetchItems, stage,
                String.format("%.1fx baseline; includes group join and transaction commits", (fetchItems / stage) / (baselineItems / base)));
        report.appendTo(out);
        return 0;
    }
}
