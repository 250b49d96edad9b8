package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.blob.FolderBlobStore;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.StageTopology;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitStageTest {
    @TempDir
    Path tmp;

    private FolderBlobStore blobs;
    private TopologyTestDriver driver;
    private TestInputTopic<String, DocumentRef> docs;
    private TestOutputTopic<String, PageTask> pages;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void startDriver() {
        blobs = new FolderBlobStore(tmp.resolve("blobs"));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "split-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        driver = new TopologyTestDriver(StageTopology.build(new SplitStage().definition(), RetryPolicy.DEFAULT, "test",
                DocumentFixtures.settings(blobs.root())), p);
        docs = driver.createInputTopic(DocumentTopics.DOCUMENTS, new StringSerializer(), new AvroSerde<>(DocumentRef.class).serializer());
        pages = driver.createOutputTopic(DocumentTopics.PAGES, new StringDeserializer(), new AvroSerde<>(PageTask.class).deserializer());
        dlq = driver.createOutputTopic(DocumentTopics.dlq(DocumentTopics.DOCUMENTS), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldEmitOnePageTaskPerPageKeyedByDocAndPage() throws Exception {
        DocumentRef ref = DocumentFixtures.corpusRef(blobs, "scanned/mixed-tar-gzip.pdf");
        docs.pipeInput(ref.getDocId(), ref);
        List<KeyValue<String, PageTask>> out = pages.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly(
                ref.getDocId() + ":1", ref.getDocId() + ":2", ref.getDocId() + ":3", ref.getDocId() + ":4", ref.getDocId() + ":5");
        assertThat(out).allSatisfy(kv -> {
            assertThat(kv.value.getPageCount()).isEqualTo(5);
            assertThat(kv.value.getDoc()).isEqualTo(ref);
        });
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAPageTooLargeToRenderBeforeRenderingIt() throws Exception {
        byte[] huge = PdfFixtures.blankPage(200);
        String ref = blobs.put(huge);
        DocumentRef doc = DocumentFixtures.ref(dev.sluice.blob.BlobStore.digestOf(ref), ref, "huge.pdf", huge.length);
        docs.pipeInput(doc.getDocId(), doc);
        assertThat(DeadLetters.header(dlq.readRecord().headers(), DeadLetters.MESSAGE)).isEqualTo(
                "page 1 is 200×200 in: 3.6 gigapixels at 300 dpi exceeds the limit of 40.0 megapixels (documents.max.page.pixels)");
        assertThat(pages.isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad/empty.pdf|empty: 0 bytes",
            "bad/not-a-pdf.pdf|not a PDF: the file starts with the PNG signature (it is an image), not %PDF-",
            "bad/encrypted.pdf|encrypted: needs a password",
            "bad/truncated.pdf|truncated or corrupt: ",
            "bad/1700-pages.pdf|1700 pages exceeds the limit of 1000 pages (documents.max.pages)"})
    void shouldDeadLetterABadFileWithItsReasonAndGoOn(String file, String reason) throws Exception {
        DocumentRef bad = DocumentFixtures.corpusRef(blobs, file);
        DocumentRef good = DocumentFixtures.corpusRef(blobs, "text/tar.1.pdf");
        docs.pipeInput(bad.getDocId(), bad);
        docs.pipeInput(good.getDocId(), good);
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.MESSAGE)).startsWith(reason);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("split");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(pages.readValuesToList()).hasSize(17).allMatch(t -> t.getDoc().getDocId().equals(good.getDocId()));
    }
}
