package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.documents.AssembledDocument;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.sinks.postgres.DocumentsWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code documents} upsert on the real PostgreSQL never downgrades a row: an assembly with fewer
 * pages, or an incomplete one, never replaces what is stored; a better one does, even if older.
 */
class DocumentsWriterIT {
    private static String jdbcUrl;
    private final DocumentsWriter writer = new DocumentsWriter();

    @BeforeAll
    static void database() throws Exception {
        jdbcUrl = ItEnv.database("documents_writer_it");
    }

    @Test
    void shouldNotReplaceADocumentWithMorePagesByOneWithFewer() throws Exception {
        write(assembly("more", "TIMED_OUT", 4, List.of(1, 2, 3), 1_000), assembly("more", "TIMED_OUT", 4, List.of(1), 2_000));
        assertThat(stored("more")).isEqualTo("TIMED_OUT 3 [4] 1000");
    }

    @Test
    void shouldNotReplaceACompleteDocumentByALaterTimedOutOne() throws Exception {
        write(assembly("done", "COMPLETE", 3, List.of(1, 2, 3), 1_000), assembly("done", "TIMED_OUT", 3, List.of(2), 2_000));
        assertThat(stored("done")).isEqualTo("COMPLETE 3 [] 1000");
    }

    @Test
    void shouldNotReplaceACompleteDocumentByALaterPartialOneWithAsManyPages() throws Exception {
        write(assembly("ok", "COMPLETE", 2, List.of(1, 2), 1_000), assembly("ok", "PARTIAL", 2, List.of(1, 2), 2_000));
        assertThat(stored("ok")).isEqualTo("COMPLETE 2 [] 1000");
    }

    @Test
    void shouldReplaceAStoredDocumentByAnOlderOneWithMorePages() throws Exception {
        write(assembly("late", "TIMED_OUT", 3, List.of(1), 2_000), assembly("late", "COMPLETE", 3, List.of(1, 2, 3), 1_000));
        assertThat(stored("late")).isEqualTo("COMPLETE 3 [] 1000");
    }

    @Test
    void shouldReplaceAnEquallyCompleteDocumentOnlyByALaterAssembly() throws Exception {
        write(assembly("same", "COMPLETE", 2, List.of(1, 2), 1_000), assembly("same", "COMPLETE", 2, List.of(1, 2), 3_000),
                assembly("same", "COMPLETE", 2, List.of(1, 2), 2_000));
        assertThat(stored("same")).isEqualTo("COMPLETE 2 [] 3000");
    }

    /** Each value in its own transaction, as the sink's batches would commit them. */
    private void write(AssembledDocument... values) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            writer.createSchema(c);
            c.commit();
            for (AssembledDocument d : values) {
                writer.write(c, List.of(d));
                c.commit();
            }
        }
    }

    /** {@code status pages-in [missing] assembled-at-ms} of the stored row. */
    private static String stored(String docId) throws Exception {
        return Db.strings(jdbcUrl, "SELECT status || ' ' || jsonb_array_length(pages) || ' ' || array_to_json(missing_pages)"
                + " || ' ' || (extract(epoch FROM assembled_at) * 1000)::bigint FROM documents WHERE doc_id = '" + docId + "'")
                .get(0);
    }

    private static AssembledDocument assembly(String docId, String status, int pageCount, List<Integer> in, long assembledAt) {
        DocumentRef ref = DocumentRef.newBuilder().setDocId(docId).setBlob("sha256:" + "0".repeat(64))
                .setSource("test:" + docId).setFilename(docId + ".pdf").setSizeBytes(10).setSubmittedAt(assembledAt).build();
        List<DocumentPage> pages = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int p = 1; p <= pageCount; p++) {
            if (in.contains(p)) {
                PageMethod method = status.equals("PARTIAL") && p == pageCount ? PageMethod.FAILED : PageMethod.TEXT_LAYER;
                pages.add(DocumentPage.newBuilder().setPageNumber(p).setMethod(method).setText("page " + p).build());
            } else {
                missing.add(p);
            }
        }
        return AssembledDocument.newBuilder().setDoc(ref).setPageCount(pageCount).setStatus(status).setPages(pages)
                .setMissingPages(missing).setFirstPageAt(assembledAt).setAssembledAt(assembledAt).build();
    }
}
