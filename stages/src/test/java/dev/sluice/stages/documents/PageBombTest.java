package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.blob.FolderBlobStore;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.PageImage;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.stage.PermanentStageException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PDF bombs against real PDFBox: pages, images and text built in the test to break each limit. */
class PageBombTest {
    @TempDir
    Path tmp;

    private DocumentPage read(byte[] pdf, int page, String... settings) throws Exception {
        try (PDDocument doc = PdfLoader.open(pdf);
             PageReader reader = new PageReader(DocumentFixtures.config(tmp, settings), new FolderBlobStore(tmp))) {
            return reader.read(doc, page);
        }
    }

    @ParameterizedTest(name = "rotate {0}, UserUnit {1}")
    @CsvSource({"0, 1, 833, 1041", "90, 1, 1041, 833", "180, 2, 833, 1041", "270, 75000, 1041, 833"})
    void shouldComputeTheSizePdfBoxRendersFromCropBoxAndRotationWithoutTheUserUnit(int rotation, float userUnit,
            long width, long height) throws Exception {
        // crop box 200×250 pt inside a 1000×1500 pt media box: 833×1041 px at 300 dpi
        try (PDDocument doc = PdfLoader.open(PdfFixtures.boxedPage(1000, 200, rotation, userUnit))) {
            PageLimits limits = DocumentFixtures.config(tmp).limits();
            PageLimits.RenderSize size = limits.renderSize(doc.getPage(0));
            BufferedImage rendered = new PDFRenderer(doc).renderImageWithDPI(0, limits.dpi(), ImageType.GRAY);
            assertThat(new long[] {size.width(), size.height()}).containsExactly(width, height);
            assertThat(new long[] {rendered.getWidth(), rendered.getHeight()}).containsExactly(width, height);
            assertThat(limits.checkRender(doc.getPage(0), 1)).isEqualTo(size);
        }
    }

    @Test
    void shouldRefuseBeforeRenderingAPageWithAHugeUserUnitAndBoxOverThePixelLimit() throws Exception {
        // 200×250 in of box with UserUnit 75000: PDFBox would render 60000×75000 px (its UserUnit aside)
        byte[] pdf = PdfFixtures.boxedPage(14_400, 14_400, 0, 75_000);
        assertThatThrownBy(() -> read(pdf, 1)).isInstanceOf(PermanentStageException.class).hasMessage(
                "page 1 is 200×250 in: 4.5 gigapixels at 300 dpi exceeds the limit of 40.0 megapixels (documents.max.page.pixels)");
    }

    @Test
    void shouldRefuseAPageThatWouldRenderTo900MegapixelsWithoutAllocatingIt() {
        // rendered, this page alone would be a 900 MB greyscale raster (29999×29999 px: PDFBox floors 7200 × 300/72f)
        assertThatThrownBy(() -> read(PdfFixtures.blankPage(100), 1)).isInstanceOf(PermanentStageException.class).hasMessage(
                "page 1 is 100×100 in: 899.9 megapixels at 300 dpi exceeds the limit of 40.0 megapixels (documents.max.page.pixels)");
    }

    @Test
    void shouldFailAPageDrawingMoreImagesThanTheCap() throws Exception {
        assertThat(read(PdfFixtures.imagesPage(2, 0), 1, DocumentsConfig.MAX_PAGE_IMAGES_CONFIG, "2").getImages()).hasSize(2);
        assertThatThrownBy(() -> read(PdfFixtures.imagesPage(3, 0), 1, DocumentsConfig.MAX_PAGE_IMAGES_CONFIG, "2"))
                .isInstanceOf(PermanentStageException.class)
                .hasMessage("page 1 draws more than 2 images, the limit per page (documents.max.page.images)");
    }

    @Test
    void shouldFailAPageWhoseOneImageDeclaresMoreDecodedBytesThanTheCapWithoutDecodingIt() {
        // 100000×100000 RGB: 28 GiB decoded, from 1 KiB of Flate data
        assertThatThrownBy(() -> read(PdfFixtures.declaredBombPage(100_000, 100_000), 1))
                .isInstanceOf(PermanentStageException.class)
                .hasMessage("page 1: its images decode to 28610.2 MB or more (the last, 100000×100000 px at 8 bits per"
                        + " component), above the limit of 128.0 MB per page (documents.max.page.image.bytes)");
    }

    @Test
    void shouldCountTheDecodedBytesOfAllThePageImagesTogether() throws Exception {
        // each 16×16 RGB image declares 768 bytes
        assertThat(read(PdfFixtures.imagesPage(2, 0), 1, DocumentsConfig.MAX_PAGE_IMAGE_BYTES_CONFIG, "1536").getImages()).hasSize(2);
        assertThatThrownBy(() -> read(PdfFixtures.imagesPage(3, 0), 1, DocumentsConfig.MAX_PAGE_IMAGE_BYTES_CONFIG, "1536"))
                .hasMessageStartingWith("page 1: its images decode to 2304 bytes or more (the last, 16×16 px at 8 bits per component)");
    }

    @Test
    void shouldNotExtractImagesThePageListsButNeverDraws() throws Exception {
        DocumentPage page = read(PdfFixtures.imagesPage(1, 3), 1, DocumentsConfig.MAX_PAGE_IMAGES_CONFIG, "2");
        assertThat(page.getMethod()).isEqualTo(PageMethod.TEXT_LAYER);
        assertThat(page.getImages()).hasSize(1);
    }

    @Test
    void shouldExtractAnImageDrawnThroughAFormButNotOneInAFormNeverDrawn() throws Exception {
        DocumentPage page = read(PdfFixtures.imageInFormPage(), 1);
        assertThat(page.getImages()).extracting(PageImage::getWidth, PageImage::getFormat)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(16, "png"));
    }

    @Test
    void shouldFailAPageWhoseTextExtractionExceedsItsTimeLimitAndReadTheNextPageOnANewThread() throws Exception {
        byte[] pdf = PdfFixtures.slowTextThenTextPage(10, 5);
        DocumentsConfig config = DocumentFixtures.config(tmp, DocumentsConfig.TEXT_TIMEOUT_MS_CONFIG, "300");
        try (PageReader reader = new PageReader(config, new FolderBlobStore(tmp))) {
            long start = System.nanoTime();
            try (PDDocument doc = PdfLoader.open(pdf)) {
                assertThatThrownBy(() -> reader.read(doc, 1)).isInstanceOf(PageWatchdog.PageTimeoutException.class)
                        .hasMessage("page 1: text extraction exceeded 300 ms (pages.text.timeout.ms)");
            }
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the page failed").isLessThan(3_000);
            try (PDDocument doc = PdfLoader.open(pdf)) {
                DocumentPage next = reader.read(doc, 2);
                assertThat(next.getMethod()).isEqualTo(PageMethod.TEXT_LAYER);
                assertThat(next.getText()).contains(PdfFixtures.TEXT);
            }
        }
    }

    @Test
    void shouldBoundTheWorstCaseTimeOfAPageByTheSumOfItsStepLimits() {
        assertThat(DocumentFixtures.config(tmp).worstCasePageMillis()).isEqualTo(30_000 + 30_000 + 30_000 + 60_000);
        assertThat(DocumentFixtures.config(tmp, DocumentsConfig.TEXT_TIMEOUT_MS_CONFIG, "1000",
                DocumentsConfig.IMAGES_TIMEOUT_MS_CONFIG, "2000", DocumentsConfig.RENDER_TIMEOUT_MS_CONFIG, "3000",
                DocumentsConfig.OCR_PAGE_TIMEOUT_MS_CONFIG, "4000").worstCasePageMillis()).isEqualTo(10_000);
    }
}
