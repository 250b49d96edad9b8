package dev.sluice.topology.it.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The stages of each kind of instance in a chaos run, and the {@code sluice run} command line of an
 * instance: one shared broker, PostgreSQL, registry and blob folder; its own id and data dir; short
 * retry budgets, so every outage outlasts them and partitions stall.
 */
public final class InstanceArgs implements Function<Fleet.Instance, List<String>> {
    /** Light stages, one instance: the watermark, sinks, links, threads and the documents' Streams stages. */
    public static final String LIGHT = "watermark,links,threads-resolve,threads,split,assemble,store-documents,"
            + "document-text,summaries-store";
    /** Heavy stages, two instances each (two processes). */
    public static final String HEAVY = "fetch,pages,summarise-threads,summarise-documents";
    /** The stage scaled from one instance to three and back. */
    public static final String SCALED = "store";
    /** Partitions of every topic. */
    public static final int PARTITIONS = 4;
    /** The primary (and only) model of the summariser. */
    public static final String MODEL = "primary-model";

    /**
     * Where the shared services are; {@code bootstrap} stays valid across broker restarts (same port).
     * Instance {@code id} keeps its data in {@code root/id}; every instance shares {@code root/blobs}.
     */
    public record Services(String bootstrap, String jdbcUrl, String registryUrl, String hnBaseUrl, String llmBaseUrl,
                           Path root, long firstId) {
    }

    private final Services services;

    public InstanceArgs(Services services) {
        this.services = services;
    }

    @Override
    public List<String> apply(Fleet.Instance i) {
        List<String> a = new ArrayList<>(List.of("run", "--stages", i.stages(), "--instance-id", i.id(),
                "--bootstrap-servers", services.bootstrap(), "--db-url", services.jdbcUrl(),
                "--schema-registry-url", services.registryUrl(), "--data-dir", services.root().resolve(i.id()).toString(),
                "--hn-base-url", services.hnBaseUrl(), "--hn-from-id", Long.toString(services.firstId()), "--poll-interval-ms", "300",
                "--llm-base-url", services.llmBaseUrl(), "--llm-model", MODEL));
        for (String s : settings()) {
            a.add("--set");
            a.add(s);
        }
        return a;
    }

    private List<String> settings() {
        return List.of("schema.registry.auto.register=true", "blob.dir=" + services.root().resolve("blobs"),
                "topic.partitions=" + PARTITIONS, "metrics.port=0", "stall.backoff.max.ms=2000",
                "stall.dead.letter.after.identical.failures=10",
                "fetch.request.timeout.ms=1000", "fetch.concurrency=8", "fetch.max.poll.records=50",
                "fetch.retry.max.elapsed.ms=3000", "watermark.batch.ids=20",
                "ocr.threads=1", "pages.max.poll.records=2",
                "llm.fallback.offline=false", "llm.request.timeout.ms=500", "llm.max.tokens=1500",
                "llm.retry.backoff.max.ms=1500", "llm.breaker.open.ms=2000", "summarise.retry.max.elapsed.ms=3000",
                "summarise.token.budget=1000000",
                "threads.min.comments=" + PipelineExpectations.THREAD_MIN,
                "threads.resummarise.every=" + PipelineExpectations.THREAD_EVERY);
    }
}
