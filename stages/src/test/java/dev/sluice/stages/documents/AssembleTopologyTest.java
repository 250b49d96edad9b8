package dev.sluice.stages.documents;

import dev.sluice.stage.Names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.AssembledDocument;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.schemas.documents.PageTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssembleTopologyTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long TIMEOUT_MS = 120_000;
    private static final long CLOSED_RETENTION_MS = 600_000;

    @TempDir
    Path tmp;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PageResult> results;
    private TestInputTopic<byte[], byte[]> pagesDlq;
    private TestOutputTopic<String, AssembledDocument> assembled;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "assemble-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.toString());
        DocumentsConfig config = new DocumentsConfig(Map.of(DocumentsConfig.DOCUMENT_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                DocumentsConfig.ASSEMBLE_CHECK_MS_CONFIG, "1000",
                DocumentsConfig.ASSEMBLE_CLOSED_RETENTION_MS_CONFIG, CLOSED_RETENTION_MS), tmp);
        driver = new TopologyTestDriver(AssembleTopology.build(config, Names.DEFAULT), p, Instant.ofEpochMilli(T0));
        results = driver.createInputTopic(DocumentTopics.PAGE_RESULTS, new StringSerializer(),
                new AvroSerde<>(PageResult.class).serializer(), Instant.ofEpochMilli(T0), Duration.ZERO);
        pagesDlq = driver.createInputTopic(DocumentTopics.dlq(DocumentTopics.PAGES), new ByteArraySerializer(), new ByteArraySerializer());
        assembled = driver.createOutputTopic(DocumentTopics.ASSEMBLED, new StringDeserializer(),
                new AvroSerde<>(AssembledDocument.class).deserializer());
        deadLetters = driver.createOutputTopic(DocumentTopics.dlq(DocumentTopics.PAGE_RESULTS), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldEmitTheDocumentOnceInPageOrderWhenAllPagesArrivedOutOfOrder() {
        DocumentRef doc = DocumentFixtures.ref("a");
        for (int page : new int[] {3, 1, 4, 2}) {
            results.pipeInput("a", DocumentFixtures.textPage(doc, page, 4));
            if (page != 2) {
                assertThat(assembled.isEmpty()).as("not all pages in after page %d", page).isTrue();
            }
        }
        AssembledDocument d = assembled.readValue();
        assertThat(d.getPages()).extracting(DocumentPage::getPageNumber).containsExactly(1, 2, 3, 4);
        assertThat(d.getStatus()).isEqualTo("COMPLETE");
        assertThat(d.getTitle()).isEqualTo("T");
        results.pipeInput("a", DocumentFixtures.textPage(doc, 2, 4));
        assertThat(assembled.isEmpty()).as("a replayed page of an emitted document").isTrue();
        assertThat(deadLetters.isEmpty()).as("a duplicate of an emitted page is dropped, not dead-lettered").isTrue();
    }

    @Test
    void shouldMarkADeadLetteredPageFailedWithItsReasonInsteadOfWaiting() {
        DocumentRef doc = DocumentFixtures.ref("b");
        results.pipeInput("b", DocumentFixtures.textPage(doc, 1, 2));
        RecordHeaders h = new RecordHeaders();
        h.add(DeadLetters.MESSAGE, "page 2: OCR stopped after the page time limit".getBytes(StandardCharsets.UTF_8));
        byte[] task = new AvroSerde<>(PageTask.class).serializer().serialize("t", DocumentFixtures.task(doc, 2, 2));
        pagesDlq.pipeInput(new TestRecord<>("b:2".getBytes(StandardCharsets.UTF_8), task, h));
        AssembledDocument d = assembled.readValue();
        assertThat(d.getStatus()).isEqualTo("PARTIAL");
        DocumentPage failed = d.getPages().get(1);
        assertThat(failed.getMethod()).isEqualTo(PageMethod.FAILED);
        assertThat(failed.getFailure()).isEqualTo("page 2: OCR stopped after the page time limit");
    }

    @Test
    void shouldTimeOutOnStreamTimeNamingMissingPages() {
        DocumentRef doc = DocumentFixtures.ref("c");
        results.pipeInput("c", DocumentFixtures.textPage(doc, 2, 3), T0);
        results.pipeInput("x", DocumentFixtures.textPage(DocumentFixtures.ref("x"), 1, 2), T0 + 60_000);
        assertThat(assembled.isEmpty()).as("60 s of stream time into a 120 s timeout").isTrue();
        results.pipeInput("y", DocumentFixtures.textPage(DocumentFixtures.ref("y"), 1, 2), T0 + TIMEOUT_MS + 1_000);
        AssembledDocument d = assembled.readValue();
        assertThat(d.getDoc().getDocId()).isEqualTo("c");
        assertThat(d.getStatus()).isEqualTo("TIMED_OUT");
        assertThat(d.getMissingPages()).containsExactly(1, 3);
        assertThat(d.getPages()).extracting(DocumentPage::getPageNumber).containsExactly(2);
        assertThat(d.getFirstPageAt()).as("stream time of the first page").isEqualTo(T0);
        assertThat(assembled.isEmpty()).as("x is 61 s into its timeout").isTrue();
    }

    @Test
    void shouldNotTimeOutDocumentWhosePagesArriveAfterWallClockPause() {
        DocumentRef doc = DocumentFixtures.ref("e");
        results.pipeInput("e", DocumentFixtures.textPage(doc, 1, 2), T0);
        driver.advanceWallClockTime(Duration.ofHours(6));
        assertThat(assembled.isEmpty()).as("6 h of wall clock, no stream time").isTrue();
        results.pipeInput("e", DocumentFixtures.textPage(doc, 2, 2), T0 + 1_000);
        AssembledDocument d = assembled.readValue();
        assertThat(d.getStatus()).isEqualTo("COMPLETE");
        assertThat(d.getMissingPages()).isEmpty();
    }

    @Test
    void shouldEmitCompleteWhenTheLastPageItselfAdvancesStreamTimePastTheTimeout() {
        DocumentRef doc = DocumentFixtures.ref("h");
        results.pipeInput("h", DocumentFixtures.textPage(doc, 1, 2), T0);
        results.pipeInput("h", DocumentFixtures.textPage(doc, 2, 2), T0 + 10 * TIMEOUT_MS);
        assertThat(assembled.readValuesToList()).extracting(AssembledDocument::getStatus).containsExactly("COMPLETE");
    }

    @Test
    void shouldDeadLetterLatePageAfterClose() {
        DocumentRef doc = DocumentFixtures.ref("f");
        results.pipeInput("f", DocumentFixtures.textPage(doc, 2, 4), T0);
        results.pipeInput("z", DocumentFixtures.textPage(DocumentFixtures.ref("z"), 1, 1), T0 + TIMEOUT_MS);
        assertThat(assembled.readValuesToList()).extracting(AssembledDocument::getStatus).containsExactly("COMPLETE", "TIMED_OUT");
        byte[] late = new AvroSerde<>(PageResult.class).serializer().serialize(DocumentTopics.PAGE_RESULTS,
                DocumentFixtures.textPage(doc, 4, 4));
        driver.createInputTopic(DocumentTopics.PAGE_RESULTS, new StringSerializer(), new ByteArraySerializer())
                .pipeInput("f", late, T0 + TIMEOUT_MS + 5_000);
        assertThat(assembled.isEmpty()).as("a late page never opens its document again").isTrue();
        TestRecord<byte[], byte[]> dl = deadLetters.readRecord();
        assertThat(dl.value()).isEqualTo(late);
        assertThat(new String(dl.key(), StandardCharsets.UTF_8)).isEqualTo("f");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.MESSAGE)).isEqualTo("page 4 of document f@1000 arrived after"
                + " the document was closed at " + Instant.ofEpochMilli(T0 + TIMEOUT_MS) + " without it; it is not opened again");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.STAGE)).isEqualTo(AssembleTopology.NAME);
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.TOPIC)).isEqualTo(DocumentTopics.PAGE_RESULTS);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldExpireClosedMarkersAfterRetention() {
        KeyValueStore<String, Object> open = driver.getKeyValueStore(AssembleTopology.OPEN_STORE);
        results.pipeInput("g", DocumentFixtures.textPage(DocumentFixtures.ref("g"), 1, 1), T0);
        assertThat(assembled.readValuesToList()).hasSize(1);
        driver.advanceWallClockTime(Duration.ofDays(30));
        results.pipeInput("k", DocumentFixtures.textPage(DocumentFixtures.ref("k"), 1, 1), T0 + CLOSED_RETENTION_MS - 1_000);
        assertThat(open.get("g@1000")).as("1 s of stream time before the retention ends, 30 days of wall clock after").isNotNull();
        results.pipeInput("l", DocumentFixtures.textPage(DocumentFixtures.ref("l"), 1, 1), T0 + CLOSED_RETENTION_MS);
        assertThat(open.get("g@1000")).as("retention over in stream time").isNull();
        assertThat(open.get("k@1000")).as("closed 1 s later").isNotNull();
        KeyValueStore<String, String> due = driver.getKeyValueStore(AssembleTopology.DUE_STORE);
        try (KeyValueIterator<String, String> it = due.all()) {
            List<String> left = new ArrayList<>();
            it.forEachRemaining(e -> left.add(e.value));
            assertThat(left).as("deadlines left: the closed markers of k and l").containsExactly("k@1000", "l@1000");
        }
    }

    @Test
    void shouldRefuseAClosedRetentionShorterThanTheDocumentTimeout() {
        assertThatThrownBy(() -> new DocumentsConfig(Map.of(DocumentsConfig.DOCUMENT_TIMEOUT_MS_CONFIG, "600000",
                DocumentsConfig.ASSEMBLE_CLOSED_RETENTION_MS_CONFIG, "60000"), tmp))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DocumentsConfig.ASSEMBLE_CLOSED_RETENTION_MS_CONFIG);
    }

    @Test
    void shouldAssembleASecondPushOfTheSameBytesAsItsOwnSubmission() {
        DocumentRef first = DocumentFixtures.ref("d");
        DocumentRef again = DocumentRef.newBuilder(first).setSubmittedAt(2_000L).build();
        results.pipeInput("d", DocumentFixtures.textPage(first, 1, 1));
        results.pipeInput("d", DocumentFixtures.textPage(again, 1, 1));
        assertThat(assembled.readValuesToList()).hasSize(2);
    }
}
