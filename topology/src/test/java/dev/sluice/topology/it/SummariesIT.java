package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.hn.HnReplayServer;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.testkit.llm.FakeLlmServer;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.schemas.summaries.Summary;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.summarise.OfflineSummarizer;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.cli.SluiceCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The summaries path on a real broker and PostgreSQL: the Hacker News path and the thread stages
 * over the recorded items, documents, and a local OpenAI-compatible endpoint injecting 429 with
 * Retry-After, 500, hangs, malformed JSON, empty choices and truncated answers.
 */
@Tag("long")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SummariesIT {
    private static final String PRIMARY = "primary-model";
    private static final String FALLBACK = "fallback-model";
    private static final long STORY = 25_576_462L;
    private static final int MIN = 10;
    private static final int EVERY = 10;
    /** The HN path and the summaries stages (not the documents path, whose pdf-links would reach the Internet). */
    private static final String ALL_STAGES = PipelineRun.HN_STAGES
            + ",threads-resolve,threads,summarise-threads,summarise-documents,summaries-store";
    private static ItEnv env;
    private static HnReplayServer hn;
    private static FakeLlmServer llm;
    private static final List<DocumentText> DOCS = SummaryExpectations.documents("doc", 16, 0);

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("summaries");
        hn = HnReplayServer.builder().items(SharedFixtures.hnItems()).start();
        llm = FakeLlmServer.builder().failRate(0.3).seed(11).latencyMs(5).hangMs(1500).start();
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            dev.sluice.topology.TopicBootstrap.ensure(admin, dev.sluice.topology.StageCatalog.topics(), 8, (short) -1);
        }
        SummaryExpectations.produce(env, DOCS);
        SummaryExpectations.produce(env, List.of(new DocumentText("empty", "Nothing", " ")));
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(new HashMap<>(env.clientProps()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            Sends.confirmed(p, new ProducerRecord<>(SummaryTopics.DOCUMENT_TEXT, "garbage".getBytes(), new byte[] {(byte) 0xff, 3}));
        }
        run(null).runUntilIdle(Duration.ofMinutes(4));
    }

    static PipelineRun run(String stages) throws Exception {
        PipelineRun r = PipelineRun.on(env, env.dir("data-" + System.nanoTime()), hn.baseUrl())
                .set(HnConfig.FROM_ID_CONFIG, HnExpectations.FIRST)
                .set(SummariseConfig.BASE_URL_CONFIG, llm.baseUrl()).set(SummariseConfig.MODEL_CONFIG, PRIMARY)
                .set(SummariseConfig.FALLBACK_MODEL_CONFIG, FALLBACK).set(SummariseConfig.TIMEOUT_MS_CONFIG, 500)
                .set(SummariseConfig.MAX_TOKENS_CONFIG, 1500).set(SummariseConfig.BACKOFF_MAX_MS_CONFIG, 1500)
                .set(SummariseConfig.THREAD_MIN_CONFIG, MIN).set(SummariseConfig.THREAD_EVERY_CONFIG, EVERY);
        return r.set(SluiceConfig.STAGES_CONFIG, stages == null ? ALL_STAGES : stages);
    }

    @AfterAll
    static void stop() {
        llm.close();
        hn.close();
        env.close();
    }

    @Test
    @Order(1)
    void shouldLandEveryCommentOfStory25576462InItsThreadOnce() {
        List<Long> expected = SummaryExpectations.threads().get(STORY);
        List<Long> landed = TopicReader.readAll(env.clientProps(), SummaryTopics.THREAD_COMMENTS).stream()
                .filter(r -> ByteBuffer.wrap(r.key()).getLong() == STORY).map(r -> commentId(r)).filter(id -> id != STORY).toList();
        assertThat(expected).hasSize(25);
        assertThat(landed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Order(2)
    void shouldSummariseEveryThreadVersionOnceDespiteFaults() throws Exception {
        assertThat(llm.faults().injected()).as("faults injected").isGreaterThan(10);
        Map<Long, Integer> expected = SummaryExpectations.threads().entrySet().stream()
                .filter(e -> e.getValue().size() >= MIN).collect(Collectors.toMap(Map.Entry::getKey,
                        e -> SummaryExpectations.versions(e.getValue().size(), MIN, EVERY)));
        assertThat(expected).containsEntry(STORY, 2);
        for (Map.Entry<Long, Integer> e : expected.entrySet()) {
            assertThat(Db.longs(env.jdbcUrl(), "SELECT version FROM summaries WHERE subject_kind = 'hn_thread' AND subject_id = '"
                    + e.getKey() + "' ORDER BY version")).as("thread %d", e.getKey())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, e.getValue()).boxed().toList());
        }
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM summaries WHERE subject_kind = 'hn_thread'"))
                .isEqualTo(expected.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(Db.strings(env.jdbcUrl(), "SELECT text FROM summaries WHERE subject_id = '" + STORY + "'"))
                .allMatch(t -> t.startsWith("{\"wants\":["));
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM summaries WHERE prompt_version <> 'thread-wants-v2'"
                + " AND subject_kind = 'hn_thread'")).isZero();
        assertThat(TopicReader.readAll(env.clientProps(), SummaryTopics.THREAD_SNAPSHOTS + ".dlq")).isEmpty();
    }

    @Test
    @Order(3)
    void shouldSummariseEveryDocumentOrDeadLetterItWithAReason() throws Exception {
        List<String> ids = Db.strings(env.jdbcUrl(), "SELECT subject_id FROM summaries WHERE subject_kind = 'document'");
        assertThat(ids).containsExactlyInAnyOrderElementsOf(DOCS.stream().map(DocumentText::getDocId).toList());
        Map<String, String> dead = TopicReader.readAll(env.clientProps(), SummaryTopics.DOCUMENT_TEXT + ".dlq").stream()
                .collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8),
                        r -> DeadLetters.header(r.headers(), DeadLetters.MESSAGE)));
        assertThat(dead).hasSize(2);
        assertThat(dead.get("empty")).contains("has no text to summarise");
        assertThat(dead.get("garbage")).contains("cannot deserialize");
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM summaries WHERE tokens_in <= 0 AND model <> '"
                + OfflineSummarizer.MODEL + "'")).as("tokens recorded").isZero();
        assertThat(Db.strings(env.jdbcUrl(), "SELECT DISTINCT model FROM summaries")).isSubsetOf(PRIMARY, FALLBACK, OfflineSummarizer.MODEL);
        List<String> keys = SummaryExpectations.summaryRecords(env).stream()
                .map(s -> s.getSubjectKind() + ":" + s.getSubjectId() + ":" + s.getVersion()).toList();
        assertThat(keys).as("each summary written to Kafka once").doesNotHaveDuplicates();
    }

    @Test
    @Order(4)
    void shouldNotPayForASummaryAgainWhenItIsReplayedAfterARestart() throws Exception {
        long paidBefore = llm.answered(PRIMARY) + llm.answered(FALLBACK);
        long rowsBefore = Db.count(env.jdbcUrl(), "SELECT count(*) FROM summaries");
        int recordsBefore = SummaryExpectations.summaryRecords(env).size();
        java.time.Instant replayStart = java.time.Instant.now();
        rewind("sluice-summarise-documents", SummaryTopics.DOCUMENT_TEXT);
        rewind("sluice-summarise-threads", SummaryTopics.THREAD_SNAPSHOTS);
        run("summarise-documents,summarise-threads,summaries-store").runUntilIdle(Duration.ofMinutes(2));
        List<Summary> replayed = SummaryExpectations.summaryRecords(env).stream()
                .filter(r -> !r.getCreatedAt().isBefore(replayStart)).toList();
        assertThat(replayed).hasSize(recordsBefore);
        Map<String, String> storedModel = Db.strings(env.jdbcUrl(), "SELECT subject_kind || ':' || subject_id || ':' || version"
                + " || '=' || model FROM summaries").stream().collect(Collectors.toMap(l -> l.split("=")[0], l -> l.split("=")[1]));
        for (Summary r : replayed) {
            String model = storedModel.get(r.getSubjectKind() + ":" + r.getSubjectId() + ":" + r.getVersion());
            if (!model.equals(OfflineSummarizer.MODEL)) {
                assertThat(r.getCached()).as("%s:%s by %s served from llm_cache", r.getSubjectKind(), r.getSubjectId(), model).isTrue();
                assertThat(r.getModel()).isEqualTo(model);
            }
        }
        long repaid = replayed.stream().filter(r -> !r.getCached() && !r.getModel().equals(OfflineSummarizer.MODEL)).count();
        assertThat(replayed.stream().filter(Summary::getCached).count()).isPositive();
        assertThat(llm.answered(PRIMARY) + llm.answered(FALLBACK) - paidBefore)
                .as("model calls only for subjects the offline summariser had made").isEqualTo(repaid);
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM summaries")).as("never overwritten or doubled").isEqualTo(rowsBefore);
    }

    @Test
    @Order(5)
    void shouldTakeTheFallbackModelWhenThePrimaryStaysDownThenTheOfflineSummariser() throws Exception {
        llm.faults().setDown(PRIMARY, true);
        SummaryExpectations.produce(env, SummaryExpectations.documents("fb", 3, 300));
        run("summarise-documents,summaries-store").set(SummariseConfig.RETRY_ATTEMPTS_CONFIG, 2).runUntilIdle(Duration.ofMinutes(2));
        assertThat(Db.strings(env.jdbcUrl(), "SELECT model FROM summaries WHERE subject_id LIKE 'fb-%'")).hasSize(3).containsOnly(FALLBACK);
        llm.faults().setDown(FALLBACK, true);
        SummaryExpectations.produce(env, SummaryExpectations.documents("off", 3, 400));
        run("summarise-documents,summaries-store").set(SummariseConfig.RETRY_ATTEMPTS_CONFIG, 2).runUntilIdle(Duration.ofMinutes(2));
        assertThat(Db.strings(env.jdbcUrl(), "SELECT model FROM summaries WHERE subject_id LIKE 'off-%'")).hasSize(3)
                .containsOnly(OfflineSummarizer.MODEL);
    }

    @Test
    @Order(6)
    void shouldExportSummariesAsJsonLines() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute("export", "summaries", "--format", "jsonl", "--db-url", env.jdbcUrl())).isZero();
        } finally {
            System.setOut(original);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat((long) lines.size()).isEqualTo(Db.count(env.jdbcUrl(), "SELECT count(*) FROM summaries"));
        assertThat(HnExpectations.parse(lines.get(0)).fieldNames()).toIterable().contains("subject_kind", "subject_id",
                "version", "text", "model", "prompt_version", "tokens_in", "tokens_out", "latency_ms", "created_at");
    }

    private static long commentId(ConsumerRecord<byte[], byte[]> r) {
        return new dev.sluice.schemas.AvroSerde<>(dev.sluice.schemas.threads.ThreadComment.class).deserializer()
                .deserialize(r.topic(), r.value()).getItemId();
    }

    /** Moves a stopped stage's committed offsets back to the start, as a crash before its commits would. */
    private static void rewind(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            for (int p = 0; p < 8; p++) {
                zero.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(group, zero).all().get();
        }
    }

}
