package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.PageImage;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.stage.PermanentStageException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Reads one page of an open document: its text layer when it has a usable one, otherwise render
 * at the configured dpi in greyscale (after checking the pixel limit from the size PDFBox renders)
 * and OCR; plus the images the page draws (count and declared decoded bytes checked first, so an
 * image bomb fails the page before rendering decodes it). Text extraction, image extraction and
 * rendering each run under a {@link PageWatchdog} time limit, OCR under Tesseract's own deadline.
 * After a {@link PageWatchdog.PageTimeoutException} the caller must stop using the document.
 * Not thread-safe: one per thread, like the {@link OcrEngine} it uses.
 */
public final class PageReader implements AutoCloseable {
    private final DocumentsConfig config;
    private final PageLimits limits;
    private final ImageExtractor images;
    private final PageWatchdog watchdog = new PageWatchdog();
    private OcrEngine engine;

    public PageReader(DocumentsConfig config, BlobStore blobs) {
        this.config = config;
        this.limits = config.limits();
        this.images = new ImageExtractor(blobs, limits);
    }

    /** Reads page {@code number} (1-based) of {@code pdf}. */
    public DocumentPage read(PDDocument pdf, int number) throws PermanentStageException, IOException, InterruptedException {
        if (number < 1 || number > pdf.getNumberOfPages()) {
            throw new PermanentStageException("page " + number + " does not exist: the document has "
                    + pdf.getNumberOfPages() + " pages");
        }
        PDPage page = pdf.getPage(number - 1);
        DocumentPage.Builder out = DocumentPage.newBuilder().setPageNumber(number);
        long t0 = System.nanoTime();
        TextLayer.Extract layer = watchdog.run(number, "text extraction", timeout(DocumentsConfig.TEXT_TIMEOUT_MS_CONFIG),
                DocumentsConfig.TEXT_TIMEOUT_MS_CONFIG, () -> TextLayer.of(pdf, number));
        long t1 = System.nanoTime();
        out.setTextLayerMs(ms(t0, t1));
        List<PageImage> found = watchdog.run(number, "image extraction", timeout(DocumentsConfig.IMAGES_TIMEOUT_MS_CONFIG),
                DocumentsConfig.IMAGES_TIMEOUT_MS_CONFIG, () -> images.extract(page, number));
        out.setImages(found).setImagesMs(ms(t1, System.nanoTime()));
        if (layer.needsOcr(config.getInt(DocumentsConfig.TEXT_MIN_CHARS_CONFIG),
                config.getDouble(DocumentsConfig.TEXT_MAX_UNMAPPED_CONFIG))) {
            ocr(pdf, page, number, out);
        } else {
            out.setMethod(PageMethod.TEXT_LAYER).setText(layer.text());
        }
        return out.build();
    }

    private void ocr(PDDocument pdf, PDPage page, int number, DocumentPage.Builder out)
            throws PermanentStageException, IOException, InterruptedException {
        PageLimits.RenderSize size = limits.checkRender(page, number);
        long t0 = System.nanoTime();
        BufferedImage grey = watchdog.run(number, "rendering", timeout(DocumentsConfig.RENDER_TIMEOUT_MS_CONFIG),
                DocumentsConfig.RENDER_TIMEOUT_MS_CONFIG,
                () -> new PDFRenderer(pdf).renderImage(number - 1, size.scale(), ImageType.GRAY));
        long t1 = System.nanoTime();
        try {
            OcrEngine.Result r = engine().recognize(grey, config.ocrPageTimeout());
            out.setMethod(PageMethod.OCR).setText(r.text()).setConfidence((double) r.meanConfidence());
        } catch (OcrEngine.OcrTimeoutException e) {
            throw new PermanentStageException("page " + number + ": " + e.getMessage(), e);
        }
        out.setRenderMs(ms(t0, t1)).setOcrMs(ms(t1, System.nanoTime()));
    }

    private Duration timeout(String key) {
        return Duration.ofMillis(config.getLong(key));
    }

    /** This reader's engine, created on first use (text-only documents never load the model). */
    public OcrEngine engine() {
        if (engine == null) {
            engine = new OcrEngine(config.tessdata(), config.getString(DocumentsConfig.OCR_LANGUAGE_CONFIG), limits.dpi());
        }
        return engine;
    }

    public Duration ocrTimeout() {
        return config.ocrPageTimeout();
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    @Override
    public void close() {
        watchdog.close();
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
