package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.documents.PageTask;
import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;

/**
 * Split: a pushed document becomes one {@link PageTask} per page on {@link DocumentTopics#PAGES},
 * keyed {@code <doc id>:<page>} so pages spread over partitions and the OCR stage scales by them.
 * A document that cannot be read or breaks a limit (bytes, pages, pixels of any page) is
 * dead-lettered here whole, with its reason. Runs inside Kafka Streams (concurrency 1).
 */
public final class SplitStage implements Stage<String, DocumentRef, String, PageTask>, StageProvider {
    public static final String NAME = "split";

    private BlobStore blobs;
    private PageLimits limits;

    @Override
    public StageDefinition<String, DocumentRef, String, PageTask> definition() {
        return StageDefinition.<String, DocumentRef, String, PageTask>builder(NAME)
                .input(DocumentTopics.DOCUMENTS, Serdes.String(), new AvroSerde<>(DocumentRef.class))
                .output(DocumentTopics.PAGES, Serdes.String(), new AvroSerde<>(PageTask.class))
                .stage(SplitStage::new)
                .uses(StageDefinition.Use.BLOB_STORE)
                .config(DocumentsConfig.CONFIG, DocumentsConfig::of)
                .scaling(Scaling.DEFAULT.lagThreshold(20).replicas(1, 4))
                .build();
    }

    @Override
    public void init(StageContext context) {
        DocumentsConfig config = DocumentsConfig.of(context.config());
        this.blobs = config.blobStore();
        this.limits = config.limits();
    }

    @Override
    public void process(StageRecord<String, DocumentRef> record, Output<String, PageTask> out) throws Exception {
        DocumentRef doc = record.value();
        if (doc == null) {
            throw new PermanentStageException("tombstone: a document reference is required");
        }
        long start = System.nanoTime();
        limits.checkBytes(doc.getSizeBytes());
        byte[] bytes = read(doc);
        limits.checkBytes(bytes.length);
        try (PDDocument pdf = PdfLoader.open(bytes)) {
            int count = pdf.getNumberOfPages();
            if (count == 0) {
                throw new PermanentStageException("empty: the PDF has no pages");
            }
            limits.checkPages(count);
            for (int i = 0; i < count; i++) {
                limits.checkRender(pdf.getPage(i), i + 1);
            }
            PDDocumentInformation info = pdf.getDocumentInformation();
            long splitMs = (System.nanoTime() - start) / 1_000_000;
            for (int p = 1; p <= count; p++) {
                out.emit(DocumentTopics.pageKey(doc.getDocId(), p), PageTask.newBuilder().setDoc(doc).setPageNumber(p)
                        .setPageCount(count).setTitle(blankToNull(info.getTitle())).setMetadata(metadata(info))
                        .setSplitMs(splitMs).build());
            }
        }
    }

    private byte[] read(DocumentRef doc) throws Exception {
        try {
            return blobs.get(doc.getBlob());
        } catch (NoSuchFileException e) {
            throw new RetriableStageException("blob " + doc.getBlob() + " is not in the blob store (yet)", e);
        } catch (IllegalArgumentException e) {
            throw new PermanentStageException(e.getMessage(), e);
        }
    }

    static Map<String, String> metadata(PDDocumentInformation info) {
        Map<String, String> m = new TreeMap<>();
        for (String key : info.getMetadataKeys()) {
            Object v = info.getCOSObject().getDictionaryObject(COSName.getPDFName(key));
            String text = v instanceof org.apache.pdfbox.cos.COSString s ? s.getString() : v == null ? null : v.toString();
            if (text != null && !text.isBlank()) {
                m.put(key, text);
            }
        }
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
