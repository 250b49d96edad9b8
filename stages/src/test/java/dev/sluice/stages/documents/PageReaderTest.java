package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.blob.FolderBlobStore;
import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.stage.PermanentStageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PDFBox and real Tesseract on the shared corpus. */
class PageReaderTest {
    @TempDir
    Path tmp;

    private static PDDocument open(String corpusFile) throws Exception {
        return PdfLoader.open(Files.readAllBytes(SharedFixtures.corpus(corpusFile)));
    }

    @Test
    void shouldTakeTheTextLayerOrOcrPageByPageInAMixedDocument() throws Exception {
        FolderBlobStore blobs = new FolderBlobStore(tmp);
        try (PDDocument pdf = open("scanned/mixed-tar-gzip.pdf");
             PageReader reader = new PageReader(DocumentFixtures.config(tmp), blobs)) {
            DocumentPage text = reader.read(pdf, 3);
            assertThat(text.getMethod()).isEqualTo(PageMethod.TEXT_LAYER);
            assertThat(text.getConfidence()).isNull();
            DocumentPage scanned = reader.read(pdf, 4);
            assertThat(scanned.getMethod()).isEqualTo(PageMethod.OCR);
            assertThat(scanned.getConfidence()).isBetween(60.0, 100.0);
            assertThat(scanned.getText()).containsIgnoringCase("gzip");
            assertThat(scanned.getImages()).hasSize(1);
            assertThat(blobs.exists(scanned.getImages().get(0).getBlob())).isTrue();
        }
    }

    @Test
    void shouldFailAPageWhoseOcrExceedsTheTimeLimitAndKeepTheEngineUsable() throws Exception {
        DocumentsConfig config = new DocumentsConfig(Map.of(DocumentsConfig.BLOB_DIR_CONFIG, tmp.toString(),
                DocumentsConfig.OCR_PAGE_TIMEOUT_MS_CONFIG, "100"), tmp);
        try (PDDocument pdf = open("scanned/gzip.1.pdf"); PageReader reader = new PageReader(config, new FolderBlobStore(tmp))) {
            assertThatThrownBy(() -> reader.read(pdf, 1)).isInstanceOf(PermanentStageException.class)
                    .hasMessageContaining("page 1: OCR stopped after the page time limit of 100 ms (ocr.page.timeout.ms)");
            assertThatThrownBy(() -> reader.read(pdf, 2)).hasMessageContaining("page 2: OCR stopped");
        }
    }

    @Test
    void shouldNeedOcrForTooFewCharactersOrTooManyUnmappedGlyphs() {
        assertThat(new TextLayer.Extract("", 0, 0).needsOcr(10, 0.1)).isTrue();
        assertThat(new TextLayer.Extract("abc", 9, 0).needsOcr(10, 0.1)).isTrue();
        assertThat(new TextLayer.Extract("x", 100, 11).needsOcr(10, 0.1)).isTrue();
        assertThat(new TextLayer.Extract("x", 100, 10).needsOcr(10, 0.1)).isFalse();
    }
}
