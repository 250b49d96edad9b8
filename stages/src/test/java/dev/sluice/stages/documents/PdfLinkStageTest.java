package dev.sluice.stages.documents;

import dev.sluice.stage.Names;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.blob.FolderBlobStore;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.RetryPolicy;
import dev.sluice.runtime.StageExecution;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.hn.HnLink;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stages.hn.HnTopics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pdf-links stage against a real local HTTP server serving a corpus PDF. */
class PdfLinkStageTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] pdf;
    private StageExecution<Long, HnLink, String, DocumentRef> execution;
    private Stage<Long, HnLink, String, DocumentRef> stage;

    @BeforeEach
    void start() throws Exception {
        pdf = Files.readAllBytes(SharedFixtures.corpus("text/tar.1.pdf"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/paper.pdf", ex -> reply(ex, 200, "application/pdf", pdf));
        server.createContext("/download", ex -> reply(ex, 200, "application/pdf", pdf));
        server.createContext("/page.html", ex -> reply(ex, 200, "text/html", "<html></html>".getBytes()));
        server.createContext("/fake.pdf", ex -> reply(ex, 200, "application/pdf", "<html>".getBytes()));
        server.createContext("/gone.pdf", ex -> reply(ex, 404, "text/plain", "no".getBytes()));
        server.start();
        init(Map.of(DocumentsConfig.BLOB_DIR_CONFIG, tmp.toString(), DocumentsConfig.MAX_BYTES_CONFIG, "200000",
                DocumentsConfig.PROBE_CONTENT_TYPE_CONFIG, "true", DocumentsConfig.ALLOWED_HOSTS_CONFIG, "127.0.0.1/32"));
    }

    private void init(Map<String, Object> settings) {
        if (stage != null) {
            stage.close();
        }
        StageDefinition<Long, HnLink, String, DocumentRef> def = new PdfLinkStage().definition();
        stage = def.newStage();
        stage.init(new StageContext(PdfLinkStage.NAME, "test", settings));
        execution = new StageExecution<>(def, stage, new RetryPolicy(Duration.ZERO, Duration.ZERO, 1, Duration.ZERO), Names.DEFAULT);
    }

    private void reply(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws java.io.IOException {
        requests.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        stage.close();
    }

    private List<ProducerRecord<byte[], byte[]>> run(long storyId, String path, boolean looksLikePdf) {
        return runUrl(storyId, "http://127.0.0.1:" + server.getAddress().getPort() + path, looksLikePdf);
    }

    private List<ProducerRecord<byte[], byte[]>> runUrl(long storyId, String url, boolean looksLikePdf) {
        HnLink link = HnLink.newBuilder().setStoryId(storyId).setUrl(url)
                .setHost(URI.create(url).getHost()).setLooksLikePdf(looksLikePdf).build();
        byte[] value = new AvroSerde<>(HnLink.class).serializer().serialize(HnTopics.LINKS, link);
        byte[] key = ByteBuffer.allocate(8).putLong(storyId).array();
        return execution.execute(new dev.sluice.runtime.DeadLetters.Origin(HnTopics.LINKS, 0, storyId, key, value, null), 5L);
    }

    private static DocumentRef ref(ProducerRecord<byte[], byte[]> r) {
        return new AvroSerde<>(DocumentRef.class).deserializer().deserialize("t", r.value());
    }

    @Test
    void shouldDownloadALinkedPdfIntoTheBlobStoreAsADocumentOfTheStory() throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = run(42, "/paper.pdf", true);
        assertThat(out).hasSize(1);
        DocumentRef ref = ref(out.get(0));
        assertThat(ref.getSource()).isEqualTo("hn:42");
        assertThat(ref.getFilename()).isEqualTo("paper.pdf");
        assertThat(new FolderBlobStore(tmp).get(ref.getBlob())).isEqualTo(pdf);
    }

    @Test
    void shouldTakeALinkServingApplicationPdfAndSkipOtherContent() {
        assertThat(run(43, "/download", false)).hasSize(1);
        assertThat(run(44, "/page.html", false)).isEmpty();
    }

    @Test
    void shouldDeadLetterWhatIsNotAPdfOrIsGone() {
        assertThat(reason(run(45, "/fake.pdf", true))).startsWith("not a PDF");
        assertThat(reason(run(46, "/gone.pdf", true))).startsWith("HTTP 404");
    }

    @Test
    void shouldRefuseADownloadAboveTheSizeCap() {
        server.createContext("/big.pdf", ex -> reply(ex, 200, "application/pdf", new byte[300_000]));
        assertThat(reason(run(47, "/big.pdf", true))).startsWith("too large");
    }

    @Test
    void shouldDeadLetterALinkToAPrivateAddressNamingTheRule() {
        assertThat(reason(runUrl(48, "http://10.0.0.1/x.pdf", true)))
                .isEqualTo("refused http://10.0.0.1/x.pdf: 10.0.0.1 is a private address (rule: private-ipv4)");
    }

    @Test
    void shouldDeadLetterALinkToThisMachineUnlessItIsOnTheAllowList() {
        init(Map.of(DocumentsConfig.BLOB_DIR_CONFIG, tmp.toString()));
        assertThat(reason(run(49, "/paper.pdf", true))).startsWith("refused").endsWith("(rule: loopback-ipv4)");
        assertThat(requests).hasValue(0);
    }

    @Test
    void shouldNotProbeLinksWithoutPdfInTheirPathByDefault() {
        init(Map.of(DocumentsConfig.BLOB_DIR_CONFIG, tmp.toString(), DocumentsConfig.ALLOWED_HOSTS_CONFIG, "127.0.0.1/32"));
        assertThat(run(50, "/download", false)).isEmpty();
        assertThat(requests).as("no request to a link that does not look like a PDF").hasValue(0);
        assertThat(run(51, "/paper.pdf", true)).hasSize(1);
    }

    private static String reason(List<ProducerRecord<byte[], byte[]>> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(HnTopics.dlq(HnTopics.LINKS));
        return DeadLetters.header(out.get(0).headers(), DeadLetters.MESSAGE);
    }
}
