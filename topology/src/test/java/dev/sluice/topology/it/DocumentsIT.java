package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.documents.PdfFixtures;
import dev.sluice.topology.cli.SluiceCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Text, scanned and mixed PDFs pushed through the producer API, plus the shared/corpus/bad folder
 * pushed by {@code sluice ingest}, run by a child {@code sluice run} JVM limited to -Xmx512m, on the real broker,
 * PostgreSQL and Tesseract: good documents are stored once with their pages in order and the
 * right method per page; every bad file is dead-lettered with a reason a person understands.
 */
@Tag("long")
class DocumentsIT {
    private static final List<String> GOOD = List.of("text/tar.1.pdf", "scanned/gzip.1.pdf", "scanned/mixed-tar-gzip.pdf");
    private static final List<String> BAD = List.of("bad/empty.pdf", "bad/truncated.pdf", "bad/not-a-pdf.pdf",
            "bad/encrypted.pdf", "bad/1700-pages.pdf", "bad/huge-page.pdf");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ItEnv env;
    private static DocumentsRun run;
    private static Path data;
    private static PdfServer pdfServer;

    @BeforeAll
    static void runPipeline() throws Exception {
        env = ItEnv.start("documents");
        data = env.dir("data");
        run = new DocumentsRun(env, data);
        assertThat(SluiceCli.execute("ingest", SharedFixtures.corpus("bad").toString(), "--bootstrap-servers",
                env.bootstrapServers(), "--schema-registry-url", ItEnv.schemaRegistryUrl(), "--set",
                "schema.registry.auto.register=true", "--data-dir", data.toString())).as("sluice ingest of the bad/ folder").isZero();
        run.push(GOOD.toArray(String[]::new));
        run.push("text/tar.1.pdf");
        pdfServer = PdfServer.serving(SharedFixtures.corpus("text/shared-mime-info-spec.pdf"));
        run.link(4242, pdfServer.url("/spec.pdf"));
        run.push(PdfFixtures.blankPage(200), "it:huge-200in.pdf", "huge-200in.pdf");
        long start = System.nanoTime();
        try (SluiceProcess p = SluiceProcess.start(data.resolve("sluice.log"), run.args("docs", true, List.of("pdf-links"),
                DocumentsConfig.ALLOWED_HOSTS_CONFIG + "=127.0.0.1/32"))) {
            assertThat(p.awaitExit(300)).as("exit code; log:\n%s", p.tail()).isZero();
        }
        System.out.printf("documents pipeline (-Xmx512m) finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    static void stop() {
        pdfServer.close();
        env.close();
    }

    @Test
    void shouldStoreEachGoodDocumentOnceWithPagesInOrderAndTheRightMethodPerPage() throws Exception {
        Map<String, JsonNode> docs = run.stored();
        assertThat(docs.keySet()).containsExactlyInAnyOrder("tar.1.pdf", "gzip.1.pdf", "mixed-tar-gzip.pdf",
                "spec.pdf");
        assertThat(Db.count(env.jdbcUrl(), "SELECT count(*) FROM documents")).as("tar.1.pdf pushed twice is one row").isEqualTo(4);
        JsonNode tar = docs.get("tar.1.pdf");
        assertThat(DocumentsRun.pageNumbers(tar)).containsExactlyElementsOf(range(17));
        assertThat(DocumentsRun.methods(tar)).containsOnly("TEXT_LAYER");
        assertThat(tar.get("text").asText()).contains("tar").contains("\f");
        JsonNode gzip = docs.get("gzip.1.pdf");
        assertThat(DocumentsRun.pageNumbers(gzip)).containsExactlyElementsOf(range(4));
        assertThat(DocumentsRun.methods(gzip)).containsOnly("OCR");
        assertThat(gzip.get("pages").get(0).get("text").asText()).contains("gzip");
        gzip.get("pages").forEach(p -> assertThat(p.get("confidence").asDouble()).isBetween(50.0, 100.0));
        gzip.get("pages").forEach(p -> assertThat(p.get("images")).hasSize(1));
        JsonNode mixed = docs.get("mixed-tar-gzip.pdf");
        assertThat(DocumentsRun.methods(mixed)).containsExactly("TEXT_LAYER", "TEXT_LAYER", "TEXT_LAYER", "OCR", "OCR");
        for (JsonNode d : List.of(tar, gzip, mixed)) {
            assertThat(d.get("status").asText()).isEqualTo("COMPLETE");
            assertThat(d.get("sha256").asText()).hasSize(64);
        }
    }

    @Test
    void shouldDeadLetterEveryBadFileWithAReasonAPersonUnderstands() {
        Map<String, String> reasons = TopicReader.readAll(env.clientProps(), DocumentTopics.dlq(DocumentTopics.DOCUMENTS))
                .stream().collect(Collectors.toMap(r -> DocumentsRun.ref(r.value()).getFilename(),
                        r -> DeadLetters.header(r.headers(), DeadLetters.MESSAGE)));
        assertThat(reasons).hasSize(BAD.size() + 1);
        assertThat(reasons.get("huge-200in.pdf"))
                .isEqualTo("page 1 is 200×200 in: 3.6 gigapixels at 300 dpi exceeds the limit of 40.0 megapixels (documents.max.page.pixels)");
        assertThat(reasons.get("huge-page.pdf")).as("the corpus's 200-inch page (MediaBox 14400 pt)")
                .startsWith("page 1 is 200×200 in").contains("documents.max.page.pixels");
        assertThat(reasons.get("empty.pdf")).isEqualTo("empty: 0 bytes");
        assertThat(reasons.get("truncated.pdf")).startsWith("truncated or corrupt");
        assertThat(reasons.get("not-a-pdf.pdf")).startsWith("not a PDF").contains("PNG");
        assertThat(reasons.get("encrypted.pdf")).isEqualTo("encrypted: needs a password");
        assertThat(reasons.get("1700-pages.pdf")).startsWith("1700 pages exceeds the limit of 1000 pages");
    }

    @Test
    void shouldExportDocumentsAndDeadLettersAsJsonLines() throws Exception {
        List<String> docs = export("export", "documents", "--format", "jsonl", "--db-url", env.jdbcUrl(), "--data-dir", data.toString());
        assertThat(docs).hasSize(GOOD.size() + 1); // and the PDF linked from Hacker News
        assertThat(JSON.readTree(docs.get(0)).get("pages").size()).isPositive();
        List<String> dlq = export("export", "dlq", "--format", "jsonl", "--bootstrap-servers", env.bootstrapServers(),
                "--data-dir", data.toString());
        assertThat(dlq).hasSize(BAD.size() + 1);
        JsonNode first = JSON.readTree(dlq.get(0));
        assertThat(first.get("topic").asText()).isEqualTo(DocumentTopics.dlq(DocumentTopics.DOCUMENTS));
        assertThat(first.get("headers").get(DeadLetters.STAGE).asText()).isEqualTo("split");
        assertThat(first.get("headers").get(DeadLetters.MESSAGE).asText()).isNotBlank();
    }

    @Test
    void shouldStoreAPdfLinkedFromAHackerNewsStoryWithTheStoryAsItsSource() throws Exception {
        JsonNode spec = run.stored().get("spec.pdf");
        assertThat(spec.get("source").asText()).isEqualTo("hn:4242");
        assertThat(DocumentsRun.pageNumbers(spec)).hasSize(17);
        assertThat(DocumentsRun.methods(spec)).containsOnly("TEXT_LAYER");
        assertThat(pdfServer.requests()).isEqualTo(1);
    }

    private static List<String> export(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
    }

    private static List<Integer> range(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).boxed().toList();
    }

    static String message(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetters.header(r.headers(), DeadLetters.MESSAGE);
    }
}
