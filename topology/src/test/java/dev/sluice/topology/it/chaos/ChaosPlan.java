package dev.sluice.topology.it.chaos;

import dev.sluice.topology.it.HnExpectations;
import java.time.Duration;
import java.util.List;

/**
 * How hard {@code PipelineChaosIT} shakes the pipeline: the short form runs in {@code make test}; the
 * long form ({@code -Dsluice.chaos.long=true}, {@code make chaos}) takes every fixture item, more
 * documents, more kills and a three-minute Hacker News outage.
 *
 * @param firstId      first Hacker News id fed (the fixture runs to {@link HnExpectations#LAST})
 * @param hnOutage     the Hacker News outage, longer than {@code fetch.retry.max.elapsed.ms}
 * @param llmOutage    the LLM outage, longer than {@code summarise.retry.max.elapsed.ms}
 * @param brokerDown   how long the broker stays down when it restarts
 * @param kills        SIGKILLs of random instances (each restarted)
 * @param documents    corpus files pushed at the start (relative to shared/corpus)
 * @param lateDocuments corpus files pushed just before the LLM outage, so summaries are due during it
 * @param settle       longest wait for the pipeline to converge once the chaos is over
 */
public record ChaosPlan(long firstId, Duration hnOutage, Duration llmOutage, Duration brokerDown,
                        int kills, List<String> documents, List<String> lateDocuments, Duration settle) {

    /** Garbled Hacker News answers: a share of item requests answered with a truncated body. */
    public static final double GARBAGE_RATE = 0.03;

    /** The form {@code -Dsluice.chaos.long} asks for. */
    public static ChaosPlan current() {
        return Boolean.getBoolean("sluice.chaos.long") ? longForm() : shortForm();
    }

    /** About three minutes on 2 cores: 1,000 items, three documents, three kills, a 25 s outage. */
    static ChaosPlan shortForm() {
        return new ChaosPlan(HnExpectations.LAST - 999, Duration.ofSeconds(25), Duration.ofSeconds(20),
                Duration.ofSeconds(3), 3, List.of("text/tar.1.pdf", "scanned/mixed-tar-gzip.pdf"),
                List.of("text/shared-mime-info-spec.pdf"), Duration.ofMinutes(3));
    }

    /** Every fixture item, every text and scanned document, eight kills and a three-minute outage. */
    static ChaosPlan longForm() {
        return new ChaosPlan(HnExpectations.FIRST, Duration.ofMinutes(3), Duration.ofMinutes(1), Duration.ofSeconds(10), 8,
                List.of("text/tar.1.pdf", "text/libtasn1-manual.pdf", "scanned/gzip.1.pdf", "scanned/mixed-tar-gzip.pdf",
                        "scanned/libtasn1-p5-14.pdf"), List.of("text/shared-mime-info-spec.pdf"), Duration.ofMinutes(10));
    }

    /** Every document pushed, early and late. */
    public List<String> allDocuments() {
        return java.util.stream.Stream.concat(documents.stream(), lateDocuments.stream()).toList();
    }

    /** Hacker News ids fed. */
    public long items() {
        return HnExpectations.LAST - firstId + 1;
    }
}
