package dev.sluice.topology.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.summaries.Summary;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.topology.it.Db;
import dev.sluice.topology.it.TopicReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The summaries invariants of a chaos run: every thread version and every document summarised once,
 * by the model (the chain has no offline fallback, so an LLM outage must be waited out, not papered
 * over), and each summary written to Kafka once.
 */
public final class SummaryInvariants {
    private final String jdbcUrl;
    private final Supplier<Map<String, Object>> clientProps;
    private final Map<Long, Integer> threadVersions;
    private final int documents;
    private final String model;

    public SummaryInvariants(String jdbcUrl, Supplier<Map<String, Object>> clientProps, Map<Long, Integer> threadVersions,
                             int documents, String model) {
        this.jdbcUrl = jdbcUrl;
        this.clientProps = clientProps;
        this.threadVersions = threadVersions;
        this.documents = documents;
        this.model = model;
    }

    /** Summaries expected in all: every version of every thread, and one a document. */
    public long expected() {
        return threadVersions.values().stream().mapToLong(Integer::longValue).sum() + documents;
    }

    /** Summaries stored so far (for the wait until the run converges). */
    public long stored() throws Exception {
        return Db.count(jdbcUrl, "SELECT count(*) FROM summaries");
    }

    public void assertEveryThreadAndDocumentSummarisedOnce(List<String> docIds) throws Exception {
        Map<Long, Integer> stored = new TreeMap<>();
        for (String row : Db.strings(jdbcUrl, "SELECT subject_id || ':' || max(version) || ':' || count(*) FROM summaries"
                + " WHERE subject_kind = 'hn_thread' GROUP BY subject_id")) {
            String[] f = row.split(":");
            assertThat(f[1]).as("thread %s: versions 1..n, each once", f[0]).isEqualTo(f[2]);
            stored.put(Long.parseLong(f[0]), Integer.parseInt(f[1]));
        }
        assertThat(stored).as("summary versions by thread").isEqualTo(threadVersions);
        assertThat(Db.strings(jdbcUrl, "SELECT subject_id FROM summaries WHERE subject_kind = 'document'"))
                .as("document summaries").containsExactlyInAnyOrderElementsOf(docIds);
        assertThat(Db.strings(jdbcUrl, "SELECT DISTINCT model FROM summaries")).as("models").containsExactly(model);
        List<String> keys = TopicReader.readAll(clientProps.get(), SummaryTopics.SUMMARIES, new StringDeserializer(),
                new AvroSerde<>(Summary.class).deserializer()).stream()
                .map(r -> r.value().getSubjectKind() + ":" + r.value().getSubjectId() + ":" + r.value().getVersion()).toList();
        assertThat(keys).as("each summary written to Kafka once").hasSize((int) expected()).doesNotHaveDuplicates();
    }
}
