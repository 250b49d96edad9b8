package dev.sluice.topology.cli;

import dev.sluice.topology.bench.BenchReport;
import dev.sluice.topology.bench.FetchBench;
import dev.sluice.topology.bench.SummariseBench;
import java.util.List;
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

    @Option(names = "--only", split = ",", defaultValue = "fetch,summarise", description = "Benchmarks to run: fetch, summarise.")
    List<String> only;

    @Option(names = "--llm-latency-ms", defaultValue = "500", description = "Latency of the local OpenAI-compatible endpoint.")
    int llmLatencyMs;

    @Option(names = "--summaries", defaultValue = "400", description = "Documents summarised through the endpoint with 8 in flight.")
    int summaries;

    @Option(names = "--baseline-summaries", defaultValue = "20", description = "Documents summarised with 1 in flight.")
    int baselineSummaries;

    @Option(names = "--offline-documents", defaultValue = "3000", description = "Documents summarised by the offline summariser.")
    int offlineDocuments;

    @Option(names = "--out", defaultValue = "data/bench/results.md", description = "Results file (appended).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(hnItems)) {
            throw new IllegalArgumentException("--hn-items " + hnItems + " not found (the shared fixtures)");
        }
        Path work = Files.createTempDirectory("sluice-bench");
        if (only.contains("fetch")) {
            fetch(work);
        }
        if (only.contains("summarise")) {
            summarise(work);
        }
        return 0;
    }

    private void fetch(Path work) throws Exception {
        FetchBench fetch = new FetchBench(work, hnItems, Math.max(fetchItems, baselineItems));
        BenchReport report = new BenchReport("Item fetch, local API +" + latencyMs + " ms per response");
        double base = fetch.run(baselineItems, 1, latencyMs);
        report.row("one blocking call at a time (concurrency 1)", baselineItems, base, "baseline");
        double stage = fetch.run(fetchItems, concurrency, latencyMs);
        report.row("fetch stage, concurrency " + concurrency, fetchItems, stage,
                String.format("%.1fx baseline; includes group join and transaction commits", (fetchItems / stage) / (baselineItems / base)));
        report.appendTo(out);
    }

    private void summarise(Path work) throws Exception {
        SummariseBench bench = new SummariseBench(work, hnItems);
        BenchReport report = new BenchReport("Document summaries, local OpenAI-compatible endpoint +" + llmLatencyMs
                + " ms per completion; offline extractive summariser");
        bench.runOffline(200); // warm-up: JIT, class loading, the first embedded broker of the JVM
        double base = bench.runRemote(baselineSummaries, 1, llmLatencyMs);
        report.row("summarise stage, 1 request in flight", baselineSummaries, base, "baseline");
        double stage = bench.runRemote(summaries, 8, llmLatencyMs);
        report.row("summarise stage, 8 requests in flight (default)", summaries, stage, String.format(
                "%.1fx baseline; target >= 10/s; includes group join and transaction commits", (summaries / stage) / (baselineSummaries / base)));
        double offline = bench.runOffline(offlineDocuments);
        report.row("offline extractive summariser (no model)", offlineDocuments, offline, "target >= 50 documents/s; ~5 KB documents");
        report.appendTo(out);
    }
}
