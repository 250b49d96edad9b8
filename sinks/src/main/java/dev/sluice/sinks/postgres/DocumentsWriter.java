package dev.sluice.sinks.postgres;

import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.schemas.documents.DocumentTopics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.documents.AssembledDocument;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.PageImage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Table {@code documents}: one row per document (doc id = sha256 of the PDF), with its source,
 * page count, title and metadata, full text (pages joined by form feeds), per-page text, method and
 * confidence ({@code pages jsonb}), image references, timings and status; {@code doc jsonb} is the
 * whole record as {@code sluice export documents} prints it. Upserts by doc id, so a replay or a
 * second push of the same file leaves one row, and never downgrades it: an assembly replaces the
 * stored one only if it is complete and the stored one is not, or both are equally complete and it
 * has at least as many pages (not missing) and, on a tie, was assembled no earlier. A timed-out
 * assembly thus never replaces a complete one, nor one with more pages.
 */
public final class DocumentsWriter extends AvroRowWriter<AssembledDocument> implements StageProvider {
    public static final String TABLE = "documents";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSERT = "INSERT INTO documents (doc_id, sha256, blob, source, filename, size_bytes,"
            + " page_count, title, metadata, status, missing_pages, text, pages, images, timings, doc, assembled_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?)"
            + " ON CONFLICT (doc_id) DO UPDATE SET blob = EXCLUDED.blob, source = EXCLUDED.source,"
            + " filename = EXCLUDED.filename, size_bytes = EXCLUDED.size_bytes, page_count = EXCLUDED.page_count,"
            + " title = EXCLUDED.title, metadata = EXCLUDED.metadata, status = EXCLUDED.status,"
            + " missing_pages = EXCLUDED.missing_pages, text = EXCLUDED.text, pages = EXCLUDED.pages,"
            + " images = EXCLUDED.images, timings = EXCLUDED.timings, doc = EXCLUDED.doc,"
            + " assembled_at = EXCLUDED.assembled_at"
            + " WHERE (EXCLUDED.status = 'COMPLETE', EXCLUDED.page_count - cardinality(EXCLUDED.missing_pages),"
            + " EXCLUDED.assembled_at)"
            + " >= (documents.status = 'COMPLETE', documents.page_count - cardinality(documents.missing_pages),"
            + " documents.assembled_at)";

    private static final String DDL = "CREATE TABLE IF NOT EXISTS documents (doc_id text PRIMARY KEY, sha256 text NOT NULL, blob text NOT NULL,"
            + " source text NOT NULL, filename text, size_bytes bigint NOT NULL, page_count int NOT NULL, title text,"
            + " metadata jsonb NOT NULL, status text NOT NULL, missing_pages int[] NOT NULL, text text NOT NULL,"
            + " pages jsonb NOT NULL, images jsonb NOT NULL, timings jsonb NOT NULL, doc jsonb NOT NULL,"
            + " assembled_at timestamptz NOT NULL)";

    /** The sink stage {@code store-documents}: DocumentTopics.ASSEMBLED into PostgreSQL, offsets in the same transaction as the rows. */
    @Override
    public StageDefinition<?, ?, ?, ?> definition() {
        return SinkStages.definition("store-documents", DocumentTopics.ASSEMBLED, DocumentsWriter::new,
                Scaling.DEFAULT.lagThreshold(100).replicas(1, 4), BlobGcTask::around, StageDefinition.Use.BLOB_STORE);
    }

    public DocumentsWriter() {
        super(TABLE, AssembledDocument.class, UPSERT, DDL);
    }

    @Override
    protected void bind(Connection db, PreparedStatement ps, AssembledDocument d) throws SQLException {
        ObjectNode doc = DocumentJson.of(d);
        ps.setString(1, d.getDoc().getDocId());
        ps.setString(2, d.getDoc().getDocId());
        ps.setString(3, d.getDoc().getBlob());
        ps.setString(4, d.getDoc().getSource());
        ps.setString(5, d.getDoc().getFilename());
        ps.setLong(6, d.getDoc().getSizeBytes());
        ps.setInt(7, d.getPageCount());
        ps.setString(8, d.getTitle());
        ps.setString(9, doc.get("metadata").toString());
        ps.setString(10, d.getStatus());
        ps.setArray(11, db.createArrayOf("int", d.getMissingPages().toArray()));
        ps.setString(12, doc.get("text").asText());
        ps.setString(13, doc.get("pages").toString());
        ps.setString(14, images(d).toString());
        ps.setString(15, doc.get("timings").toString());
        ps.setString(16, doc.toString());
        ps.setTimestamp(17, Timestamp.from(Instant.ofEpochMilli(d.getAssembledAt())));
    }

    /** Every image of the document with its page number. */
    private static ArrayNode images(AssembledDocument d) {
        ArrayNode out = JSON.createArrayNode();
        for (DocumentPage p : d.getPages()) {
            for (PageImage i : p.getImages()) {
                out.add(DocumentJson.image(i).put("page", p.getPageNumber()));
            }
        }
        return out;
    }
}
