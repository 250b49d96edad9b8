package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The documents stages' process is SIGKILLed mid-document (pages read, documents not all
 * assembled) and restarted: every input ends as exactly one stored document with every page
 * once, and the page-result and assembled topics hold each page and each document exactly once.
 */
@Tag("long")
class DocumentsChaosIT {
    private static final Map<String, Integer> PAGES = Map.of("libtasn1-p5-14.pdf", 10, "mixed-tar-gzip.pdf", 5,
            "libtasn1-manual.pdf", 36);
    private static ItEnv env;

    @BeforeAll
    static void start() throws Exception {
        env = ItEnv.start("documents-chaos");
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void shouldStoreEachDocumentOnceWithEveryPageOnceWhenKilledMidDocument() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Path data = env.dir("data");
        DocumentsRun run = new DocumentsRun(env, data);
        List<DocumentRef> refs = run.push("scanned/libtasn1-p5-14.pdf", "scanned/mixed-tar-gzip.pdf", "text/libtasn1-manual.pdf");
        Path log = data.resolve("sluice.log");
        int resultsAtKill;
        try (SluiceProcess p = SluiceProcess.start(log, run.args("chaos-docs", false))) {
            awaitPageResults(p);
            Thread.sleep(new Random(seed).nextInt(1500));
            p.kill();
            resultsAtKill = pageResults().size();
        }
        long storedAtKill = Db.count(env.jdbcUrl(), "SELECT count(*) FROM documents");
        try (SluiceProcess p = SluiceProcess.start(log, run.args("chaos-docs", true))) {
            assertThat(p.awaitExit(300)).as("exit code; log:\n%s", p.tail()).isZero();
        }
        assertThat(resultsAtKill).as("killed mid-stream (seed %d)", seed).isBetween(1, 50);
        assertThat(storedAtKill).as("killed before every document was stored (seed %d)", seed).isLessThan(3);
        Map<String, JsonNode> stored = run.stored();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(PAGES.keySet());
        PAGES.forEach((file, n) -> assertThat(DocumentsRun.pageNumbers(stored.get(file))).as(file)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, n).boxed().toList()));
        assertThat(DocumentsRun.methods(stored.get("libtasn1-p5-14.pdf"))).containsOnly("OCR");
        assertThat(pageResults()).as("page results: each page exactly once").hasSize(51).doesNotHaveDuplicates();
        List<String> assembled = TopicReader.readAll(env.clientProps(), DocumentTopics.ASSEMBLED).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        assertThat(assembled).as("assembled: each document exactly once")
                .containsExactlyInAnyOrderElementsOf(refs.stream().map(DocumentRef::getDocId).toList());
    }

    private static List<String> pageResults() {
        AvroSerde<PageResult> serde = new AvroSerde<>(PageResult.class);
        return TopicReader.readAll(env.clientProps(), DocumentTopics.PAGE_RESULTS).stream()
                .map(r -> serde.deserializer().deserialize("t", r.value()))
                .map(r -> r.getTask().getDoc().getDocId() + ":" + r.getTask().getPageNumber())
                .collect(Collectors.toList());
    }

    private static void awaitPageResults(SluiceProcess p) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (pageResults().isEmpty()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no page read; log tail:\n" + p.tail());
            }
            Thread.sleep(200);
        }
    }
}
