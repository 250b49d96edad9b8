package dev.sluice.tools.cli;

import dev.sluice.tools.bench.BenchReport;
import dev.sluice.tools.bench.FetchBench;
import dev.sluice.tools.bench.LatencyBench;
import dev.sluice.tools.bench.SummariseBench;
import java.util.List;
import dev.sluice.tools.bench.OcrBench;
import dev.sluice.tools.bench.TextLayerBench;
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

    @Option(names = "--only", split = ",", defaultValue = "fetch,summarise,ocr,text,latency",
            description = "Sections to run: fetch, summarise, ocr, text, latency (default all).")
    List<String> only;

    @Option(names = "--corpus", defaultValue = "../shared/corpus", description = "The PDF corpus (scanned/, text/).")
    Path corpus;

    @Option(names = "--latency-documents", split = ",",
            defaultValue = "scanned/libtasn1-p5-14.pdf,scanned/gzip.1.pdf,text/tar.1.pdf,scanned/mixed-tar-gzip.pdf",
            description = "Corpus files pushed one at a time into the idle pipeline by the latency benchmark.")
    List<String> latencyDocuments;

    @Option(names = "--latency-at-start", defaultValue = "scanned/gzip.1.pdf",
            description = "Corpus file pushed by the latency benchmark as the pipeline starts, before it is idle ('' for none).")
    String latencyAtStart;

    @Option(names = "--latency-idle-ms", defaultValue = "5000",
            description = "How long the pipeline idles before each push of the latency benchmark.")
    long latencyIdleMs;

    @Option(names = "--parallelism", description = "OCR threads and tesseract processes at once (default: cores).")
    Integer parallelism;

    @Override
    public Integer call() throws Exception {
        for (String s : only) {
            if (!List.of("fetch", "summarise", "ocr", "text", "latency").contains(s)) {
                throw new IllegalArgumentException("unknown --only section '" + s + "'; use fetch, summarise, ocr, text or latency");
            }
        }
        if (only.contains("fetch") || only.contains("summarise")) {
            hnBenchmarks();
        }
        int p = parallelism == null ? Runtime.getRuntime().availableProcessors() : parallelism;
        if (only.contains("ocr")) {
            ocr(p);
        }
        if (only.contains("text")) {
            text(p);
        }
        if (only.contains("latency")) {
            latency(p);
        }
        return 0;
    }

    /** Submitted-to-stored time of documents pushed into the idle documents pipeline, against their processing time. */
    private void latency(int p) throws Exception {
        requireOmpThreadLimit();
        Path work = Files.createTempDirectory("sluice-latency-bench");
        try {
            List<LatencyBench.Result> results = new LatencyBench(corpus.toAbsolutePath(), work, p,
                    java.time.Duration.ofMillis(latencyIdleMs)).run(latencyAtStart.isBlank() ? null : latencyAtStart, latencyDocuments);
            LatencyBench.report(results, p, 3_000).appendTo(out);
        } finally {
            deleteTree(work);
        }
    }

    private static void requireOmpThreadLimit() {
        if (!"1".equals(System.getenv("OMP_THREAD_LIMIT"))) {
            throw new IllegalStateException("set OMP_THREAD_LIMIT=1 before the JVM starts (./sluice does)");
        }
    }

    private void ocr(int p) throws Exception {
        requireOmpThreadLimit();
        Path work = Files.createTempDirectory("sluice-ocr-bench");
        try {
            OcrBench bench = new OcrBench(corpus.resolve("scanned"), work);
            BenchReport report = new BenchReport("OCR, " + bench.pageCount() + " scanned pages at 300 dpi, parallelism " + p
                    + ", two interleaved rounds");
            for (int round = 1; round <= 2; round++) {
                OcrBench.Result cli = bench.tesseractCli(p);
                report.row("round " + round + ": tesseract CLI, a process per page", cli.pages(), cli.seconds(),
                        String.format("baseline; CER %.2f%%; %.2f CPU s/page; load average %.1f", 100 * cli.cer(),
                                cli.cpuSeconds() / cli.pages(), load()));
                OcrBench.Result stage = bench.sluice(p);
                report.row("round " + round + ": Sluice OCR engine (handle per thread, kept loaded)", stage.pages(), stage.seconds(),
                        String.format("%.2fx the CLI's pages/s, %.2fx its CPU per page; CER %.2f%% (CLI %.2f%%); %.2f CPU s/page; load average %.1f",
                                cli.seconds() / stage.seconds(), stage.cpuSeconds() / cli.cpuSeconds(), 100 * stage.cer(),
                                100 * cli.cer(), stage.cpuSeconds() / stage.pages(), load()));
            }
            report.appendTo(out);
        } finally {
            deleteTree(work);
        }
    }

    /** The machine's 1-minute load average: the cores are shared, so figures say how busy they were. */
    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private void text(int p) throws Exception {
        Path work = Files.createTempDirectory("sluice-text-bench");
        TextLayerBench bench = new TextLayerBench(corpus.resolve("text"), work);
        bench.run(p, 1);
        double[] r = bench.run(p, 5);
        deleteTree(work);
        BenchReport report = new BenchReport("Text-layer pages, " + p + " threads");
        report.row("pages stage reader, text layer (after one warm-up round)", (long) r[0], r[1], "target >= 100 pages/s");
        report.appendTo(out);
    }

    private void hnBenchmarks() throws Exception {
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
