package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.schemas.documents.PageResult;
import dev.sluice.schemas.documents.PageTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builders of the documents path's records and settings, shared by its tests. */
final class DocumentFixtures {

    private DocumentFixtures() {
    }

    /** Stage settings with the blob store in {@code blobDir}. */
    static Map<String, Object> settings(Path blobDir) {
        return Map.of(DocumentsConfig.BLOB_DIR_CONFIG, blobDir.toString());
    }

    static DocumentsConfig config(Path blobDir) {
        return new DocumentsConfig(settings(blobDir), blobDir);
    }

    /** Settings with the blob store in {@code blobDir} and {@code keyValues} (key, value, key, value...). */
    static Map<String, Object> settings(Path blobDir, String... keyValues) {
        Map<String, Object> m = new java.util.HashMap<>(settings(blobDir));
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static DocumentsConfig config(Path blobDir, String... keyValues) {
        return new DocumentsConfig(settings(blobDir, keyValues), blobDir);
    }

    /** Puts a corpus file into {@code blobs} and returns its reference record. */
    static DocumentRef corpusRef(BlobStore blobs, String corpusFile) throws Exception {
        Path f = SharedFixtures.corpus(corpusFile);
        byte[] bytes = Files.readAllBytes(f);
        String ref = blobs.put(bytes);
        return ref(BlobStore.digestOf(ref), ref, f.getFileName().toString(), bytes.length);
    }

    static DocumentRef ref(String docId, String blob, String filename, long size) {
        return DocumentRef.newBuilder().setDocId(docId).setBlob(blob).setSource("test:" + filename).setFilename(filename)
                .setSizeBytes(size).setSubmittedAt(1_000L).build();
    }

    /** A document reference whose blob is never read (assembler tests). */
    static DocumentRef ref(String docId) {
        return ref(docId, "sha256:" + "0".repeat(64), docId + ".pdf", 10);
    }

    static PageTask task(DocumentRef doc, int page, int count) {
        return PageTask.newBuilder().setDoc(doc).setPageNumber(page).setPageCount(count).setTitle("T").build();
    }

    static PageResult textPage(DocumentRef doc, int page, int count) {
        return PageResult.newBuilder().setTask(task(doc, page, count)).setPage(DocumentPage.newBuilder().setPageNumber(page)
                .setMethod(PageMethod.TEXT_LAYER).setText("text of page " + page).build()).build();
    }
}
