package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssembleTopologyTest {
    @TempDir
    Path tmp;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PageResult> results;
    private TestInputTopic<byte[], byte[]> pagesDlq;
    private TestOutputTopic<String, AssembledDocument> assembled;

    @BeforeEach
    void startDriver() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "assemble-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.toString());
        DocumentsConfig config = new DocumentsConfig(Map.of(DocumentsConfig.DOCUMENT_TIMEOUT_MS_CONFIG, "120000",
                DocumentsConfig.ASSEMBLE_CHECK_MS_CONFIG, "1000"), tmp);
        driver = new TopologyTestDriver(AssembleTopology.build(config), p);
        results = driver.createInputTopic(DocumentTopics.PAGE_RESULTS, new StringSerializer(), new AvroSerde<>(PageResult.class).serializer());
        pagesDlq = driver.createInputTopic(DocumentTopics.dlq(DocumentTopics.PAGES), new ByteArraySerializer(), new ByteArraySerializer());
        assembled = driver.createOutputTopic(DocumentTopics.ASSEMBLED, new StringDeserializer(),
                new AvroSerde<>(AssembledDocument.class).deserializer());
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
    void shouldCloseADocumentPastTheTimeoutNamingTheMissingPages() {
        DocumentRef doc = DocumentFixtures.ref("c");
        results.pipeInput("c", DocumentFixtures.textPage(doc, 2, 3));
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(assembled.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        AssembledDocument d = assembled.readValue();
        assertThat(d.getStatus()).isEqualTo("TIMED_OUT");
        assertThat(d.getMissingPages()).containsExactly(1, 3);
        assertThat(d.getPages()).extracting(DocumentPage::getPageNumber).containsExactly(2);
        results.pipeInput("c", DocumentFixtures.textPage(doc, 1, 3));
        assertThat(assembled.isEmpty()).as("a late page of a closed document").isTrue();
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
