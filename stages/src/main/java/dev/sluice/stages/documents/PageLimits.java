package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * The limits a document and its pages must keep, with messages a person understands, e.g.
 * {@code page 1 is 200×200 in: 3.6 gigapixels at 300 dpi exceeds the limit of 40.0 megapixels}.
 *
 * @param maxBytes          largest document
 * @param maxPages          most pages
 * @param maxPagePixels     most pixels of a rendered page (and of one extracted image)
 * @param dpi               rendering resolution
 * @param maxPageImages     most distinct images one page may draw
 * @param maxPageImageBytes most bytes the images one page draws may declare, decoded
 */
public record PageLimits(long maxBytes, int maxPages, long maxPagePixels, int dpi, int maxPageImages,
                         long maxPageImageBytes) {

    /** The image PDFBox renders a page into: its size in pixels and the scale passed to the renderer. */
    public record RenderSize(long width, long height, float scale) {
        public long pixels() {
            return width * height;
        }
    }

    public void checkBytes(long size) throws PermanentStageException {
        if (size > maxBytes) {
            throw new PermanentStageException(String.format(Locale.ROOT, "too large: %s exceeds the limit of %s (%s)",
                    bytes(size), bytes(maxBytes), DocumentsConfig.MAX_BYTES_CONFIG));
        }
    }

    public void checkPages(int pages) throws PermanentStageException {
        if (pages > maxPages) {
            throw new PermanentStageException(String.format(Locale.ROOT, "%d pages exceeds the limit of %d pages (%s)",
                    pages, maxPages, DocumentsConfig.MAX_PAGES_CONFIG));
        }
    }

    /**
     * The size PDFBox 3's {@code PDFRenderer.renderImage(page, scale, type)} gives this page at
     * {@link #dpi}: the crop box (clipped to the media box) × dpi/72, floored, at least 1 pixel,
     * width and height swapped for a 90° or 270° rotation. PDFBox does not apply the page's
     * UserUnit when rendering, so neither does this: a UserUnit page renders (and is OCRed) at the
     * size of its box in default units, which is also what its text is sized in.
     */
    public RenderSize renderSize(PDPage page) {
        PDRectangle box = page.getCropBox();
        float scale = dpi / 72f;
        long w = (long) Math.max(Math.floor(box.getWidth() * scale), 1);
        long h = (long) Math.max(Math.floor(box.getHeight() * scale), 1);
        int rotation = page.getRotation();
        return rotation == 90 || rotation == 270 ? new RenderSize(h, w, scale) : new RenderSize(w, h, scale);
    }

    /** Fails when rendering page {@code number} at {@link #dpi} would exceed the pixel limit. */
    public RenderSize checkRender(PDPage page, int number) throws PermanentStageException {
        RenderSize size = renderSize(page);
        if (size.pixels() > maxPagePixels) {
            throw new PermanentStageException(String.format(Locale.ROOT,
                    "page %d is %s×%s in: %s at %d dpi exceeds the limit of %s (%s)", number,
                    num(size.width() / (double) dpi), num(size.height() / (double) dpi), pixels(size.pixels()), dpi,
                    pixels(maxPagePixels), DocumentsConfig.MAX_PAGE_PIXELS_CONFIG));
        }
        return size;
    }

    /** Fails when page {@code number} draws more than {@link #maxPageImages} distinct images. */
    public void checkImageCount(int count, int number) throws PermanentStageException {
        if (count > maxPageImages) {
            throw new PermanentStageException(String.format(Locale.ROOT,
                    "page %d draws more than %d images, the limit per page (%s)", number, maxPageImages,
                    DocumentsConfig.MAX_PAGE_IMAGES_CONFIG));
        }
    }

    /**
     * Fails when the images page {@code number} draws declare more than {@link #maxPageImageBytes}
     * decoded; {@code last} describes the image that crossed the limit.
     */
    public void checkImageBytes(long total, String last, int number) throws PermanentStageException {
        if (total > maxPageImageBytes) {
            throw new PermanentStageException(String.format(Locale.ROOT,
                    "page %d: its images decode to %s or more (the last, %s), above the limit of %s per page (%s)",
                    number, bytes(total), last, bytes(maxPageImageBytes), DocumentsConfig.MAX_PAGE_IMAGE_BYTES_CONFIG));
        }
    }

    private static String num(double v) {
        return Math.abs(v - Math.rint(v)) < 0.05 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String pixels(double p) {
        if (p >= 1e9) {
            return String.format(Locale.ROOT, "%.1f gigapixels", p / 1e9);
        }
        return String.format(Locale.ROOT, "%.1f megapixels", p / 1e6);
    }

    static String bytes(long b) {
        return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", b / 1048576.0) : b + " bytes";
    }
}
