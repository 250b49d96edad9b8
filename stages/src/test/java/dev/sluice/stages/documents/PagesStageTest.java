package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.blob.BlobStore;
import dev.sluice.blob.FolderBlobStore;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.StageTopology;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.schemas.documents.PageTask;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages stage with real PDFBox, in TopologyTestDriver. */
class PagesStageTest {
    @TempDir
    Path tmp;

    @Test
    void shouldDeadLetterAPageWhoseTextExtractionTimesOutAndReadTheNextPageFromTheReopenedDocument() throws Exception {
        FolderBlobStore blobs = new FolderBlobStore(tmp.resolve("blobs"));
        // page 1: 10^6 text draws through nested forms, about a minute of text extraction on its own
        byte[] pdf = PdfFixtures.slowTextThenTextPage(10, 6);
        String blob = blobs.put(pdf);
        DocumentRef doc = DocumentFixtures.ref(BlobStore.digestOf(blob), blob, "slow.pdf", pdf.length);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "pages-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(StageTopology.build(new PagesStage().definition(), RetryPolicy.DEFAULT,
                "test", DocumentFixtures.settings(blobs.root(), DocumentsConfig.TEXT_TIMEOUT_MS_CONFIG, "300")), p)) {
            TestInputTopic<String, PageTask> tasks = driver.createInputTopic(DocumentTopics.PAGES, new StringSerializer(),
                    new AvroSerde<>(PageTask.class).serializer());
            TestOutputTopic<String, PageResult> results = driver.createOutputTopic(DocumentTopics.PAGE_RESULTS,
                    new StringDeserializer(), new AvroSerde<>(PageResult.class).deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(DocumentTopics.dlq(DocumentTopics.PAGES),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());

            tasks.pipeInput(DocumentTopics.pageKey(doc.getDocId(), 1), DocumentFixtures.task(doc, 1, 2));
            tasks.pipeInput(DocumentTopics.pageKey(doc.getDocId(), 2), DocumentFixtures.task(doc, 2, 2));

            assertThat(DeadLetters.header(dlq.readRecord().headers(), DeadLetters.MESSAGE))
                    .isEqualTo("page 1: text extraction exceeded 300 ms (pages.text.timeout.ms)");
            assertThat(dlq.isEmpty()).isTrue();
            List<PageResult> out = results.readValuesToList();
            assertThat(out).hasSize(1);
            DocumentPage page2 = out.get(0).getPage();
            assertThat(page2.getPageNumber()).isEqualTo(2);
            assertThat(page2.getMethod()).isEqualTo(PageMethod.TEXT_LAYER);
            assertThat(page2.getText()).contains(PdfFixtures.TEXT);
            // the abandoned extraction's document was closed under it, so it fails instead of running on
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (extractingText() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(extractingText()).as("a thread still extracting text 10 s after its page timed out").isFalse();
        }
    }

    private static boolean extractingText() {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().isAlive())
                .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(TextLayer.class.getName())));
    }
}
